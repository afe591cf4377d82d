"""Who may see and do what in a groupement: roles become django-guardian object permissions.

Each (organisation, role) pair has one Django group. Services call `sync_groupement_permissions`
whenever a groupement is created or its memberships change. Views, services and the state
machines of every app ask the predicates below; pages fetch objects through the `get_*_for_user`
helpers, which answer 404 to people outside the groupement and 403 to those inside it who lack
the right. Arguments always come in the order (user, object).
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.permissions import cached_on_user, checker_for, forget_cached_perms, has_object_perm
from groupement.models import (
    ACT_FOR_MEMBERSHIP,
    MANAGE_GROUPEMENT,
    VIEW_GROUPEMENT,
    Groupement,
    GroupementGroupObjectPermission,
    Membership,
    MembershipGroupObjectPermission,
    MembershipState,
    Role,
    RoleGroup,
)

__all__ = ["ACT_FOR_MEMBERSHIP", "MANAGE_GROUPEMENT", "VIEW_GROUPEMENT"]


# --- Roles -----------------------------------------------------------------------------------


def role_group(organisation, role) -> Group:
    try:
        return (
            RoleGroup.objects.select_related("group")
            .get(organisation=organisation, role=role)
            .group
        )
    except RoleGroup.DoesNotExist:
        group, _ = Group.objects.get_or_create(
            name=f"{organisation.short_name} · {Role(role).value}"
        )
        RoleGroup.objects.create(organisation=organisation, role=role, group=group)
        return group


def grant_role(user, role) -> None:
    """Give a person a role within their own organisation."""
    if user.organisation_id is None:
        raise ValueError("A person without an organisation holds no role.")
    user.groups.add(role_group(user.organisation, role))
    forget_cached_perms(user)


def user_roles(user) -> set[str]:
    if not user.is_authenticated or user.organisation_id is None:
        return set()
    return cached_on_user(
        user,
        "_roles_cache",
        lambda: set(
            RoleGroup.objects.filter(
                group__user=user, organisation_id=user.organisation_id
            ).values_list("role", flat=True)
        ),
    )


def has_role(user, role) -> bool:
    return role in user_roles(user)


# --- Predicates --------------------------------------------------------------------------------


def can_view(user, groupement) -> bool:
    """Every person of a member organisation reads the groupement and what it buys."""
    return has_object_perm(user, VIEW_GROUPEMENT, groupement)


def is_coordinator_manager(user, groupement) -> bool:
    """The coordinator's gestionnaires run the groupement and its consultations."""
    return groupement.managed_by(user)


def acts_for_member(user, membership) -> bool:
    """The member's référent deliberates, signs and answers for it."""
    return membership.acted_for_by(user)


def member_represented_by(user, groupement) -> Membership | None:
    """The signed membership this user answers for as its référent (reviews, approvals,
    signatures in mission A), if any. Reads `groupement.memberships.all()`, so callers that
    loop prefetch it."""
    if not user.is_authenticated or user.organisation_id is None:
        return None
    for membership in groupement.memberships.all():
        if (
            membership.organisation_id == user.organisation_id
            and membership.state == MembershipState.SIGNED
            and checker_for(user).has_perm(ACT_FOR_MEMBERSHIP, membership)
        ):
            return membership
    return None


# --- Permissions of a groupement -------------------------------------------------------------


def sync_groupement_permissions(groupement: Groupement) -> None:
    """Recompute every object permission of a groupement and its memberships from its members."""
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="groupement",
            codename__in=["view_groupement", "manage_groupement", "act_for_membership"],
        )
    }
    memberships = list(groupement.memberships.select_related("organisation"))
    GroupementGroupObjectPermission.objects.filter(content_object=groupement).delete()
    MembershipGroupObjectPermission.objects.filter(content_object__groupement=groupement).delete()

    groupement_rows = []
    membership_rows = []
    for membership in memberships:
        for role in Role:
            groupement_rows.append(
                GroupementGroupObjectPermission(
                    group=role_group(membership.organisation, role),
                    permission=perms["view_groupement"],
                    content_object=groupement,
                )
            )
        membership_rows.append(
            MembershipGroupObjectPermission(
                group=role_group(membership.organisation, Role.REFERENT),
                permission=perms["act_for_membership"],
                content_object=membership,
            )
        )
    groupement_rows.append(
        GroupementGroupObjectPermission(
            group=role_group(groupement.coordinator, Role.GESTIONNAIRE),
            permission=perms["manage_groupement"],
            content_object=groupement,
        )
    )
    GroupementGroupObjectPermission.objects.bulk_create(groupement_rows)
    MembershipGroupObjectPermission.objects.bulk_create(membership_rows)


# --- Objects for a user ----------------------------------------------------------------------


def get_groupement_for_user(user, pk, *, manage: bool = False) -> Groupement:
    """404 for people outside the groupement, 403 for those inside who may not manage it."""
    groupement = get_object_or_404(Groupement.objects.select_related("coordinator"), pk=pk)
    if not can_view(user, groupement):
        raise Http404
    if manage and not is_coordinator_manager(user, groupement):
        raise PermissionDenied
    return groupement


def get_membership_for_user(user, pk, *, act: bool = False) -> Membership:
    """404 outside the groupement; 403 for acting without being the member's référent."""
    membership = get_object_or_404(
        Membership.objects.select_related("groupement__coordinator", "organisation"), pk=pk
    )
    if not can_view(user, membership.groupement):
        raise Http404
    if act and not acts_for_member(user, membership):
        raise PermissionDenied
    return membership
