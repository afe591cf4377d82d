from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from core.permissions import checker_for
from groupement.hooks import PendingAction
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


def groupements_for_user(user):
    return (
        get_objects_for_user(user, VIEW_GROUPEMENT, klass=Groupement, accept_global_perms=False)
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


def available_actions(obj, user) -> list[str]:
    """Names of the transitions this user may run on obj now (for the buttons)."""
    return [t.name for t in obj.get_available_user_state_transitions(user)]


def memberships_with_actions(groupement, user):
    memberships = list(groupement.memberships.all())
    checker_for(user).prefetch_perms(memberships)
    for membership in memberships:
        membership.groupement = groupement
        membership.actions = available_actions(membership, user)
    return memberships


def pending_actions(user) -> list[PendingAction]:
    """What waits for this user now, for the "Mes actions" dashboard."""
    actions = []
    managed = get_objects_for_user(
        user, MANAGE_GROUPEMENT, klass=Groupement, accept_global_perms=False
    ).filter(state__in=[GroupementState.DRAFT, GroupementState.DELIBERATING])
    for groupement in managed.prefetch_related("memberships__organisation"):
        url = reverse("groupement:detail", args=[groupement.pk])
        if groupement.state == GroupementState.DRAFT:
            actions.append(
                PendingAction(_("Send the convention to the members"), str(groupement), url)
            )
        elif not groupement.in_force_blockers():
            actions.append(PendingAction(_("Put the convention in force"), str(groupement), url))
        else:
            waiting = [
                m.organisation.short_name
                for m in groupement.active_memberships()
                if m.state != MembershipState.SIGNED
            ]
            if waiting:
                actions.append(
                    PendingAction(
                        _("Follow the members' deliberations (waiting for %(orgs)s)")
                        % {"orgs": ", ".join(waiting)},
                        str(groupement),
                        url,
                    )
                )
    mine = (
        get_objects_for_user(user, ACT_FOR_MEMBERSHIP, klass=Membership, accept_global_perms=False)
        .filter(
            groupement__state=GroupementState.DELIBERATING,
            state__in=[MembershipState.INVITED, MembershipState.DELIBERATED],
        )
        .select_related("groupement", "organisation")
    )
    for membership in mine:
        if membership.state == MembershipState.INVITED:
            label = _("Record %(org)s's deliberation") % {"org": membership.organisation.short_name}
            url = reverse("groupement:membership_deliberation", args=[membership.pk])
        else:
            label = _("Sign the convention for %(org)s") % {
                "org": membership.organisation.short_name
            }
            url = reverse("groupement:membership_sign", args=[membership.pk])
        actions.append(PendingAction(label, str(membership.groupement), url))
    return actions
