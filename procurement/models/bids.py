import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from groupement.access import is_coordinator_manager
from groupement.identifiers import validate_siret
from procurement import bid_rules
from procurement.choices import (
    CandidatureState,
    GroupingKind,
    LowPriceDecision,
    OfferState,
)
from procurement.models.consultation import Consultation, Lot

__all__ = ["CandidatureState", "GroupingKind", "LowPriceDecision", "OfferState"]


class Bidder(models.Model):
    """An economic operator (opérateur économique), French or foreign."""

    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    foreign_id = models.CharField(
        _("foreign identifier"),
        max_length=40,
        blank=True,
        help_text=_("For an operator without a SIRET: VAT or national registration number."),
    )
    country = models.CharField(_("country"), max_length=2, default="FR")
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"], condition=~models.Q(siret=""), name="one_bidder_per_siret"
            ),
            models.CheckConstraint(
                condition=~models.Q(siret="", foreign_id=""), name="bidder_identified"
            ),
        ]
        verbose_name = _("bidder")
        verbose_name_plural = _("bidders")

    def __str__(self):
        return self.name

    @property
    def identifier(self) -> str:
        return self.siret or f"{self.country} {self.foreign_id}"


def _managed_by(bid, user) -> bool:
    return is_coordinator_manager(user, bid.lot.consultation.groupement)


def _in_analysis(bid) -> bool:
    return not bid_rules.analysis_errors(bid)


def _justification_requested(bid):
    return bid.low_price_requested_at is not None


class Bid(ConcurrentTransitionMixin, models.Model):
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="bids"
    )
    bidder = models.ForeignKey(
        Bidder, verbose_name=_("bidder (lead)"), on_delete=models.PROTECT, related_name="bids"
    )
    grouping = models.CharField(
        _("grouping"), max_length=20, choices=GroupingKind.choices, default=GroupingKind.SINGLE
    )
    received_at = models.DateTimeField(_("received at"))
    receipt_number = models.CharField(_("platform receipt number"), max_length=60, blank=True)
    late = models.BooleanField(_("late"), default=False)
    # Sealed until the opening: stored, never shown before (see procurement.access.bids_are_open).
    price = models.DecimalField(
        _("price (€ HT)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    candidature = FSMField(
        _("candidature"),
        default=CandidatureState.PENDING,
        choices=CandidatureState.choices,
        protected=True,
    )
    candidature_reason = models.TextField(_("reason (candidature)"), blank=True)
    offer = FSMField(
        _("offer"), default=OfferState.PENDING, choices=OfferState.choices, protected=True
    )
    offer_reason = models.TextField(_("reason (offer)"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completion_deadline = models.DateTimeField(_("completion deadline"), null=True, blank=True)
    low_price_requested_at = models.DateTimeField(
        _("justification of the price requested on"), null=True, blank=True
    )
    low_price_decision = models.CharField(
        _("decision on the justification"),
        max_length=20,
        choices=LowPriceDecision.choices,
        blank=True,
    )
    low_price_reason = models.TextField(_("reason (price justification)"), blank=True)

    class Meta:
        ordering = ["lot", "received_at"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "bidder"], name="one_bid_per_bidder_and_lot"),
        ]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")

    def __str__(self):
        return f"{self.bidder} — lot {self.lot.number}"

    # Candidature: checked first; "completion requested" gives every candidate concerned the
    # same delay (art. R2144-2 CCP).
    @transition(
        field=candidature,
        source=CandidatureState.PENDING,
        target=CandidatureState.COMPLETION_REQUESTED,
        conditions=[_in_analysis],
        permission=_managed_by,
    )
    def request_completion(self, *, deadline):
        self.completion_deadline = deadline

    @transition(
        field=candidature,
        source=[CandidatureState.PENDING, CandidatureState.COMPLETION_REQUESTED],
        target=CandidatureState.ADMITTED,
        conditions=[_in_analysis],
        permission=_managed_by,
    )
    def admit(self, *, explanation):
        self.candidature_reason = explanation

    @transition(
        field=candidature,
        source=[CandidatureState.PENDING, CandidatureState.COMPLETION_REQUESTED],
        target=CandidatureState.REJECTED,
        conditions=[_in_analysis],
        permission=_managed_by,
    )
    def reject(self, *, explanation):
        self.candidature_reason = explanation

    # Offer: each decision carries its written reason (art. R2152-1 and following CCP).
    @transition(
        field=offer,
        source=[OfferState.PENDING, OfferState.REGULARISATION_REQUESTED],
        target=OfferState.REGULAR,
        conditions=[_in_analysis],
        permission=_managed_by,
    )
    def mark_regular(self, *, explanation):
        self.offer_reason = explanation

    @transition(
        field=offer,
        source=[OfferState.PENDING, OfferState.REGULARISATION_REQUESTED],
        target=OfferState.IRREGULAR,
        conditions=[_in_analysis],
        permission=_managed_by,
    )
    def mark_irregular(self, *, explanation):
        self.offer_reason = explanation

    @transition(
        field=offer,
        source=OfferState.IRREGULAR,
        target=OfferState.REGULARISATION_REQUESTED,
        conditions=[_in_analysis],
        permission=_managed_by,
    )
    def request_regularisation(self, *, explanation):
        self.offer_reason = explanation

    @transition(
        field=offer,
        source=OfferState.PENDING,
        target=OfferState.UNACCEPTABLE,
        conditions=[_in_analysis],
        permission=_managed_by,
    )
    def mark_unacceptable(self, *, explanation):
        self.offer_reason = explanation

    @transition(
        field=offer,
        source=OfferState.PENDING,
        target=OfferState.INAPPROPRIATE,
        conditions=[_in_analysis],
        permission=_managed_by,
    )
    def mark_inappropriate(self, *, explanation):
        self.offer_reason = explanation

    @transition(
        field=offer,
        source=[OfferState.PENDING, OfferState.REGULAR],
        target=OfferState.ABNORMALLY_LOW,
        conditions=[_in_analysis, _justification_requested],
        permission=_managed_by,
    )
    def reject_abnormally_low(self, *, explanation):
        self.low_price_decision = LowPriceDecision.REJECTED
        self.low_price_reason = explanation
        self.offer_reason = explanation


class BidMember(models.Model):
    """Another member of a joint bid, besides the lead bidder (mandataire)."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="members")
    bidder = models.ForeignKey(Bidder, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bid", "bidder"], name="one_membership_per_bid")
        ]

    def __str__(self):
        return str(self.bidder)


class Subcontractor(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="subcontractors")
    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    services = models.CharField(_("subcontracted services"), max_length=300)

    def __str__(self):
        return self.name


def bid_document_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"plis/{uuid.uuid4().hex}.{extension}"


class BidDocument(models.Model):
    """A document of a bid: stored at reception, readable only once the bids are opened."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=bid_document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["bid", "original_name"]
        verbose_name = _("bid document")
        verbose_name_plural = _("bid documents")

    def __str__(self):
        return self.original_name


class Opening(models.Model):
    """The opening session of a consultation's bids: who, when, and what was found."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.PROTECT, related_name="opening"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    bids_count = models.PositiveIntegerField(_("bids opened"))
    late_count = models.PositiveIntegerField(_("late bids (not opened)"))
    minutes = models.TextField(_("what was found"))

    class Meta:
        verbose_name = _("opening of the bids")

    def __str__(self):
        return f"{self.consultation.reference} — {self.opened_at:%d/%m/%Y %H:%M}"
