"""Preparing, reviewing, publishing, extending, closing and cancelling a consultation."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.formats import format_moment
from core.uploads import files_removed_on_failure, sha256_of
from core.workflow import locked, refuse_if, run_transition
from journal.services import journal_record
from procurement import hooks, rules
from procurement.access import can_manage, member_membership
from procurement.models import (
    Consultation,
    ConsultationState,
    Lot,
    MemberReview,
    ReviewDecision,
    TenderDocument,
)
from procurement.notifications import notify_candidates


@dataclass
class LotTerms:
    title: str
    estimated_value: Decimal


@dataclass
class ConsultationTerms:
    reference: str
    title: str
    procedure: str
    nature: str
    cpv_code: str
    electronic_submission: bool
    urgency: bool
    offer_validity_days: int
    questions_deadline: datetime.datetime
    offers_deadline: datetime.datetime
    lots: list  # LotTerms, numbered in order from 1


def locked_consultation(pk) -> Consultation:
    """A fresh copy of the consultation, its row locked until the transaction ends."""
    return locked(Consultation.objects.select_related("groupement__coordinator"), pk)


def _check_terms(terms: ConsultationTerms, *, consultation=None):
    namesakes = Consultation.objects.filter(reference=terms.reference)
    if consultation is not None:
        namesakes = namesakes.exclude(pk=consultation.pk)
    refuse_if(rules.consultation_terms_errors(terms, reference_taken=namesakes.exists()))


def _write_terms(consultation, terms: ConsultationTerms):
    for field in (
        "reference",
        "title",
        "procedure",
        "nature",
        "cpv_code",
        "electronic_submission",
        "urgency",
        "offer_validity_days",
        "questions_deadline",
        "offers_deadline",
    ):
        setattr(consultation, field, getattr(terms, field))
    consultation.save()
    consultation.lots.all().delete()
    Lot.objects.bulk_create(
        Lot(
            consultation=consultation,
            number=i,
            title=lot.title,
            estimated_value=lot.estimated_value,
        )
        for i, lot in enumerate(terms.lots, start=1)
    )


def consultation_create(*, groupement, user, terms: ConsultationTerms) -> Consultation:
    consultation = Consultation(groupement=groupement)
    if not can_manage(user, consultation):
        raise PermissionDenied
    refuse_if(rules.groupement_errors(consultation))
    _check_terms(terms)
    with transaction.atomic():
        _write_terms(consultation, terms)
        journal_record(actor=user, obj=consultation, action="création", to_state=consultation.state)
    return consultation


def consultation_update(*, consultation, user, terms: ConsultationTerms) -> Consultation:
    """The coordinator edits a draft; once reviewed or published, the terms are frozen."""
    if not can_manage(user, consultation):
        raise PermissionDenied
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        refuse_if(rules.consultation_edit_errors(consultation))
        _check_terms(terms, consultation=consultation)
        _write_terms(consultation, terms)
        journal_record(
            actor=user,
            obj=consultation,
            action="modification",
            from_state=consultation.state,
            to_state=consultation.state,
        )
    return consultation


def document_add(*, consultation, user, kind, title, upload, reason: str = "") -> TenderDocument:
    """Adds a document, or a new version of the one with the same kind and title.

    Before publication documents change freely in a draft; once published, a change must leave
    candidates the legal notice before the deadline, says why, and every known candidate is told.
    """
    if not can_manage(user, consultation):
        raise PermissionDenied
    refuse_if(rules.document_file_errors(upload))
    with files_removed_on_failure(), transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        refuse_if(rules.document_change_errors(consultation, reason=reason))
        published = consultation.state == ConsultationState.PUBLISHED
        previous = (
            consultation.documents.select_for_update()
            .filter(kind=kind, title=title, current=True)
            .first()
        )
        document = TenderDocument.objects.create(
            consultation=consultation,
            kind=kind,
            title=title,
            version=previous.version + 1 if previous else 1,
            file=upload,
            original_name=upload.name[:255],
            size=upload.size,
            sha256=sha256_of(upload),
            uploaded_by=user,
            uploaded_at=clock.now(),
            change_reason=reason.strip() if published else "",
        )
        if previous:
            previous.current = False
            previous.save(update_fields=["current"])
        summary = f"{title} v{document.version} (SHA-256 {document.sha256[:12]}…)"
        journal_record(
            actor=user,
            obj=consultation,
            action="remplacement de document" if previous else "ajout de document",
            from_state=consultation.state,
            to_state=consultation.state,
            reason=f"{summary} : {document.change_reason}" if published else summary,
        )
        if published:
            notify_candidates(
                consultation,
                subject=_("%(ref)s: tender documents changed") % {"ref": consultation.reference},
                template="emails/documents_changed.txt",
                context={"document": document, "previous": previous},
            )
    return document


def _transition(consultation, method_name, user, *, action, reason="", blockers=None, **kw):
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        return run_transition(
            consultation,
            method_name,
            user,
            action=action,
            reason=reason,
            blockers=(lambda: blockers(consultation)) if blockers else None,
            **kw,
        )


def consultation_submit_for_review(*, consultation, user) -> Consultation:
    return _transition(
        consultation,
        "submit_for_review",
        user,
        action="envoi aux membres pour relecture",
        blockers=rules.review_blockers,
    )


def consultation_review(*, consultation, user, approve: bool, comment: str = "") -> Consultation:
    """A member's référent approves the tender documents or asks for changes.

    The last approval makes the consultation ready; a request for changes sends it back to the
    coordinator's draft for a new round.
    """
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        membership = member_membership(user, consultation)
        if membership is None:
            raise PermissionDenied
        refuse_if(
            rules.review_answer_errors(
                consultation, membership.organisation, approve=approve, comment=comment
            )
        )
        MemberReview.objects.create(
            consultation=consultation,
            organisation=membership.organisation,
            review_round=consultation.review_round,
            decision=ReviewDecision.APPROVED if approve else ReviewDecision.CHANGES_REQUESTED,
            comment=comment.strip(),
            decided_by=user,
            decided_at=clock.now(),
        )
        journal_record(
            actor=user,
            obj=consultation,
            action=f"relecture {membership.organisation.short_name} : "
            + ("approuvé" if approve else "modifications demandées"),
            from_state=consultation.state,
            to_state=consultation.state,
            reason=comment.strip(),
        )
        if not approve:
            run_transition(
                consultation,
                "send_back",
                user,
                action="retour au brouillon",
                reason=comment.strip(),
            )
        elif not rules.missing_approvals(consultation):
            run_transition(
                consultation,
                "mark_ready",
                user,
                action="approuvée par tous les membres",
                blockers=lambda: rules.approval_errors(consultation),
            )
    return consultation


def consultation_publish(*, consultation, user) -> Consultation:
    """Publication; the apps built on consultations react through procurement.hooks (the
    evaluation grids are frozen then), in the same transaction."""
    now = clock.now()
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        run_transition(
            consultation,
            "publish",
            user,
            action="publication",
            at=now,
            blockers=lambda: rules.publication_blockers(consultation, now=now),
        )
        for hook in hooks.publication:
            hook(consultation)
    return consultation


def close_if_due(consultation) -> bool:
    """Records the closing of a published consultation whose deadline has passed, inside the
    caller's transaction on a locked copy. Whether it closed it."""
    if consultation.state != ConsultationState.PUBLISHED or not rules.deadline_passed(consultation):
        return False
    run_transition(
        consultation,
        "close",
        None,
        action="clôture à la date limite",
        reason=f"date limite : {format_moment(consultation.offers_deadline)}",
    )
    return True


def consultations_close_due() -> list[Consultation]:
    """Closes every published consultation whose deadline has passed (the closing command);
    safe to run any time, by several workers at once."""
    closed = []
    due = Consultation.objects.filter(
        state=ConsultationState.PUBLISHED, offers_deadline__lte=clock.now()
    ).values_list("pk", flat=True)
    for pk in due:
        with transaction.atomic():
            consultation = locked_consultation(pk)
            if close_if_due(consultation):
                closed.append(consultation)
    return closed


def consultation_cancel(*, consultation, user, reason: str) -> Consultation:
    refuse_if(rules.cancellation_reason_errors(reason))
    return _transition(
        consultation,
        "cancel",
        user,
        action="déclarée sans suite",
        reason=reason.strip(),
        explanation=reason.strip(),
        blockers=lambda c: hooks.blockers("cancel", c),
    )


def consultation_extend_deadline(
    *, consultation, user, offers_deadline, questions_deadline=None, reason: str
) -> Consultation:
    """Pushes the offers deadline back while published; every known candidate is told."""
    if not can_manage(user, consultation):
        raise PermissionDenied
    refuse_if(rules.extension_reason_errors(reason))
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        refuse_if(
            rules.extension_errors(
                consultation, offers_deadline=offers_deadline, questions_deadline=questions_deadline
            )
        )
        previous = consultation.offers_deadline
        consultation.offers_deadline = offers_deadline
        if questions_deadline is not None:
            consultation.questions_deadline = questions_deadline
        consultation.save(update_fields=["offers_deadline", "questions_deadline"])
        journal_record(
            actor=user,
            obj=consultation,
            action="report de la date limite",
            from_state=consultation.state,
            to_state=consultation.state,
            reason=f"{format_moment(previous)} → "
            f"{format_moment(offers_deadline)} : {reason.strip()}",
        )
        notify_candidates(
            consultation,
            subject=_("%(ref)s: offers deadline extended") % {"ref": consultation.reference},
            template="emails/deadline_extended.txt",
            context={"previous": previous, "reason": reason.strip()},
        )
    return consultation
