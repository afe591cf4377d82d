import uuid
from decimal import Decimal

from django.contrib.auth.models import AbstractUser, Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.permissions import has_object_perm
from groupement import rules
from groupement.choices import (
    ACT_FOR_MEMBERSHIP,
    MANAGE_GROUPEMENT,
    VIEW_GROUPEMENT,
    CommitteeKind,
    GroupementState,
    MembershipState,
    Mission,
    OrganisationKind,
    Role,
)
from groupement.identifiers import validate_siret

__all__ = [
    "ACT_FOR_MEMBERSHIP",
    "MANAGE_GROUPEMENT",
    "VIEW_GROUPEMENT",
    "CommitteeKind",
    "GroupementState",
    "MembershipState",
    "Mission",
    "OrganisationKind",
    "Role",
]


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def siren(self) -> str:
        return self.siret[:9]


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        """« Prénom Nom (Organisation) » on every page, export, letter and history: people of
        different members may share a name. Lists of people read their organisation with
        them (select_related)."""
        name = self.get_full_name() or self.username
        if self.organisation_id is None:
            return name
        return f"{name} ({self.organisation.short_name})"


class RoleGroup(models.Model):
    """The Django group that stands for one role within one organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="role_groups"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role_group")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "role"], name="one_group_per_role")
        ]
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")

    def __str__(self):
        return f"{self.organisation.short_name} · {self.get_role_display()}"

    @classmethod
    def holders(cls, users, role) -> set:
        """Those of `users` who hold `role` within their own organisation."""
        users = list(users)
        held = set(
            cls.objects.filter(role=role, group__user__in=[u.pk for u in users]).values_list(
                "group__user", "organisation_id"
            )
        )
        return {u for u in users if (u.pk, u.organisation_id) in held}


def _convention_complete(groupement) -> bool:
    return not groupement.submit_blockers()


def _every_member_signed(groupement) -> bool:
    return not groupement.in_force_blockers()


class Groupement(ConcurrentTransitionMixin, models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose of the convention"))
    duration_months = models.PositiveIntegerField(
        _("duration (months)"), validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    coordinator = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        related_name="coordinated_groupements",
    )
    mission = models.CharField(_("coordinator's mission"), max_length=1, choices=Mission.choices)
    committee_kind = models.CharField(
        _("deciding tender committee"), max_length=20, choices=CommitteeKind.choices
    )
    committee_members = models.ManyToManyField(
        User, verbose_name=_("committee members"), blank=True, related_name="committees"
    )
    committee_chair = models.ForeignKey(
        User,
        verbose_name=_("committee chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_committees",
    )
    withdrawal_allowed = models.BooleanField(
        _("the convention allows a member to withdraw"), default=True
    )
    # None: the rule of CGCT L1411-5, more than half of the members present.
    committee_quorum = models.PositiveIntegerField(
        _("committee quorum"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # What the letters to candidates say: who signs them, and where a decision is contested.
    signatory_name = models.CharField(_("signatory of the letters"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    tribunal = models.CharField(
        _("competent administrative court (name and address)"), max_length=300, blank=True
    )
    state = FSMField(
        _("state"),
        default=GroupementState.DRAFT,
        choices=GroupementState.choices,
        protected=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("groupement de commandes")
        verbose_name_plural = _("groupements de commandes")
        permissions = [("manage_groupement", _("Manage the groupement (coordinator)"))]

    def __str__(self):
        return self.name

    @property
    def signatory(self) -> list[str]:
        """The name and title of whoever signs the letters and decisions for the coordinator,
        as the convention sets them (empty when it names nobody)."""
        return [line for line in (self.signatory_name, self.signatory_title) if line]

    def managed_by(self, user) -> bool:
        """The coordinator's gestionnaires manage the groupement (see groupement.access)."""
        return has_object_perm(user, MANAGE_GROUPEMENT, self)

    @property
    def quorum(self) -> int:
        """Committee members who must be present for the committee to decide."""
        if self.committee_quorum:
            return self.committee_quorum
        return self.committee_members.count() // 2 + 1

    def active_memberships(self):
        return [m for m in self.memberships.all() if m.state != MembershipState.WITHDRAWN]

    def submit_blockers(self) -> list[str]:
        return rules.convention_errors(
            coordinator=self.coordinator,
            members=[(m.organisation, m.share) for m in self.active_memberships()],
        ) + rules.committee_errors(
            kind=self.committee_kind,
            coordinator=self.coordinator,
            member_organisations=[m.organisation for m in self.active_memberships()],
            committee=list(self.committee_members.all()),
            chair=self.committee_chair,
            qualified=RoleGroup.holders(self.committee_members.all(), Role.MEMBRE_CAO),
        )

    def in_force_blockers(self) -> list[str]:
        errors = rules.convention_errors(
            coordinator=self.coordinator,
            members=[(m.organisation, m.share) for m in self.active_memberships()],
        )
        unsigned = [m for m in self.active_memberships() if m.state != MembershipState.SIGNED]
        if unsigned:
            errors.append(rules.unsigned_members_error([m.organisation for m in unsigned]))
        return errors

    @transition(
        field=state,
        source=GroupementState.DRAFT,
        target=GroupementState.DELIBERATING,
        conditions=[_convention_complete],
        permission=lambda groupement, user: groupement.managed_by(user),
    )
    def submit_to_members(self):
        """The convention goes to every member's assembly."""

    @transition(
        field=state,
        source=GroupementState.DELIBERATING,
        target=GroupementState.IN_FORCE,
        conditions=[_every_member_signed],
        permission=lambda groupement, user: groupement.managed_by(user),
    )
    def put_in_force(self):
        """Every member has deliberated and signed: the convention takes effect."""

    @transition(
        field=state,
        source=GroupementState.IN_FORCE,
        target=GroupementState.DISSOLVED,
        permission=lambda groupement, user: groupement.managed_by(user),
    )
    def dissolve(self):
        """The convention ends."""


def deliberation_path(instance, filename):
    # The uploaded name is kept for display only; the stored name is ours.
    return f"deliberations/{uuid.uuid4().hex}.pdf"


def _groupement_deliberating(membership):
    return not rules.deliberation_errors(membership)


def _may_withdraw(membership):
    return not rules.withdrawal_errors(membership)


class Membership(ConcurrentTransitionMixin, models.Model):
    groupement = models.ForeignKey(Groupement, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    share = models.DecimalField(
        _("cost share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    state = FSMField(
        _("state"),
        default=MembershipState.INVITED,
        choices=MembershipState.choices,
        protected=True,
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_document = models.FileField(
        _("decision document"), upload_to=deliberation_path, blank=True
    )
    decision_document_name = models.CharField(max_length=255, blank=True)
    decision_document_sha256 = models.CharField(max_length=64, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["groupement", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["groupement", "organisation"], name="one_membership_per_organisation"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        permissions = [("act_for_membership", _("Deliberate and sign for this member"))]

    def __str__(self):
        return f"{self.organisation} — {self.groupement}"

    def acted_for_by(self, user) -> bool:
        """The member's référent acts for it (see groupement.access)."""
        return has_object_perm(user, ACT_FOR_MEMBERSHIP, self)

    @transition(
        field=state,
        source=MembershipState.INVITED,
        target=MembershipState.DELIBERATED,
        conditions=[_groupement_deliberating],
        permission=lambda membership, user: membership.acted_for_by(user),
    )
    def record_deliberation(self, *, number, date, document, document_name, sha256):
        self.decision_number = number
        self.decision_date = date
        self.decision_document = document
        self.decision_document_name = document_name
        self.decision_document_sha256 = sha256

    @transition(
        field=state,
        source=MembershipState.DELIBERATED,
        target=MembershipState.SIGNED,
        conditions=[_groupement_deliberating],
        permission=lambda membership, user: membership.acted_for_by(user),
    )
    def sign(self, *, signed_on):
        self.signed_on = signed_on

    @transition(
        field=state,
        source=[MembershipState.INVITED, MembershipState.DELIBERATED],
        target=MembershipState.WITHDRAWN,
        conditions=[_groupement_deliberating, _may_withdraw],
        permission=lambda membership, user: membership.acted_for_by(user),
    )
    def withdraw(self, *, explanation):
        self.withdrawal_reason = explanation


# Guardian's direct foreign-key permission tables: no orphans when an object is deleted.
class GroupementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Groupement, on_delete=models.CASCADE)


class GroupementGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Groupement, on_delete=models.CASCADE)


class MembershipUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Membership, on_delete=models.CASCADE)


class MembershipGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Membership, on_delete=models.CASCADE)
