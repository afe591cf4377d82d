from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.actions import Action, pending
from core.permissions import checker_for, objects_for_user
from groupement.access import is_coordinator_manager
from groupement.models import (
    ACT_FOR_MEMBERSHIP,
    MANAGE_GROUPEMENT,
    VIEW_GROUPEMENT,
    Groupement,
    GroupementState,
    Membership,
    MembershipState,
    User,
)


def groupement_choices(request):
    """The groupements a list may be narrowed to: those its reader sees (another one's number
    is refused as a choice)."""
    return objects_for_user(request.user, VIEW_GROUPEMENT, Groupement).order_by("name")


def groupements_for_user(user):
    return (
        objects_for_user(user, VIEW_GROUPEMENT, Groupement)
        .select_related("coordinator")
        .annotate(
            member_count=Count("memberships", filter=~Q(memberships__state="withdrawn")),
            signed_count=Count("memberships", filter=Q(memberships__state="signed")),
        )
        .order_by("name")
    )


def groupement_detail(groupement):
    """The groupement with what its page shows, in a fixed number of queries."""
    return (
        Groupement.objects.select_related("coordinator", "committee_chair__organisation")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            ),
            Prefetch("committee_members", queryset=_people()),
        )
        .get(pk=groupement.pk)
    )


def _people():
    return User.objects.select_related("organisation").order_by("organisation__name", "last_name")


def groupement_actions(user, groupement) -> list[Action]:
    """The coordinator's steps on the convention. A step whose rules are not met yet stays
    listed, with its blockers: on « Mes actions » it says what to do next."""
    if not is_coordinator_manager(user, groupement):
        return []
    url = reverse("groupement:detail", args=[groupement.pk])
    subject = str(groupement)
    if groupement.state == GroupementState.DRAFT:
        edit = reverse("groupement:edit", args=[groupement.pk])
        return [
            Action("edit", _("Edit the convention"), edit, subject),
            Action(
                "submit_to_members",
                _("Send the convention to the members"),
                url,
                subject,
                pending=True,
                post=True,
                blockers=groupement.submit_blockers(),
            ),
        ]
    if groupement.state == GroupementState.DELIBERATING:
        blockers = groupement.in_force_blockers()
        waiting = [
            m.organisation.short_name
            for m in groupement.active_memberships()
            if m.state != MembershipState.SIGNED
        ]
        label = (
            _("Follow the members' deliberations (waiting for %(orgs)s)")
            % {"orgs": ", ".join(waiting)}
            if waiting
            else _("Put the convention in force")
        )
        return [
            Action("put_in_force", label, url, subject, pending=True, post=True, blockers=blockers)
        ]
    if groupement.state == GroupementState.IN_FORCE:
        dissolve = reverse("groupement:dissolve", args=[groupement.pk])
        return [Action("dissolve", _("Dissolve"), dissolve, subject)]
    return []


MEMBERSHIP_STEPS = {
    "record_deliberation": ("groupement:membership_deliberation", True),
    "sign": ("groupement:membership_sign", True),
    "withdraw": ("groupement:membership_withdraw", False),
}


def membership_actions(user, membership) -> list[Action]:
    """A référent's steps for their member, as the state machine allows them now."""
    org = membership.organisation.short_name
    labels = {
        "record_deliberation": _("Record %(org)s's deliberation") % {"org": org},
        "sign": _("Sign the convention for %(org)s") % {"org": org},
        "withdraw": _("Withdraw from the groupement"),
    }
    return [
        Action(
            t.name,
            labels[t.name],
            reverse(MEMBERSHIP_STEPS[t.name][0], args=[membership.pk]),
            str(membership.groupement),
            pending=MEMBERSHIP_STEPS[t.name][1],
            target=membership,
        )
        for t in membership.get_available_user_state_transitions(user)
    ]


def available_actions(obj, user) -> list[str]:
    """Names of the steps this user may take now on a groupement or a membership: the page's
    buttons."""
    if isinstance(obj, Membership):
        return [a.name for a in membership_actions(user, obj)]
    return [a.name for a in groupement_actions(user, obj) if not a.blockers]


def memberships_with_actions(groupement, user):
    memberships = list(groupement.memberships.all())
    checker_for(user).prefetch_perms(memberships)
    for membership in memberships:
        membership.groupement = groupement
        membership.actions = {a.name for a in membership_actions(user, membership)}
    return memberships


def pending_actions(user) -> list[Action]:
    """What waits for this user now, for the "Mes actions" dashboard."""
    actions = []
    managed = objects_for_user(user, MANAGE_GROUPEMENT, Groupement).filter(
        state__in=[GroupementState.DRAFT, GroupementState.DELIBERATING]
    )
    for groupement in managed.select_related("coordinator").prefetch_related(
        "memberships__organisation"
    ):
        actions += pending(groupement_actions(user, groupement))
    mine = (
        objects_for_user(user, ACT_FOR_MEMBERSHIP, Membership)
        .filter(
            groupement__state=GroupementState.DELIBERATING,
            state__in=[MembershipState.INVITED, MembershipState.DELIBERATED],
        )
        .select_related("groupement", "organisation")
    )
    for membership in mine:
        actions += pending(membership_actions(user, membership))
    return actions
