"""The award of each lot: the proposal, the winner's certificates, the deciding body, the
members' approval and the letters that start the standstill."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.choices import CertificateKind, DecidingBody, LetterKind
from procurement.models import Bid, Consultation, Lot
from procurement.models.review import MemberAnswer

__all__ = ["CertificateKind", "DecidingBody", "LetterKind"]


class Award(models.Model):
    """The proposed winner of a lot, as the coordinator proposes it from the ranking."""

    lot = models.OneToOneField(Lot, on_delete=models.CASCADE, related_name="award")
    bid = models.ForeignKey(
        Bid, verbose_name=_("proposed winner"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveIntegerField(_("rank in the evaluation"))
    total = models.DecimalField(_("total score / 100"), max_digits=7, decimal_places=2)
    reason = models.TextField(_("reason for not choosing the first ranked"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    letters_sent_at = models.DateTimeField(_("letters sent at"), null=True, blank=True)
    letters_electronic = models.BooleanField(_("letters sent electronically"), default=True)
    # None when no standstill applies (procédure adaptée, single bidder).
    standstill_ends_at = models.DateTimeField(_("end of the standstill"), null=True, blank=True)

    class Meta:
        ordering = ["lot"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self):
        return f"{self.lot} → {self.bid.bidder}"


class Certificate(models.Model):
    """A certificate of the proposed winner, checked before any award decision or letter."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("certificate"), max_length=10, choices=CertificateKind.choices)
    issued_on = models.DateField(_("issued on"))
    reference = models.CharField(_("reference or issuer"), max_length=120, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        ordering = ["award", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["award", "kind"], name="one_certificate_per_kind")
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.issued_on:%d/%m/%Y}"


class AwardDecision(models.Model):
    """Who decided the award of a consultation, once per award round."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="award_decisions"
    )
    award_round = models.PositiveIntegerField()
    body = models.CharField(_("deciding body"), max_length=20, choices=DecidingBody.choices)
    decided_on = models.DateField(_("date of the decision"))
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members present"),
        blank=True,
        related_name="+",
    )
    quorum = models.PositiveIntegerField(_("quorum"), null=True, blank=True)
    # The committee's votes; none for a decision of the coordinator.
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    casting_vote = models.BooleanField(_("chair's casting vote"), default=False)
    minutes = models.TextField(_("minutes"), blank=True)
    # The procès-verbal as drawn when the decision was recorded, and its fingerprint: what
    # members sign and download later is that document, never a new drawing.
    record = models.FileField(upload_to="proces-verbaux/%Y/", blank=True)
    record_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["consultation", "award_round"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "award_round"], name="one_decision_per_award_round"
            )
        ]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")

    def __str__(self):
        return f"{self.get_body_display()} — {self.decided_on:%d/%m/%Y}"


class AwardApproval(MemberAnswer):
    """A member's answer on the decided award, for one award round."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="award_approvals"
    )
    award_round = models.PositiveIntegerField()

    class Meta:
        ordering = ["consultation", "award_round", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation", "award_round"],
                name="one_award_approval_per_member_and_round",
            )
        ]
        verbose_name = _("member approval of the award")
        verbose_name_plural = _("member approvals of the award")


def letter_path(instance, filename):
    return f"courriers/{uuid.uuid4().hex}.pdf"


class Letter(models.Model):
    """A letter sent to one bidder of a lot, kept as the PDF that was sent."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="letters")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("letter"), max_length=20, choices=LetterKind.choices)
    file = models.FileField(upload_to=letter_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    sent_at = models.DateTimeField(_("sent at"))
    electronic = models.BooleanField(_("sent electronically"))
    email = models.EmailField(_("sent to"), blank=True)

    class Meta:
        ordering = ["award", "kind", "bid__bidder__name"]
        constraints = [models.UniqueConstraint(fields=["award", "bid"], name="one_letter_per_bid")]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.bid.bidder}"
