"""Who may see and act on awards, contracts and amendments.

They follow the consultation's permissions (procurement.access), plus the roles of the award:
the deciding body records the decision, the signatories sign. Arguments come as (user, object).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from contracts import award_rules
from contracts.choices import DecidingBody
from contracts.models import Amendment, Award, Contract, Letter
from groupement.access import can_view, is_coordinator_manager
from groupement.models import Mission
from procurement.access import (
    can_manage,
    can_read_bids,
    get_consultation_for_user,
    member_membership,
)


def may_record_decision(user, consultation) -> bool:
    """At or above the European threshold a member of the groupement's tender committee
    records its decision; below it, the coordinator's gestionnaire decides."""
    if award_rules.deciding_body(consultation) == DecidingBody.COMMITTEE:
        return consultation.groupement.committee_members.filter(pk=user.pk).exists()
    return can_manage(user, consultation)


def can_see_award(user, consultation) -> bool:
    """Those who read the bids, and those who decide, see the award and its letters."""
    return can_read_bids(user, consultation) or may_record_decision(user, consultation)


def signing_organisation(user, contract):
    """The organisation this user signs for, or None (mission A: each member's référent;
    B and C: the coordinator's gestionnaire for all)."""
    consultation = contract.lot.consultation
    if consultation.groupement.mission == Mission.A:
        membership = member_membership(user, consultation)
        return membership.organisation if membership else None
    return consultation.groupement.coordinator if can_manage(user, consultation) else None


# --- Objects for a user ----------------------------------------------------------------------


def get_award_consultation_for_user(user, pk):
    """The consultation whose award page this user may see: 404 outside, 403 otherwise."""
    consultation = get_consultation_for_user(user, pk)
    if not can_see_award(user, consultation):
        raise PermissionDenied
    return consultation


def get_award_for_user(user, pk, *, manage=False) -> Award:
    award = get_object_or_404(
        Award.objects.select_related("lot__consultation__groupement", "bid__bidder"), pk=pk
    )
    get_consultation_for_user(user, award.lot.consultation_id, manage=manage)
    return award


def get_letter_for_user(user, pk) -> Letter:
    letter = get_object_or_404(Letter.objects.select_related("award__lot", "bid__bidder"), pk=pk)
    consultation = get_consultation_for_user(user, letter.award.lot.consultation_id)
    if not can_read_bids(user, consultation):
        raise PermissionDenied
    return letter


def get_contract_for_user(user, pk, *, manage=False) -> Contract:
    """404 outside the groupement; 403 for a step reserved to the coordinator."""
    contract = get_object_or_404(
        Contract.objects.select_related(
            "lot__consultation__groupement__coordinator", "award", "holder"
        ).prefetch_related("lot__consultation__groupement__memberships__organisation"),
        pk=pk,
    )
    groupement = contract.lot.consultation.groupement
    if not can_view(user, groupement):
        raise Http404
    if manage and not is_coordinator_manager(user, groupement):
        raise PermissionDenied
    return contract


def get_amendment_for_user(user, pk, *, manage=False) -> Amendment:
    amendment = get_object_or_404(Amendment, pk=pk)
    amendment.contract = get_contract_for_user(user, amendment.contract_id, manage=manage)
    return amendment
