import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core import clock as server_clock
from core.workflow import BusinessRuleError
from groupement.models import Role
from journal.models import Entry
from procurement import services


def test_an_answer_goes_to_every_known_candidate(
    world, published, mailoutbox, django_capture_on_commit_callbacks
):
    question = services.question_record(
        consultation=published,
        user=world.coordinator(),
        text="Le CCTP impose-t-il un local ?",
        sender="Innov'Artois",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(
            question=question, user=world.coordinator(), answer="Non, le local est fourni."
        )
    assert sorted(m.to[0] for m in mailoutbox) == [
        "contact1@operateur.invalid",
        "contact2@operateur.invalid",
    ]
    assert "Non, le local est fourni." in mailoutbox[0].body
    question.refresh_from_db()
    assert question.answered_at is not None


def test_a_late_answer_in_a_formal_procedure_is_refused_until_the_deadline_moves(
    world, published, clock, mailoutbox
):
    question = services.question_record(
        consultation=published,
        user=world.coordinator(),
        text="Une visite est-elle prévue ?",
        sender="Territoires Conseil",
    )
    clock.move(days=35)  # five days before the deadline; the rule asks for six
    with pytest.raises(BusinessRuleError) as refusal:
        services.question_answer(question=question, user=world.coordinator(), answer="Oui.")
    assert "R2132-6" in refusal.value.messages[0]
    question.refresh_from_db()
    assert question.answer == "" and not mailoutbox
    services.consultation_extend_deadline(
        consultation=published,
        user=world.coordinator(),
        offers_deadline=published.offers_deadline + datetime.timedelta(days=7),
        reason="Laisser le temps de la visite.",
    )
    services.question_answer(question=question, user=world.coordinator(), answer="Oui.")
    question.refresh_from_db()
    assert question.answer == "Oui."


def test_an_extension_is_journaled_and_told_to_the_candidates(
    world, published, mailoutbox, django_capture_on_commit_callbacks
):
    new_deadline = published.offers_deadline + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_extend_deadline(
            consultation=published,
            user=world.coordinator(),
            offers_deadline=new_deadline,
            reason="Question technique des candidats.",
        )
    published.refresh_from_db()
    assert published.offers_deadline == new_deadline
    assert len(mailoutbox) == 2
    local = timezone.localtime(new_deadline)
    assert f"{local.hour}\xa0h\xa0{local.minute:02d}" in mailoutbox[0].body  # « 10 h 20 »
    entry = Entry.objects.get(action="report de la date limite")
    assert "Question technique" in entry.reason


def test_an_extension_must_move_the_deadline_later(world, published, mailoutbox):
    with pytest.raises(BusinessRuleError):
        services.consultation_extend_deadline(
            consultation=published,
            user=world.coordinator(),
            offers_deadline=published.offers_deadline - datetime.timedelta(days=1),
            reason="Erreur.",
        )
    assert not mailoutbox


def test_the_extension_page(client, world, published, mailoutbox):
    client.force_login(world.coordinator())
    later = timezone.localtime(published.offers_deadline) + datetime.timedelta(days=5)
    response = client.post(
        reverse("procurement:extend", args=[published.pk]),
        {"offers_deadline": later.strftime("%Y-%m-%dT%H:%M"), "reason": "Visite de site."},
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert timezone.localtime(published.offers_deadline).date() == later.date()
    client.force_login(world.user("M1", Role.REFERENT))
    assert client.get(reverse("procurement:extend", args=[published.pk])).status_code == 403


def test_questions_and_answers_through_the_pages(client, world, published, mailoutbox):
    client.force_login(world.coordinator())
    client.post(
        reverse("procurement:question_add", args=[published.pk]),
        {
            "text": "Quel est le budget d'animation ?",
            "sender": "Innov'Artois",
            "received_at": timezone.localtime(server_clock.now()).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    question = published.questions.get()
    response = client.post(
        reverse("procurement:answer", args=[question.pk]),
        {"answer": "Voir le CCTP, § 4.", "confirm": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:detail_questions", args=[published.pk])
    client.force_login(world.user("M2", Role.LECTEUR))
    page = client.get(response["Location"]).content.decode()
    assert "Voir le CCTP, § 4." in page
    summary = client.get(reverse("procurement:detail", args=[published.pk])).content.decode()
    assert "Questions (1)" in summary


def test_a_mail_server_failure_does_not_undo_the_extension(
    world, published, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 1
    new_deadline = published.offers_deadline + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_extend_deadline(
            consultation=published,
            user=world.coordinator(),
            offers_deadline=new_deadline,
            reason="Report.",
        )
    published.refresh_from_db()
    assert published.offers_deadline == new_deadline
    assert "Mail to the candidates" in caplog.text
