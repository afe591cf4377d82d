from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from procurement.models.consultation import Consultation, Lot


class Question(models.Model):
    """A candidate's question, asked on the public notice or recorded by the coordinator as it
    came; its answer goes to every candidate."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    text = models.TextField(_("question"))
    received_at = models.DateTimeField(_("received at"))
    # Who asked stays in the register; the answer goes to every candidate without naming them.
    sender = models.CharField(_("sender"), max_length=200)
    sender_email = models.EmailField(_("sender's e-mail"), blank=True)
    lot = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("lot"),
    )
    # None when the candidate asked it itself on the public notice.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["consultation", "received_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:60]
