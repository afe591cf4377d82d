"""Who may see and act on a consultation: it follows the groupement's permissions.

The coordinator's gestionnaires manage it; each member's référent reviews it for their member;
everyone in the groupement may read it; outsiders get 404. Arguments come as (user, object).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from groupement.access import (
    can_view,
    has_role,
    is_coordinator_manager,
    member_represented_by,
)
from groupement.models import Membership, Role
from procurement import hooks, rules
from procurement.models import Bid, BidDocument, Consultation, Lot, Opening, TenderDocument


def can_manage(user, consultation) -> bool:
    return is_coordinator_manager(user, consultation.groupement)


def member_membership(user, consultation) -> Membership | None:
    """The member this user answers for on the consultation (review, approvals), if any."""
    return member_represented_by(user, consultation.groupement)


def bids_are_open(consultation) -> bool:
    """Bids stay sealed until the opening session is recorded, whatever happens after."""
    return Opening.objects.filter(consultation_id=consultation.pk).exists()


# Who reads a consultation's opened bids, its analysis, ranking, report and letters besides
# the coordinator's gestionnaires: the members' référents, who approve the award, the tender
# committee's members, who decide it, and the readers (finance, funders).
BID_READERS = (Role.REFERENT, Role.MEMBRE_CAO, Role.LECTEUR)


def can_read_bids(user, consultation) -> bool:
    if can_manage(user, consultation):
        return True
    return any(has_role(user, role) for role in BID_READERS) and can_view(
        user, consultation.groupement
    )


def can_read_bid(user, bid) -> bool:
    """Besides those who read every opened bid, the apps built on consultations may let others
    read one (an evaluator named on the lot, once declared)."""
    if can_read_bids(user, bid.lot.consultation):
        return True
    return any(reader(user, bid) for reader in hooks.bid_readers)


# --- Objects for a user ----------------------------------------------------------------------


def _checked(user, consultation, *, manage: bool, review: bool) -> Consultation:
    if not can_view(user, consultation.groupement):
        raise Http404
    if manage and not can_manage(user, consultation):
        raise PermissionDenied
    if review and member_membership(user, consultation) is None:
        raise PermissionDenied
    return consultation


def get_consultation_for_user(user, pk, *, manage=False, review=False) -> Consultation:
    """404 outside the groupement; 403 to manage without being the coordinator's gestionnaire,
    or to review without answering for a member."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("groupement__coordinator"), pk=pk
    )
    return _checked(user, consultation, manage=manage, review=review)


def get_lot_for_user(user, pk, *, manage=False) -> Lot:
    lot = get_object_or_404(
        Lot.objects.select_related("consultation__groupement__coordinator"), pk=pk
    )
    _checked(user, lot.consultation, manage=manage, review=False)
    return lot


def get_bid_for_user(user, pk, *, manage=False) -> Bid:
    bid = get_object_or_404(
        Bid.objects.select_related("lot__consultation__groupement__coordinator", "bidder"), pk=pk
    )
    _checked(user, bid.lot.consultation, manage=manage, review=False)
    return bid


def get_tender_document_for_user(user, pk) -> TenderDocument:
    document = get_object_or_404(
        TenderDocument.objects.select_related("consultation__groupement"), pk=pk
    )
    _checked(user, document.consultation, manage=False, review=False)
    return document


def get_bid_document_for_user(user, pk) -> BidDocument:
    document = get_object_or_404(
        BidDocument.objects.select_related("bid__lot__consultation__groupement", "bid__bidder"),
        pk=pk,
    )
    _checked(user, document.bid.lot.consultation, manage=False, review=False)
    return document


# --- What anyone may read, without an account ------------------------------------------------


def get_public_consultation(pk) -> Consultation:
    """A consultation open to candidates (published, deadline not passed); 404 otherwise, the
    same for one that never existed."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("groupement__coordinator"), pk=pk
    )
    if rules.public_notice_errors(consultation):
        raise Http404
    return consultation


def get_public_document(pk) -> TenderDocument:
    """The current version of a document of an open consultation; earlier versions stay with
    the buyers."""
    document = get_object_or_404(
        TenderDocument.objects.select_related("consultation"), pk=pk, current=True
    )
    if rules.public_notice_errors(document.consultation):
        raise Http404
    return document
