"""E-mails to candidates, sent by the task queue once the decision has committed."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django_tasks import task

from core.tasks import MAX_ATTEMPTS, enqueue_on_commit, retry_later
from procurement.models import Bidder

logger = logging.getLogger(__name__)


def candidate_emails(consultation) -> list[str]:
    """Every known candidate: the bidders and joint-bid members who deposited a bid, those who
    asked a question leaving their address, and those who identified themselves on the public
    notice."""
    emails = Bidder.objects.filter(bids__lot__consultation=consultation).exclude(email="")
    joint = Bidder.objects.filter(pk__in=consultation.lots.values("bids__members__bidder")).exclude(
        email=""
    )
    askers = consultation.questions.exclude(sender_email="").values_list("sender_email", flat=True)
    registered = consultation.registered_candidates.values_list("email", flat=True)
    return sorted(
        set(emails.values_list("email", flat=True))
        | set(joint.values_list("email", flat=True))
        | set(askers)
        | set(registered)
    )


def notify_candidates(consultation, *, subject, template, context) -> None:
    """Writes the message now, as the decision says it, and sends it after the commit."""
    recipients = candidate_emails(consultation)
    if not recipients:
        return
    body = render_to_string(template, {"consultation": consultation, **context})
    enqueue_on_commit(
        send_to_candidates,
        consultation=consultation.reference,
        subject=str(subject),
        body=body,
        recipients=recipients,
    )


@task()
def send_to_candidates(
    *, consultation: str, subject: str, body: str, recipients: list[str], attempt: int = 1
) -> None:
    """One message per candidate, in turn. When the mail server fails, those not sent yet are
    tried again later: nobody gets the message twice, nobody is forgotten."""
    remaining = list(recipients)
    try:
        with get_connection(fail_silently=False) as connection:
            while remaining:
                EmailMessage(
                    subject,
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [remaining[0]],
                    connection=connection,
                ).send()
                remaining.pop(0)
    except Exception as error:
        logger.warning(
            "Mail to the candidates of %s failed (attempt %d of %d): %s: %r",
            consultation,
            attempt,
            MAX_ATTEMPTS,
            subject,
            error,
        )
        retry_later(
            send_to_candidates,
            attempt=attempt,
            what=f"Mail to the candidates of {consultation} « {subject} » "
            f"not sent to {', '.join(remaining)}",
            consultation=consultation,
            subject=subject,
            body=body,
            recipients=remaining,
        )
        raise
