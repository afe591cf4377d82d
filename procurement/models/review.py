from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groupement.models import Organisation
from procurement.choices import ReviewDecision
from procurement.models.consultation import Consultation

__all__ = ["ReviewDecision"]


class MemberAnswer(models.Model):
    """A member's answer, given by its référent: on the tender documents or on the award."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.organisation} — {self.get_decision_display()}"


class MemberReview(MemberAnswer):
    """A member's answer on the tender documents, for one review round."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="reviews")
    review_round = models.PositiveIntegerField()

    class Meta:
        ordering = ["consultation", "review_round", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation", "review_round"],
                name="one_review_per_member_and_round",
            )
        ]
        verbose_name = _("member review")
        verbose_name_plural = _("member reviews")
