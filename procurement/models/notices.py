from django.db import models
from django.utils.translation import gettext_lazy as _

from procurement.models.consultation import Consultation


class RegisteredCandidate(models.Model):
    """A company that identified itself on the public notice (the DCE stays free without it):
    it then receives the answers to questions, the changes of the DCE and the extensions."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="registered_candidates"
    )
    company = models.CharField(_("company"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14)
    email = models.EmailField(_("e-mail"))
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        ordering = ["consultation", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "email"], name="one_registration_per_address"
            )
        ]
        verbose_name = _("registered candidate")
        verbose_name_plural = _("registered candidates")

    def __str__(self):
        return f"{self.company} ({self.siret})"
