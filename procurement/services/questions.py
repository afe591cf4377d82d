"""Candidates' questions and the answers every candidate receives."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.workflow import BusinessRuleError, locked
from journal.services import journal_record
from procurement import delays
from procurement.access import can_manage
from procurement.models import ConsultationState, Question
from procurement.notifications import notify_candidates
from procurement.services.consultations import locked_consultation


def question_record(*, consultation, user, text: str, received_at=None) -> Question:
    if not can_manage(user, consultation):
        raise PermissionDenied
    if not text.strip():
        raise BusinessRuleError(_("The question is empty."))
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        if consultation.state != ConsultationState.PUBLISHED:
            raise BusinessRuleError(
                _("Questions are recorded while the consultation is published.")
            )
        question = Question.objects.create(
            consultation=consultation,
            text=text.strip(),
            received_at=received_at or clock.now(),
            recorded_by=user,
        )
        journal_record(
            actor=user,
            obj=consultation,
            action="question reçue",
            from_state=consultation.state,
            to_state=consultation.state,
            reason=text.strip()[:200],
        )
    return question


def question_answer(*, question, user, answer: str) -> Question:
    """Publishes the answer to every known candidate.

    In a formal procedure candidates must have it at least 6 days (4 in urgency) before the
    offers deadline (art. R2132-6 CCP); later, the deadline has to be extended first.
    """
    consultation = question.consultation
    if not can_manage(user, consultation):
        raise PermissionDenied
    if not answer.strip():
        raise BusinessRuleError(_("The answer is empty."))
    with transaction.atomic():
        question = locked(Question.objects.select_related("consultation"), question.pk)
        consultation = question.consultation
        if consultation.state != ConsultationState.PUBLISHED:
            raise BusinessRuleError(_("Answers are published while the consultation is published."))
        if question.answered_at:
            raise BusinessRuleError(_("This question has already been answered."))
        now = clock.now()
        if consultation.is_formal:
            notice = delays.information_notice(consultation.procedure, urgency=consultation.urgency)
            if now > delays.add_days(consultation.offers_deadline, -notice.days):
                raise BusinessRuleError(
                    _(
                        "In a formal procedure answers reach candidates at least %(days)s days "
                        "before the offers deadline (%(rule)s): extend the deadline first."
                    )
                    % {"days": notice.days, "rule": notice.rule}
                )
        question.answer = answer.strip()
        question.answered_at = now
        question.answered_by = user
        question.save(update_fields=["answer", "answered_at", "answered_by"])
        journal_record(
            actor=user,
            obj=consultation,
            action="réponse publiée",
            from_state=consultation.state,
            to_state=consultation.state,
            reason=answer.strip()[:200],
        )
        notify_candidates(
            consultation,
            subject=_("%(ref)s: answer to a question") % {"ref": consultation.reference},
            template="emails/answer_published.txt",
            context={"question": question},
        )
    return question
