"""Candidates who identify themselves on a public notice, to be told of what changes."""

from django.db import transaction

from core import clock
from core.workflow import refuse_if
from journal.services import journal_record
from procurement import rules
from procurement.models import Question, RegisteredCandidate
from procurement.services.consultations import locked_consultation


def candidate_register(
    *, consultation, company: str, siret: str, email: str
) -> tuple[RegisteredCandidate, bool]:
    """Records an identified download of the DCE (no account needed: the candidate is anonymous
    to everyone but the coordinator). Registering the same address again changes nothing."""
    company, siret, email = company.strip(), siret.replace(" ", ""), email.strip().lower()
    refuse_if(rules.registration_errors(company=company, siret=siret))
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        refuse_if(rules.public_notice_errors(consultation))
        candidate, created = RegisteredCandidate.objects.get_or_create(
            consultation=consultation,
            email=email,
            defaults={"company": company, "siret": siret, "registered_at": clock.now()},
        )
        if created:
            journal_record(
                actor=None,
                obj=consultation,
                action="retrait identifié du DCE",
                from_state=consultation.state,
                to_state=consultation.state,
                reason=f"{company} (SIRET {siret})",
            )
    return candidate, created


def candidate_question(
    *, consultation, company: str, siret: str, email: str, text: str, lot=None
) -> Question:
    """A question asked on the public notice, received at server time. Its sender is registered
    like an identified download, so that the answers reach it with every other candidate."""
    company, text = company.strip(), text.strip()
    refuse_if(rules.question_text_errors(text))
    refuse_if(rules.registration_errors(company=company, siret=siret.replace(" ", "")))
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        now = clock.now()
        refuse_if(rules.public_question_errors(consultation, now=now))
        refuse_if(
            rules.question_receipt_errors(
                consultation, sender=company, received_at=now, lot=lot, now=now
            )
        )
        candidate, _created = candidate_register(
            consultation=consultation, company=company, siret=siret, email=email
        )
        question = Question.objects.create(
            consultation=consultation,
            text=text,
            received_at=now,
            sender=company,
            sender_email=candidate.email,
            lot=lot,
        )
        journal_record(
            actor=None,
            obj=consultation,
            action="question reçue",
            from_state=consultation.state,
            to_state=consultation.state,
            reason=f"{company} (avis public) : {text[:200]}",
        )
    return question
