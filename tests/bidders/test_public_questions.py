"""Questions asked by candidates on the public notice: received at server time until the
questions deadline, the sender registered so that the answer reaches it, the question listed for
the coordinator to answer, the answer published to every candidate without naming who asked."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core import clock as server_clock
from groupement.identifiers import with_luhn_key
from journal.models import Entry
from journal.services import journal_verify
from procurement import services
from procurement.models import ConsultationState, Question, RegisteredCandidate
from tests.helpers import body_of, db_fingerprint, messages_of

SIRET = with_luhn_key("8123456780001")


def ask(client, consultation, **data):
    values = {
        "company": "Pépinières du Nord",
        "siret": SIRET,
        "email": "Lea@Pepinieres.invalid",
        "text": "Une visite du site est-elle prévue ?",
    }
    values.update(data)
    return client.post(
        reverse("bidders:question", args=[consultation.pk]),
        {f"question-{key}": value for key, value in values.items()},
        follow=True,
    )


def test_a_candidate_asks_without_an_account_and_the_coordinator_sees_it_to_answer(
    client, world, published
):
    since = Entry.objects.count()
    before = server_clock.now()
    response = ask(client, published)
    assert response.status_code == 200
    assert any("lea@pepinieres.invalid" in m for m in messages_of(response))
    question = Question.objects.get()
    assert (question.sender, question.sender_email, question.recorded_by) == (
        "Pépinières du Nord",
        "lea@pepinieres.invalid",
        None,
    )
    assert before <= question.received_at <= server_clock.now()  # server time, not typed
    assert RegisteredCandidate.objects.get().email == "lea@pepinieres.invalid"
    assert Entry.objects.count() == since + 2  # the question and the identified candidate
    assert journal_verify() is None
    client.force_login(world.coordinator())
    page = page_of(client.get(reverse("procurement:detail_questions", args=[published.pk])))
    assert "Pépinières du Nord" in page and "posée sur l’avis public" in page
    dashboard = page_of(client.get(reverse("groupement:dashboard")))
    assert "Répondre aux questions (1 en attente)" in dashboard


def test_the_answer_reaches_the_asker_and_never_names_it_on_the_notice(
    client, world, published, mailoutbox, django_capture_on_commit_callbacks
):
    ask(client, published, company="Expéditeur Confidentiel SAS")
    question = Question.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(question=question, user=world.coordinator(), answer="Oui.")
    assert [m.to for m in mailoutbox if "lea@pepinieres.invalid" in m.to]
    page = page_of(client.get(reverse("bidders:notice", args=[published.pk])))
    assert "Une visite du site est-elle prévue ?" in page and "Oui." in page
    assert "Confidentiel" not in page and "lea@" not in page


def page_of(response) -> str:
    return body_of(response).decode()


def test_questions_close_at_the_questions_deadline_to_the_second(client, published, clock):
    clock.move(seconds=(published.questions_deadline - server_clock.now()).total_seconds() - 1)
    notice = reverse("bidders:notice", args=[published.pk])
    assert "Envoyer la question" in page_of(client.get(notice))
    ask(client, published, text="Juste avant ?")
    assert Question.objects.filter(text="Juste avant ?").exists()
    clock.move(seconds=1)
    page = page_of(client.get(reverse("bidders:notice", args=[published.pk])))
    assert "Envoyer la question" not in page and "reçues jusqu’au" in page
    response = ask(client, published, text="À l’échéance ?")
    assert response.status_code == 200
    assert "comme le fixe le RC" in page_of(response)
    assert not Question.objects.filter(text="À l’échéance ?").exists()


@pytest.mark.parametrize(
    "state", [ConsultationState.DRAFT, ConsultationState.MEMBER_REVIEW, ConsultationState.CANCELLED]
)
def test_a_consultation_not_open_takes_no_question(client, consultation_in, state):
    consultation = consultation_in(state)
    assert ask(client, consultation).status_code == 404
    assert not Question.objects.exists()


def two_lots():
    return [
        services.LotTerms(title=title, estimated_value=Decimal("300000"))
        for title in ("Animation", "Accueil")
    ]


def test_a_lot_of_another_consultation_is_a_form_error(client, consultation_in):
    other = consultation_in(ConsultationState.PUBLISHED, reference="2027-777", lots=two_lots())
    foreign = other.lots.first()
    mine = consultation_in(ConsultationState.PUBLISHED, reference="2027-778", lots=two_lots())
    for lot in (str(foreign.pk), "1 OR 1=1", "-1", "9" * 30):
        assert ask(client, mine, lot=lot).status_code == 200
    assert not Question.objects.exists()
    ask(client, mine, lot=str(mine.lots.last().pk))
    assert Question.objects.get().lot == mine.lots.last()


@pytest.mark.parametrize(
    "data",
    [
        {"text": "  "},
        {"text": "x" * 5001},
        {"company": ""},
        {"siret": SIRET[:-1] + str((int(SIRET[-1]) + 1) % 10)},
        {"email": "a@b.invalid\r\nBcc: victime@x.invalid"},
        {"text": "\x00"},
    ],
)
def test_hostile_questions_get_a_form_error_and_store_nothing(client, published, data):
    before = db_fingerprint()
    response = ask(client, published, **data)
    assert response.status_code == 200
    assert not Question.objects.exists()
    assert db_fingerprint() == before


def test_markup_in_a_question_is_shown_as_text_to_the_coordinator(client, world, published):
    ask(client, published, text="<script>alert(1)</script>", company="<b>Gras</b>")
    client.force_login(world.coordinator())
    page = client.get(reverse("procurement:detail_questions", args=[published.pk]))
    assert b"<script>alert(1)" not in page.content and b"<b>Gras" not in page.content
    assert b"&lt;script&gt;" in page.content


def test_a_question_at_the_length_limit_is_received(client, published):
    ask(client, published, text="x" * 5000)
    assert len(Question.objects.get().text) == 5000
