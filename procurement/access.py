"""Who may see and act on a consultation: it follows the groupement's permissions.

The coordinator's gestionnaires manage it; each member's référent reviews it for their member;
everyone in the groupement may read it; outsiders get 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from groupement.access import (
    ACT_FOR_MEMBERSHIP,
    MANAGE_GROUPEMENT,
    VIEW_GROUPEMENT,
    checker_for,
    has_object_perm,
)
from groupement.models import MembershipState
from procurement.models import Consultation

MANAGE = "manage"
REVIEW = "review"


def reviewing_membership(consultation, user):
    """The signed membership this user reviews the consultation for, if any."""
    if not user.is_authenticated or user.organisation_id is None:
        return None
    memberships = [
        m
        for m in consultation.groupement.memberships.all()
        if m.organisation_id == user.organisation_id and m.state == MembershipState.SIGNED
    ]
    checker = checker_for(user)
    for membership in memberships:
        if checker.has_perm(ACT_FOR_MEMBERSHIP, membership):
            return membership
    return None


def can_manage(user, consultation) -> bool:
    return has_object_perm(user, MANAGE_GROUPEMENT, consultation.groupement)


def get_consultation_for_user(user, pk, *, need=None) -> Consultation:
    """404 outside the groupement; 403 without the right `need` (MANAGE or REVIEW).

    Looking at a published consultation whose deadline has passed closes it: server time
    decides, whoever looks first.
    """
    consultation = get_object_or_404(
        Consultation.objects.select_related("groupement__coordinator"), pk=pk
    )
    if not has_object_perm(user, VIEW_GROUPEMENT, consultation.groupement):
        raise Http404
    if need == MANAGE and not can_manage(user, consultation):
        raise PermissionDenied
    if need == REVIEW and reviewing_membership(consultation, user) is None:
        raise PermissionDenied
    from procurement.services import consultation_close_if_due

    return consultation_close_if_due(consultation=consultation)


def bids_are_open(consultation) -> bool:
    """Bids stay sealed until the opening session is recorded, whatever happens after."""
    from procurement.models import Opening

    return Opening.objects.filter(consultation_id=consultation.pk).exists()


def can_read_bids(user, consultation) -> bool:
    """After the opening: the coordinator's gestionnaires, members' référents and readers."""
    from groupement.access import user_roles
    from groupement.models import Role

    if can_manage(user, consultation):
        return True
    return bool(user_roles(user) & {Role.REFERENT, Role.LECTEUR}) and has_object_perm(
        user, VIEW_GROUPEMENT, consultation.groupement
    )
