import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.demo.organisations import minimal_pdf
from core import clock as server_clock
from core.workflow import BusinessRuleError
from groupement.models import Role
from journal.models import Entry
from procurement import services
from procurement.models import Consultation, ConsultationState, DocumentKind
from tests.fixtures_procurement import terms


def test_the_whole_preparation_through_the_services(world, consultation_in):
    consultation = consultation_in("draft_with_documents")
    coordinator = world.coordinator()
    services.consultation_submit_for_review(consultation=consultation, user=coordinator)
    for key in ("COORD", "M1"):
        services.consultation_review(
            consultation=consultation, user=world.user(key, Role.REFERENT), approve=True
        )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.MEMBER_REVIEW  # M2 has not answered
    services.consultation_review(
        consultation=consultation, user=world.user("M2", Role.REFERENT), approve=True
    )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.READY
    services.consultation_publish(consultation=consultation, user=coordinator)
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.PUBLISHED
    assert consultation.published_at is not None
    actions = list(
        Entry.objects.filter(object_id=str(consultation.pk)).values_list("action", flat=True)
    )
    assert actions[-2:] == ["approuvée par tous les membres", "publication"]


def test_a_request_for_changes_sends_the_consultation_back_for_a_new_round(world, consultation_in):
    consultation = consultation_in(ConsultationState.MEMBER_REVIEW)
    services.consultation_review(
        consultation=consultation, user=world.user("COORD", Role.REFERENT), approve=True
    )
    services.consultation_review(
        consultation=consultation,
        user=world.user("M1", Role.REFERENT),
        approve=False,
        comment="Préciser les indicateurs d'animation.",
    )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.DRAFT
    assert consultation.review_round == 2
    services.consultation_submit_for_review(consultation=consultation, user=world.coordinator())
    for key in ("M1", "M2"):
        services.consultation_review(
            consultation=consultation, user=world.user(key, Role.REFERENT), approve=True
        )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.MEMBER_REVIEW  # round 1 approvals don't count


def test_a_request_for_changes_needs_a_comment(world, consultation_in):
    consultation = consultation_in(ConsultationState.MEMBER_REVIEW)
    with pytest.raises(BusinessRuleError):
        services.consultation_review(
            consultation=consultation, user=world.user("M1", Role.REFERENT), approve=False
        )
    assert not consultation.reviews.exists()


def test_a_member_answers_once_per_round(world, consultation_in):
    consultation = consultation_in(ConsultationState.MEMBER_REVIEW)
    referent = world.user("M1", Role.REFERENT)
    services.consultation_review(consultation=consultation, user=referent, approve=True)
    with pytest.raises(BusinessRuleError):
        services.consultation_review(consultation=consultation, user=referent, approve=True)
    assert consultation.reviews.count() == 1


def test_no_consultation_outside_a_groupement_in_force(world):
    with pytest.raises(BusinessRuleError) as refusal:
        services.consultation_create(groupement=world.ours, user=world.coordinator(), terms=terms())
    assert "en vigueur" in refusal.value.messages[0]
    assert not Consultation.objects.exists()


def test_publication_with_a_deadline_too_early_gives_the_legal_minimum_date(world, consultation_in):
    deadline = server_clock.now() + datetime.timedelta(days=29)
    consultation = consultation_in(
        ConsultationState.READY,
        offers_deadline=deadline,
        questions_deadline=deadline - datetime.timedelta(days=7),
    )
    with pytest.raises(BusinessRuleError) as refusal:
        services.consultation_publish(consultation=consultation, user=world.coordinator())
    message = " ".join(refusal.value.messages)
    earliest = timezone.localtime(server_clock.now() + datetime.timedelta(days=30))
    assert "30 jours" in message and "R2161-3 2°" in message
    assert f"{earliest.day} " in message and str(earliest.year) in message
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.READY


def test_submission_needs_the_formal_documents(world, consultation_in):
    consultation = consultation_in(ConsultationState.DRAFT)
    with pytest.raises(BusinessRuleError) as refusal:
        services.consultation_submit_for_review(consultation=consultation, user=world.coordinator())
    assert "CCAP" in " ".join(refusal.value.messages)


def test_closing_is_recorded_by_the_command_and_a_read_changes_nothing(
    world, consultation_in, clock, client, register_bid
):
    first = consultation_in(ConsultationState.PUBLISHED)
    second = consultation_in(ConsultationState.PUBLISHED, reference="2027-002")
    call_command("close_due_consultations")
    first.refresh_from_db()
    assert first.state == ConsultationState.PUBLISHED
    clock.move(days=41)
    call_command("close_due_consultations")
    call_command("close_due_consultations")  # idempotent
    first.refresh_from_db()
    assert first.state == ConsultationState.CLOSED
    assert Entry.objects.filter(object_id=str(first.pk), to_state="closed").count() == 1
    # The second one closed too; a fresh one stays as recorded when anybody looks at it...
    third = Consultation.objects.get(pk=second.pk)
    assert third.state == ConsultationState.CLOSED
    fourth = consultation_in(
        ConsultationState.PUBLISHED,
        reference="2027-003",
        offers_deadline=server_clock.now() + datetime.timedelta(days=31),
        questions_deadline=server_clock.now() + datetime.timedelta(days=20),
    )
    clock.move(days=32)
    entries = Entry.objects.count()
    for user in (world.user("M2", Role.LECTEUR), world.coordinator()):
        client.force_login(user)
        assert client.get(reverse("procurement:detail", args=[fourth.pk])).status_code == 200
    fourth.refresh_from_db()
    assert fourth.state == ConsultationState.PUBLISHED
    assert Entry.objects.count() == entries
    # ...but server time decides: a deposit after the deadline is late all the same.
    assert register_bid(fourth, "Retardataire", 9).late


def test_cancellation_needs_a_reason(world, consultation_in):
    consultation = consultation_in(ConsultationState.PUBLISHED)
    with pytest.raises(BusinessRuleError):
        services.consultation_cancel(
            consultation=consultation, user=world.coordinator(), reason=" "
        )
    services.consultation_cancel(
        consultation=consultation, user=world.coordinator(), reason="Besoin redéfini."
    )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.CANCELLED
    assert consultation.cancellation_reason == "Besoin redéfini."


def test_a_document_replaced_after_publication_is_journaled_as_a_new_version(
    world, consultation_in
):
    consultation = consultation_in(ConsultationState.PUBLISHED)
    document = services.document_add(
        consultation=consultation,
        user=world.coordinator(),
        kind=DocumentKind.CCTP,
        title="Cahier des clauses techniques particulières",
        upload=minimal_pdf("cctp-v2"),
        reason="Surface des locaux corrigée.",
    )
    assert document.version == 2
    assert consultation.documents.filter(kind=DocumentKind.CCTP, current=True).count() == 1
    assert Entry.objects.filter(
        object_id=str(consultation.pk), action="remplacement de document"
    ).exists()


def test_a_replacement_too_close_to_the_deadline_says_to_extend_first(
    world, consultation_in, clock
):
    consultation = consultation_in(ConsultationState.PUBLISHED)
    clock.move(days=35)  # five days left, the notice is six
    before = consultation.documents.count()
    with pytest.raises(BusinessRuleError) as refusal:
        services.document_add(
            consultation=consultation,
            user=world.coordinator(),
            kind=DocumentKind.CCTP,
            title="Cahier des clauses techniques particulières",
            upload=minimal_pdf("cctp-v2"),
            reason="Surface des locaux corrigée.",
        )
    assert "R2132-6" in refusal.value.messages[0] and "prolongez" in refusal.value.messages[0]
    assert consultation.documents.count() == before


def test_only_the_coordinator_manages_consultations(world, consultation_in):
    with pytest.raises(PermissionDenied):
        services.consultation_create(
            groupement=world.ours, user=world.user("M1", Role.GESTIONNAIRE), terms=terms()
        )


def test_the_service_itself_refuses_a_forbidden_tender_document(world, consultation_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    consultation = consultation_in(ConsultationState.DRAFT)
    with pytest.raises(BusinessRuleError) as refusal:
        services.document_add(
            consultation=consultation,
            user=world.coordinator(),
            kind=DocumentKind.RC,
            title="RC",
            upload=SimpleUploadedFile("rc.exe", b"MZ"),
        )
    assert "Types de fichiers acceptés" in refusal.value.messages[0]
    assert not consultation.documents.exists()
