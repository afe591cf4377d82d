"""E-mails to candidates, sent once the transaction that decided them has committed."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string

from procurement.models import Bidder

logger = logging.getLogger(__name__)


def candidate_emails(consultation) -> list[str]:
    """Every known candidate: the bidders and joint-bid members who deposited a bid."""
    emails = Bidder.objects.filter(bids__lot__consultation=consultation).exclude(email="")
    joint = Bidder.objects.filter(pk__in=consultation.lots.values("bids__members__bidder")).exclude(
        email=""
    )
    return sorted(
        set(emails.values_list("email", flat=True)) | set(joint.values_list("email", flat=True))
    )


def notify_candidates(consultation, *, subject, template, context) -> None:
    recipients = candidate_emails(consultation)
    if not recipients:
        return
    body = render_to_string(template, {"consultation": consultation, **context})
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]

    def send():
        # The decision is saved whatever the mail server says; a failure is logged loudly
        # so that the coordinator's team can send the message again.
        try:
            send_mass_mail(messages, fail_silently=False)
        except Exception:
            logger.exception("Mail to the candidates of %s failed: %s", consultation, subject)

    transaction.on_commit(send)
