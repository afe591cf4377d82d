"""The access layer: roles become django-guardian object permissions on role groups.

Each (organisation, role) pair has one Django group. Services call `sync_groupement_permissions`
whenever a groupement is created or its memberships change; views fetch objects through
`get_groupement_for_user` / `get_membership_for_user`, which answer 404 to people outside the
groupement and 403 to those inside it who lack the right.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.core import ObjectPermissionChecker

from groupement.models import (
    Groupement,
    GroupementGroupObjectPermission,
    Membership,
    MembershipGroupObjectPermission,
    Role,
    RoleGroup,
)

VIEW_GROUPEMENT = "groupement.view_groupement"
MANAGE_GROUPEMENT = "groupement.manage_groupement"
ACT_FOR_MEMBERSHIP = "groupement.act_for_membership"


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
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        cached = set(
            RoleGroup.objects.filter(
                group__user=user, organisation_id=user.organisation_id
            ).values_list("role", flat=True)
        )
        user._roles_cache = cached
    return cached


def users_with_role(users, role) -> set:
    ids = {u.pk for u in users}
    holders = set(
        RoleGroup.objects.filter(role=role, group__user__in=ids).values_list(
            "group__user", "organisation_id"
        )
    )
    return {u for u in users if (u.pk, u.organisation_id) in holders}


def checker_for(user) -> ObjectPermissionChecker:
    """One checker per user object, so prefetched permissions serve a whole page."""
    checker = getattr(user, "_perm_checker", None)
    if checker is None:
        checker = ObjectPermissionChecker(user)
        user._perm_checker = checker
    return checker


def forget_cached_perms(user) -> None:
    for attr in ("_perm_checker", "_roles_cache"):
        user.__dict__.pop(attr, None)


def has_object_perm(user, perm: str, obj) -> bool:
    if not user.is_authenticated:
        return False
    return checker_for(user).has_perm(perm, obj)


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


def get_groupement_for_user(user, pk, *, perm: str | None = None) -> Groupement:
    """404 for people outside the groupement, 403 for those inside without `perm`."""
    groupement = get_object_or_404(Groupement.objects.select_related("coordinator"), pk=pk)
    if not has_object_perm(user, VIEW_GROUPEMENT, groupement):
        raise Http404
    if perm and not has_object_perm(user, perm, groupement):
        raise PermissionDenied
    return groupement


def get_membership_for_user(user, pk, *, perm: str | None = None) -> Membership:
    membership = get_object_or_404(
        Membership.objects.select_related("groupement__coordinator", "organisation"), pk=pk
    )
    if not has_object_perm(user, VIEW_GROUPEMENT, membership.groupement):
        raise Http404
    if perm and not has_object_perm(user, perm, membership):
        raise PermissionDenied
    return membership
