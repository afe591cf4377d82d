from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from procurement.access import can_manage
from procurement.models import Bid, Lot
from scoring import rules
from scoring.choices import PriceFormula, SheetState

__all__ = ["PriceFormula", "SheetState"]


class Grid(models.Model):
    """The criteria grid of a lot; frozen, with its content hash, when the consultation is
    published."""

    lot = models.OneToOneField(Lot, on_delete=models.CASCADE, related_name="grid")
    price_formula = models.CharField(
        _("price formula"),
        max_length=20,
        choices=PriceFormula.choices,
        default=PriceFormula.PROPORTIONAL,
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("criteria grid")
        verbose_name_plural = _("criteria grids")

    def __str__(self):
        return f"Grille — {self.lot}"


class Criterion(models.Model):
    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField()
    name = models.CharField(_("criterion"), max_length=200)
    # Points out of 100: a sub-criterion's points are part of its parent's.
    weight = models.DecimalField(
        _("weight (points)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    is_price = models.BooleanField(_("price criterion"), default=False)
    scale_max = models.DecimalField(
        _("best score"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    levels = models.TextField(
        _("described levels"),
        blank=True,
        help_text=_("One level per line: score: description"),
    )

    class Meta:
        ordering = ["grid", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name


class PanelMember(models.Model):
    """An evaluator named on a lot by the coordinator."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="panel")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panels"
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    named_at = models.DateTimeField()
    # The signed declaration of no conflict of interest, naming the bidders.
    declared_at = models.DateTimeField(_("declaration signed at"), null=True, blank=True)
    declared_bidders = models.TextField(_("bidders named in the declaration"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lot", "evaluator"], name="one_seat_per_evaluator")
        ]
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluation panel")

    def __str__(self):
        return f"{self.evaluator} — {self.lot}"


def _is_the_evaluator(sheet, user):
    return user is not None and sheet.panel_member.evaluator_id == user.pk


def _can_manage(sheet, user) -> bool:
    return can_manage(user, sheet.bid.lot.consultation)


def _complete(sheet) -> bool:
    return not rules.sheet_errors(sheet)


class ScoreSheet(ConcurrentTransitionMixin, models.Model):
    """One evaluator's scores for one bid; blind until every sheet of the lot is submitted."""

    panel_member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="sheets")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="sheets")
    state = FSMField(
        _("state"), default=SheetState.DRAFT, choices=SheetState.choices, protected=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel_member", "bid"], name="one_sheet_per_bid")
        ]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self):
        return f"{self.panel_member.evaluator} — {self.bid.bidder}"

    @transition(
        field=state,
        source=SheetState.DRAFT,
        target=SheetState.SUBMITTED,
        conditions=[_complete],
        permission=_is_the_evaluator,
    )
    def submit(self, *, at):
        self.submitted_at = at

    @transition(
        field=state, source=SheetState.SUBMITTED, target=SheetState.DRAFT, permission=_can_manage
    )
    def reopen(self, *, explanation):
        self.reopen_reason = explanation
        self.submitted_at = None


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    justification = models.TextField(_("justification"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion} : {self.value}"


class Consolidated(models.Model):
    """The score the coordinator sets per (bid, criterion) after the evaluators' sheets."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="consolidated")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("consolidated score"), max_digits=5, decimal_places=2)
    mean = models.DecimalField(_("mean of the sheets"), max_digits=5, decimal_places=2)
    justification = models.TextField(_("justification"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="one_consolidated_score")
        ]
        verbose_name = _("consolidated score")
        verbose_name_plural = _("consolidated scores")

    def __str__(self):
        return f"{self.bid} — {self.criterion} : {self.value}"
