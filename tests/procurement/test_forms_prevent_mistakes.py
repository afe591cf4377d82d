"""Forms that catch mistakes early: the legal delay said when a draft is saved, a reason and a
notice for every change of the tender documents once published, questions registered as they
came, and answers read back before they go to every candidate."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from config.demo.organisations import minimal_pdf
from core import clock as server_clock
from core.workflow import BusinessRuleError
from groupement.models import Role
from journal.models import Entry
from procurement import services
from procurement.models import Consultation, ConsultationState, DocumentKind, Question
from tests.helpers import messages_of

CCTP = "Cahier des clauses techniques particulières"


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- The legal delay, said when the draft is saved --------------------------------------------


def _create(client, world, *, days, **overrides):
    offers = timezone.localtime(server_clock.now()) + datetime.timedelta(days=days)
    data = {
        "reference": "2027-020",
        "title": "Animation du parc",
        "procedure": "open",
        "nature": "services",
        "cpv_code": "79411100-9",
        "electronic_submission": "on",
        "offer_validity_days": "120",
        "questions_deadline": local(offers - datetime.timedelta(days=2)),
        "offers_deadline": local(offers),
        "lots-TOTAL_FORMS": "1",
        "lots-INITIAL_FORMS": "0",
        "lots-MIN_NUM_FORMS": "0",
        "lots-MAX_NUM_FORMS": "1000",
        "lots-0-title": "",
        "lots-0-estimated_value": "300 000,00",
        **overrides,
    }
    return client.post(reverse("procurement:create", args=[world.ours.pk]), data, follow=True)


def test_a_draft_with_a_deadline_too_early_is_saved_with_a_warning_naming_the_rule(client, world):
    world.ours_in("in_force")
    client.force_login(world.coordinator())
    response = _create(client, world, days=8)
    consultation = Consultation.objects.get(reference="2027-020")
    assert consultation.state == ConsultationState.DRAFT
    warnings = [m for m in messages_of(response) if "R2161-3 2°" in m]
    assert len(warnings) == 1 and "30 jours" in warnings[0]
    page = client.get(reverse("procurement:detail", args=[consultation.pk])).content.decode()
    assert "Avant la publication" in page and "R2161-3 2°" in page


def test_a_draft_leaving_the_legal_delay_is_saved_without_a_warning(client, world):
    world.ours_in("in_force")
    client.force_login(world.coordinator())
    response = _create(client, world, days=45)
    assert not [m for m in messages_of(response) if "R2161" in m]
    consultation = Consultation.objects.get(reference="2027-020")
    page = client.get(reverse("procurement:detail", args=[consultation.pk])).content.decode()
    assert "Avant la publication" not in page


def test_the_threshold_is_still_refused_when_the_draft_is_saved(client, world):
    world.ours_in("in_force")
    client.force_login(world.coordinator())
    response = _create(client, world, days=45, procedure="adapted")
    assert "L2124-1" in response.content.decode()
    assert not Consultation.objects.filter(reference="2027-020").exists()


# --- Tender documents changed once published --------------------------------------------------


def _replace(client, consultation, **data):
    return client.post(
        reverse("procurement:document_add", args=[consultation.pk]),
        {"kind": DocumentKind.CCTP, "title": CCTP, "upload": minimal_pdf("cctp-v2"), **data},
    )


def test_a_change_after_publication_needs_a_reason_and_stores_nothing_without_it(
    client, world, published, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator())
    form = client.get(reverse("procurement:document_add", args=[published.pk])).content.decode()
    assert 'name="reason"' in form
    before = list(published.documents.values_list("pk", "version", "current"))
    with django_capture_on_commit_callbacks(execute=True):
        response = _replace(client, published, reason="  ")
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    assert list(published.documents.values_list("pk", "version", "current")) == before
    assert not mailoutbox
    with pytest.raises(BusinessRuleError) as refusal:  # the service itself asks for it
        services.document_add(
            consultation=published,
            user=world.coordinator(),
            kind=DocumentKind.CCTP,
            title=CCTP,
            upload=minimal_pdf("cctp-v2"),
        )
    assert "motif" in refusal.value.messages[0]
    assert list(published.documents.values_list("pk", "version", "current")) == before


def test_a_change_after_publication_is_told_to_every_known_candidate_and_shown(
    client, world, published, mailoutbox, django_capture_on_commit_callbacks
):
    services.question_record(
        consultation=published,
        user=world.coordinator(),
        text="Le CCTP est-il définitif ?",
        sender="Pépinières du Nord",
        sender_email="lea@pepinieres.invalid",
    )
    client.force_login(world.coordinator())
    reason = "Correction de la surface des locaux <b>(art. 4)</b>"
    with django_capture_on_commit_callbacks(execute=True):
        response = _replace(client, published, reason=reason)
    assert response.status_code == 302
    document = published.documents.get(kind=DocumentKind.CCTP, current=True)
    assert (document.version, document.change_reason) == (2, reason)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "contact1@operateur.invalid",
        "contact2@operateur.invalid",
        "lea@pepinieres.invalid",
    ]
    body = mailoutbox[0].body
    assert reason in body and "version 2, qui remplace la version 1" in body
    assert document.sha256 in body
    entry = Entry.objects.filter(action="remplacement de document").latest("pk")
    assert reason in entry.reason
    client.force_login(world.user("M2", Role.LECTEUR))
    for section in ("detail", "detail_documents"):
        page = client.get(reverse(f"procurement:{section}", args=[published.pk])).content.decode()
        assert "modifié le" in page
        assert "Correction de la surface des locaux &lt;b&gt;(art. 4)&lt;/b&gt;" in page
        assert "<b>(art. 4)</b>" not in page


def test_a_draft_changes_its_documents_without_reason_or_notice(
    client, world, consultation_in, mailoutbox, django_capture_on_commit_callbacks
):
    draft = consultation_in("draft_with_documents")
    client.force_login(world.coordinator())
    form = client.get(reverse("procurement:document_add", args=[draft.pk])).content.decode()
    assert 'name="reason"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        assert _replace(client, draft, reason="ignoré").status_code == 302
    document = draft.documents.get(kind=DocumentKind.CCTP, current=True)
    assert (document.version, document.change_reason) == (2, "")
    assert not mailoutbox
    page = client.get(reverse("procurement:detail_documents", args=[draft.pk])).content.decode()
    assert "modifié le" not in page


# --- Questions registered as they came ---------------------------------------------------------


@pytest.fixture
def two_lots(consultation_in):
    return consultation_in(
        ConsultationState.PUBLISHED,
        lots=[
            services.LotTerms(title="Incubation", estimated_value=Decimal("300000")),
            services.LotTerms(title="Accélération", estimated_value=Decimal("300000")),
        ],
    )


def test_a_question_records_its_receipt_its_sender_and_its_lot(client, world, two_lots, clock):
    clock.move(days=2)
    client.force_login(world.coordinator())
    url = reverse("procurement:question_add", args=[two_lots.pk])
    form = client.get(url).content.decode()
    for name in ("received_at", "sender", "sender_email", "lot", "text"):
        assert f'name="{name}"' in form
    assert "L’ensemble de la consultation" in form and "---------" not in form
    received = timezone.localtime(clock.now()) - datetime.timedelta(hours=3)
    lot = two_lots.lots.get(number=2)
    response = client.post(
        url,
        {
            "received_at": local(received),
            "sender": "Cap Industrie <script>alert(1)</script>",
            "sender_email": "ao@cap.invalid",
            "lot": lot.pk,
            "text": "Le lot 2 inclut-il le mobilier ?",
        },
    )
    assert response.status_code == 302
    question = two_lots.questions.get()
    assert (question.sender, question.sender_email, question.lot) == (
        "Cap Industrie <script>alert(1)</script>",
        "ao@cap.invalid",
        lot,
    )
    assert local(question.received_at) == local(received)
    page = client.get(response["Location"]).content.decode()
    assert "Cap Industrie &lt;script&gt;" in page and "<script>alert(1)" not in page
    assert "Lot 2 — Accélération" in page
    assert f'href="{reverse("procurement:answer", args=[question.pk])}">Répondre</a>' in page


def test_a_single_lot_consultation_asks_no_lot(client, world, published):
    client.force_login(world.coordinator())
    form = client.get(reverse("procurement:question_add", args=[published.pk])).content.decode()
    assert 'name="lot"' not in form


@pytest.mark.parametrize(
    ("shift", "refused"),
    [
        (datetime.timedelta(minutes=-1), False),
        (datetime.timedelta(0), False),
        (datetime.timedelta(minutes=1), True),
    ],
)
def test_a_question_is_not_received_later_than_now(world, published, clock, shift, refused):
    clock.move(hours=1)
    now = clock.now()
    record = lambda: services.question_record(  # noqa: E731
        consultation=published,
        user=world.coordinator(),
        text="Une visite ?",
        sender="Candidat",
        received_at=now + shift,
    )
    if refused:
        with pytest.raises(BusinessRuleError) as refusal:
            record()
        assert refusal.value.messages == [
            "Une question ne peut être reçue plus tard que maintenant."
        ]
        assert not published.questions.exists()
    else:
        assert record().received_at == now + shift


@pytest.mark.parametrize(
    ("shift", "refused"),
    [(datetime.timedelta(microseconds=-1), True), (datetime.timedelta(0), False)],
)
def test_a_question_is_not_received_before_the_minute_of_the_publication(
    world, published, shift, refused
):
    minute = published.published_at.replace(second=0, microsecond=0)
    record = lambda: services.question_record(  # noqa: E731
        consultation=published,
        user=world.coordinator(),
        text="Une visite ?",
        sender="Candidat",
        received_at=minute + shift,
    )
    if refused:
        with pytest.raises(BusinessRuleError) as refusal:
            record()
        assert "après la publication" in refusal.value.messages[0]
    else:
        record()


def test_a_question_needs_a_sender_and_a_lot_of_its_own_consultation(
    world, published, consultation_in
):
    other = consultation_in(ConsultationState.PUBLISHED, reference="2027-099")
    with pytest.raises(BusinessRuleError) as refusal:
        services.question_record(
            consultation=published,
            user=world.coordinator(),
            text="Une visite ?",
            sender="  ",
            lot=other.lots.get(),
        )
    assert len(refusal.value.messages) == 2
    assert "qui a envoyé" in refusal.value.messages[0]
    assert "autre consultation" in refusal.value.messages[1]
    assert not Question.objects.exists()


# --- Answers read back before they go ----------------------------------------------------------


@pytest.fixture
def question(world, published):
    return services.question_record(
        consultation=published,
        user=world.coordinator(),
        text="Quel est le budget d'animation ?",
        sender="Innov'Artois (Jeanne Petit)",
        sender_email="jeanne@innov.invalid",
    )


def test_an_answer_is_previewed_then_sent_on_confirmation(
    client, world, published, question, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator())
    url = reverse("procurement:answer", args=[question.pk])
    form = client.get(url).content.decode()
    assert "Quel est le budget d&#x27;animation ?" in form and "Prévisualiser" in form
    answer = "Voir le CCTP, § 4 <i>et annexe</i>."
    with django_capture_on_commit_callbacks(execute=True):
        preview = client.post(url, {"answer": answer})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Confirmer l’envoi" in page and "Modifier la réponse" in page
    assert "3 candidats connus" in page
    assert "Voir le CCTP, § 4 &lt;i&gt;et annexe&lt;/i&gt;." in page and "<i>et annexe" not in page
    assert "Jeanne Petit" not in page.split('<pre class="message">')[1].split("</pre>")[0]
    question.refresh_from_db()
    assert question.answer == "" and not mailoutbox
    edit = client.post(url, {"answer": answer, "edit": "1"}).content.decode()
    assert "<textarea" in edit and "Confirmer l’envoi" not in edit
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"answer": answer, "confirm": "1"})
    assert sent.status_code == 302
    question.refresh_from_db()
    assert question.answer == answer
    assert len(mailoutbox) == 3
    assert all("Jeanne Petit" not in m.body and "Innov'Artois (" not in m.body for m in mailoutbox)
    assert answer in mailoutbox[0].body


def test_a_late_answer_is_refused_at_the_preview_already(
    client, world, published, question, clock, mailoutbox
):
    clock.move(days=35)  # five days before the deadline; R2132-6 asks for six
    client.force_login(world.coordinator())
    response = client.post(reverse("procurement:answer", args=[question.pk]), {"answer": "Oui."})
    page = response.content.decode()
    assert response.status_code == 200 and "R2132-6" in page and "Confirmer l’envoi" not in page
    question.refresh_from_db()
    assert question.answer == "" and not mailoutbox


def test_only_the_coordinator_previews_or_sends_an_answer(client, world, question):
    url = reverse("procurement:answer", args=[question.pk])
    for key, role in (("M1", Role.REFERENT), ("M2", Role.LECTEUR)):
        client.force_login(world.user(key, role))
        assert client.post(url, {"answer": "Oui.", "confirm": "1"}).status_code == 403
        assert client.post(url, {"answer": "Oui."}).status_code == 403
    question.refresh_from_db()
    assert question.answer == ""
