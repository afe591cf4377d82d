from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core import clock
from groupement.access import is_coordinator_manager, member_represented_by
from groupement.models import Groupement
from procurement import rules
from procurement.choices import (
    CANCELLABLE,
    FORMAL_PROCEDURES,
    ConsultationState,
    LotOutcome,
    Nature,
    Procedure,
)
from procurement.hooks import no_blockers
from procurement.identifiers import validate_cpv

__all__ = ["ConsultationState", "LotOutcome", "Nature", "Procedure"]


def _managed_by(consultation, user) -> bool:
    return is_coordinator_manager(user, consultation.groupement)


def _member_referent(consultation, user) -> bool:
    return member_represented_by(user, consultation.groupement) is not None


def _no_publication_blocker(consultation) -> bool:
    return not rules.publication_blockers(consultation)


def _no_review_blocker(consultation) -> bool:
    return not rules.review_blockers(consultation)


def _every_member_approved(consultation) -> bool:
    return not rules.missing_approvals(consultation)


def _negotiation_allowed(consultation) -> bool:
    return not rules.negotiation_errors(consultation)


def _deadline_passed(consultation) -> bool:
    return rules.deadline_passed(consultation)


class Consultation(ConcurrentTransitionMixin, models.Model):
    groupement = models.ForeignKey(
        Groupement,
        verbose_name=_("groupement"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("object"), max_length=300)
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices)
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices)
    cpv_code = models.CharField(_("CPV code"), max_length=10, validators=[validate_cpv])
    electronic_submission = models.BooleanField(_("electronic submission"), default=True)
    urgency = models.BooleanField(_("urgency"), default=False)
    offer_validity_days = models.PositiveIntegerField(
        _("offer validity (days)"),
        default=120,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    questions_deadline = models.DateTimeField(_("questions deadline"))
    offers_deadline = models.DateTimeField(_("offers deadline"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    review_round = models.PositiveIntegerField(default=1)
    # Each time the members send an award proposal back, its decision and approvals start over.
    award_round = models.PositiveIntegerField(default=1)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    state = FSMField(
        _("state"),
        default=ConsultationState.DRAFT,
        choices=ConsultationState.choices,
        protected=True,
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return f"{self.reference} — {self.title}"

    @property
    def estimated_value(self) -> Decimal:
        return sum((lot.estimated_value for lot in self.lots.all()), Decimal(0))

    @property
    def is_formal(self) -> bool:
        return self.procedure in FORMAL_PROCEDURES

    @transition(
        field=state,
        source=ConsultationState.DRAFT,
        target=ConsultationState.MEMBER_REVIEW,
        conditions=[_no_review_blocker],
        permission=_managed_by,
    )
    def submit_for_review(self):
        """The tender documents go to every member's référent."""

    @transition(
        field=state,
        source=ConsultationState.MEMBER_REVIEW,
        target=ConsultationState.DRAFT,
        permission=_member_referent,
    )
    def send_back(self):
        """A member asks for changes; a new review round starts after them."""
        self.review_round += 1

    @transition(
        field=state,
        source=ConsultationState.MEMBER_REVIEW,
        target=ConsultationState.READY,
        conditions=[_every_member_approved],
        permission=_member_referent,
    )
    def mark_ready(self):
        """The last member's approval makes the consultation ready to publish."""

    @transition(
        field=state,
        source=ConsultationState.READY,
        target=ConsultationState.PUBLISHED,
        conditions=[_no_publication_blocker],
        permission=_managed_by,
    )
    def publish(self, *, at):
        self.published_at = at

    @transition(
        field=state,
        source=ConsultationState.PUBLISHED,
        target=ConsultationState.CLOSED,
        conditions=[_deadline_passed],
    )
    def close(self):
        """The offers deadline has passed: no more bids."""

    @transition(
        field=state,
        source=ConsultationState.CLOSED,
        target=ConsultationState.OPENED,
        conditions=[_deadline_passed],
        permission=_managed_by,
    )
    def open_bids(self):
        """The opening session: the bids received in time are unsealed."""

    @transition(
        field=state,
        source=ConsultationState.OPENED,
        target=ConsultationState.ANALYSIS,
        permission=_managed_by,
    )
    def start_analysis(self):
        """The candidatures and offers are examined."""

    @transition(
        field=state,
        source=ConsultationState.ANALYSIS,
        target=ConsultationState.NEGOTIATION,
        conditions=[_negotiation_allowed],
        permission=_managed_by,
    )
    def start_negotiation(self):
        """Only a procédure adaptée or a procédure avec négociation may negotiate."""

    @transition(
        field=state,
        source=[ConsultationState.ANALYSIS, ConsultationState.NEGOTIATION],
        target=ConsultationState.AWARD_PROPOSED,
        conditions=[no_blockers("propose_award")],
        permission=_managed_by,
    )
    def propose_award(self):
        """Every lot has a proposed winner, or is declared unsuccessful or sans suite."""

    @transition(
        field=state,
        source=ConsultationState.AWARD_PROPOSED,
        target=ConsultationState.ANALYSIS,
        permission=lambda consultation, user: (
            _managed_by(consultation, user) or _member_referent(consultation, user)
        ),
    )
    def reconsider_award(self):
        """A member (or the coordinator) sends the proposal back: a new award round."""
        self.award_round += 1

    @transition(
        field=state,
        source=ConsultationState.AWARD_PROPOSED,
        target=ConsultationState.AWARDED,
        conditions=[no_blockers("award")],
        permission=_member_referent,
    )
    def award(self):
        """The last member's approval of the decided award: the letters may go out."""

    @transition(
        field=state,
        source=ConsultationState.AWARDED,
        target=ConsultationState.COMPLETED,
        conditions=[no_blockers("complete")],
    )
    def complete(self):
        """Every lot has a notified contract or was declared unsuccessful or sans suite."""

    @transition(
        field=state,
        source=[ConsultationState.ANALYSIS, ConsultationState.NEGOTIATION],
        target=ConsultationState.UNSUCCESSFUL,
        permission=_managed_by,
    )
    def declare_unsuccessful(self, *, explanation):
        """No acceptable offer: the consultation is infructueuse."""
        self.cancellation_reason = explanation

    @transition(
        field=state,
        source=CANCELLABLE,
        target=ConsultationState.CANCELLED,
        conditions=[no_blockers("cancel")],
        permission=_managed_by,
    )
    def cancel(self, *, explanation):
        self.cancellation_reason = explanation


class Lot(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveIntegerField(_("lot number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("object of the lot"), max_length=300)
    estimated_value = models.DecimalField(
        _("estimated value (€ HT)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    # A lot may end without a contract while the others are awarded.
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=LotOutcome.choices, default="", blank=True
    )
    outcome_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="one_lot_per_number")
        ]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")

    def __str__(self):
        return f"Lot {self.number} — {self.title}"
