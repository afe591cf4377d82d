"""Award and rejection letters sent by e-mail, by the task queue, with their PDF attached."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

from contracts.models import Letter
from core.tasks import MAX_ATTEMPTS, retry_later

logger = logging.getLogger(__name__)


@task()
def send_letter(
    *, letter_id: int, subject: str, body: str, attachment_name: str, attempt: int = 1
) -> None:
    """Mails one letter, the PDF read from storage as it was kept when the letters were sent.
    When the mail server fails, the letter is tried again later."""
    letter = Letter.objects.get(pk=letter_id)
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[letter.email]
    )
    with letter.file.open("rb") as pdf:
        message.attach(attachment_name, pdf.read(), "application/pdf")
    try:
        message.send(fail_silently=False)
    except Exception as error:
        logger.warning(
            "Letter to %s failed (attempt %d of %d): %s: %r",
            letter.email,
            attempt,
            MAX_ATTEMPTS,
            subject,
            error,
        )
        retry_later(
            send_letter,
            attempt=attempt,
            what=f"Letter « {subject} » (letter {letter_id}) not sent to {letter.email}",
            letter_id=letter_id,
            subject=subject,
            body=body,
            attachment_name=attachment_name,
        )
        raise
