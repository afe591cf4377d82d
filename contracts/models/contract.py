"""The contract of each awarded lot, shared by the members, and its amendments."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from contracts import contract_rules
from contracts.choices import (
    AmendmentGround,
    AmendmentState,
    AmountKind,
    Ccag,
    ContractState,
    EnvironmentalConsideration,
    ExecutionMode,
    PriceForm,
    PriceType,
    SocialConsideration,
    TerminationGround,
)
from contracts.models.award import Award
from core import clock
from groupement.models import Organisation
from procurement.access import can_manage, member_membership
from procurement.models import Bidder, Lot

__all__ = [
    "AmendmentGround",
    "AmendmentState",
    "AmountKind",
    "Ccag",
    "ContractState",
    "EnvironmentalConsideration",
    "ExecutionMode",
    "PriceForm",
    "PriceType",
    "SocialConsideration",
    "TerminationGround",
]


def _contract_is_managed(contract, user) -> bool:
    return can_manage(user, contract.lot.consultation)


def _every_signatory_signed(contract) -> bool:
    return not contract_rules.missing_signatories(contract)


def _standstill_over(contract) -> bool:
    return not contract_rules.standstill_errors(contract)


class Contract(ConcurrentTransitionMixin, models.Model):
    lot = models.OneToOneField(Lot, on_delete=models.PROTECT, related_name="contract")
    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="contract")
    holder = models.ForeignKey(
        Bidder, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="contracts"
    )
    # The DECP identifier: at most 16 characters, unique for the buyer.
    number = models.CharField(_("contract number"), max_length=16, unique=True)
    title = models.CharField(_("object"), max_length=300)
    amount = models.DecimalField(
        _("amount (€ HT)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"))],
    )
    amount_kind = models.CharField(
        _("amount"), max_length=10, choices=AmountKind.choices, default=AmountKind.FIXED
    )
    duration_months = models.PositiveIntegerField(
        _("duration (months)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    price_form = models.CharField(
        _("price form"), max_length=20, choices=PriceForm.choices, default=PriceForm.LUMP_SUM
    )
    price_type = models.CharField(
        _("price type"), max_length=30, choices=PriceType.choices, default=PriceType.REVISABLE
    )
    ccag = models.CharField(_("CCAG"), max_length=60, choices=Ccag.choices, default=Ccag.FCS)
    execution_mode = models.CharField(
        _("execution"), max_length=30, choices=ExecutionMode.choices, default=ExecutionMode.NONE
    )
    framework_agreement = models.BooleanField(_("framework agreement"), default=False)
    place_code = models.CharField(
        _("place of execution (département code)"), max_length=5, default="62"
    )
    social = models.CharField(
        _("social considerations"),
        max_length=40,
        choices=SocialConsideration.choices,
        default=SocialConsideration.NONE,
    )
    environmental = models.CharField(
        _("environmental considerations"),
        max_length=40,
        choices=EnvironmentalConsideration.choices,
        default=EnvironmentalConsideration.NONE,
    )
    innovative = models.BooleanField(_("innovative"), default=False)
    advance_rate = models.DecimalField(
        _("advance (share of the amount)"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    shares_overridden = models.BooleanField(_("shares set for this contract"), default=False)
    state = FSMField(
        _("state"), default=ContractState.TO_SIGN, choices=ContractState.choices, protected=True
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    started_on = models.DateField(_("execution started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    termination_ground = models.CharField(
        _("ground for termination"), max_length=20, choices=TerminationGround.choices, blank=True
    )
    termination_reason = models.TextField(_("explanation of the termination"), blank=True)
    data_published_on = models.DateField(_("essential data published on"), null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["lot"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self):
        return f"{self.number} — {self.holder}"

    @property
    def consultation(self):
        return self.lot.consultation

    @transition(
        field=state,
        source=ContractState.TO_SIGN,
        target=ContractState.SIGNED,
        conditions=[_standstill_over, _every_signatory_signed],
    )
    def mark_signed(self, *, on):
        """The last signatory's signature concludes the contract."""
        self.signed_on = on

    @transition(
        field=state,
        source=ContractState.SIGNED,
        target=ContractState.NOTIFIED,
        permission=_contract_is_managed,
    )
    def notify(self, *, on):
        self.notified_on = on

    @transition(
        field=state,
        source=ContractState.NOTIFIED,
        target=ContractState.IN_EXECUTION,
        permission=_contract_is_managed,
    )
    def start_execution(self, *, on):
        self.started_on = on

    @transition(
        field=state,
        source=ContractState.IN_EXECUTION,
        target=ContractState.COMPLETED,
        permission=_contract_is_managed,
    )
    def finish(self, *, on):
        self.ended_on = on

    @transition(
        field=state,
        source=[ContractState.NOTIFIED, ContractState.IN_EXECUTION],
        target=ContractState.TERMINATED,
        permission=_contract_is_managed,
    )
    def terminate(self, *, on, ground, explanation):
        self.ended_on = on
        self.termination_ground = ground
        self.termination_reason = explanation


class ContractShare(models.Model):
    """A member's part of a contract: its share and the amount it pays, to the cent."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount (€ HT)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["contract", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "organisation"], name="one_share_per_member_and_contract"
            )
        ]
        verbose_name = _("member's share")
        verbose_name_plural = _("members' shares")

    def __str__(self):
        return f"{self.organisation} — {self.share} %"


def _member_of(amendment, user) -> bool:
    return member_membership(user, amendment.contract.lot.consultation) is not None


def _every_member_approved_amendment(amendment) -> bool:
    return not contract_rules.missing_amendment_approvals(amendment)


def _amendment_signed_by_all(amendment) -> bool:
    return not contract_rules.missing_signatories(amendment.contract, amendment=amendment)


class Amendment(ConcurrentTransitionMixin, models.Model):
    """A modification of the contract (avenant), numbered in order for the open data."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveIntegerField(_("number"))
    ground = models.CharField(_("legal ground"), max_length=20, choices=AmendmentGround.choices)
    description = models.TextField(_("object of the modification"))
    amount_change = models.DecimalField(
        _("change of the amount (€ HT)"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    duration_change_months = models.IntegerField(_("change of the duration (months)"), default=0)
    committee_opinion_on = models.DateField(
        _("date of the tender committee's opinion"), null=True, blank=True
    )
    committee_opinion = models.TextField(_("tender committee's opinion"), blank=True)
    state = FSMField(
        _("state"),
        default=AmendmentState.PROPOSED,
        choices=AmendmentState.choices,
        protected=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    data_published_on = models.DateField(_("essential data published on"), null=True, blank=True)

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="one_amendment_per_number")
        ]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self):
        return f"Avenant n° {self.number} — {self.contract.number}"

    @transition(
        field=state,
        source=AmendmentState.PROPOSED,
        target=AmendmentState.APPROVED,
        conditions=[_every_member_approved_amendment],
        permission=_member_of,
    )
    def approve(self):
        """The last member's approval."""

    @transition(
        field=state,
        source=AmendmentState.PROPOSED,
        target=AmendmentState.REFUSED,
        permission=_member_of,
    )
    def refuse(self, *, explanation):
        self.refusal_reason = explanation

    @transition(
        field=state,
        source=AmendmentState.APPROVED,
        target=AmendmentState.SIGNED,
        conditions=[_amendment_signed_by_all],
    )
    def mark_signed(self, *, on):
        self.signed_on = on


class AmendmentApproval(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="approvals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    approved = models.BooleanField(_("approved"))
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["amendment", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["amendment", "organisation"], name="one_approval_per_member_and_amendment"
            )
        ]
        verbose_name = _("member approval of an amendment")
        verbose_name_plural = _("member approvals of amendments")

    def __str__(self):
        return f"{self.organisation} — {'approuvé' if self.approved else 'refusé'}"


class Signature(models.Model):
    """A signatory's signature of a contract, or of one of its amendments.

    The coordinator signs for everyone when its mission includes signing (B, C); otherwise each
    member signs its own part (A).
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signatures")
    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, null=True, blank=True, related_name="signatures"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["contract", "amendment", "signed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "organisation"],
                condition=models.Q(amendment__isnull=True),
                name="one_contract_signature_per_signatory",
            ),
            models.UniqueConstraint(
                fields=["amendment", "organisation"],
                condition=models.Q(amendment__isnull=False),
                name="one_amendment_signature_per_signatory",
            ),
        ]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self):
        return f"{self.organisation} — {self.signed_on:%d/%m/%Y}"
