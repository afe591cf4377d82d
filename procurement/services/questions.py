"""Candidates' questions and the answers every candidate receives."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.workflow import locked, refuse_if
from journal.services import journal_record
from procurement import rules
from procurement.access import can_manage
from procurement.models import Question
from procurement.notifications import notify_candidates
from procurement.services.consultations import locked_consultation


def question_record(
    *,
    consultation,
    user,
    text: str,
    sender: str,
    sender_email: str = "",
    lot=None,
    received_at=None,
) -> Question:
    """Registers a question as it came: when, from whom, about which lot. A sender who gives an
    e-mail address becomes a known candidate, who receives the answers and the changes."""
    if not can_manage(user, consultation):
        raise PermissionDenied
    refuse_if(rules.question_text_errors(text))
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        refuse_if(rules.question_errors(consultation))
        now = clock.now()
        received_at = received_at or now
        refuse_if(
            rules.question_receipt_errors(
                consultation, sender=sender, received_at=received_at, lot=lot, now=now
            )
        )
        question = Question.objects.create(
            consultation=consultation,
            text=text.strip(),
            received_at=received_at,
            sender=sender.strip(),
            sender_email=sender_email.strip(),
            lot=lot,
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
    refuse_if(rules.answer_text_errors(answer))
    with transaction.atomic():
        question = locked(Question.objects.select_related("consultation"), question.pk)
        consultation = question.consultation
        now = clock.now()
        refuse_if(rules.answer_errors(question, now=now))
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
