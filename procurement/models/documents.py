import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from procurement.choices import DocumentKind
from procurement.models.consultation import Consultation

__all__ = ["DocumentKind"]


def tender_document_path(instance, filename):
    # The uploaded name is kept for display only; the stored name is ours.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dce/{uuid.uuid4().hex}.{extension}"


class TenderDocument(models.Model):
    """One version of one tender document; a replacement adds a version, never overwrites."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(upload_to=tender_document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    current = models.BooleanField(default=True)
    # Once the consultation is published, why the tender documents changed, as candidates read it.
    change_reason = models.TextField(_("reason for the change"), blank=True)

    class Meta:
        ordering = ["consultation", "kind", "title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "kind", "title", "version"], name="one_document_version"
            )
        ]
        verbose_name = _("tender document")
        verbose_name_plural = _("tender documents")

    def __str__(self):
        return f"{self.title} (v{self.version})"
