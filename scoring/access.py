"""Who may see and do what in the evaluation of a lot."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from groupement.access import has_role
from groupement.models import MembershipState, Role
from procurement.access import can_manage, get_lot_for_user
from scoring.models import PanelMember, ScoreSheet


def seat(user, lot) -> PanelMember | None:
    """The user's seat on the lot's panel, if named."""
    if not user.is_authenticated:
        return None
    return PanelMember.objects.filter(lot=lot, evaluator=user).first()


def evaluator_may_read(user, bid) -> bool:
    """An evaluator reads a lot's bids once named on it and after signing the declaration."""
    panel = seat(user, bid.lot)
    return panel is not None and panel.declared_at is not None


def may_sit_on_panel(user, consultation) -> bool:
    """Evaluators come from the groupement's members, holding the evaluator role."""
    if not has_role(user, Role.EVALUATEUR):
        return False
    return consultation.groupement.memberships.filter(
        organisation_id=user.organisation_id, state=MembershipState.SIGNED
    ).exists()


def get_sheet_for_user(user, pk, *, manage=False) -> ScoreSheet:
    """Blind scoring: only the sheet's own evaluator and the coordinator read it; 404 outside
    the groupement."""
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related("panel_member__evaluator", "bid__bidder"), pk=pk
    )
    sheet.bid.lot = get_lot_for_user(user, sheet.bid.lot_id, manage=manage)
    is_evaluator = sheet.panel_member.evaluator_id == user.pk
    if not is_evaluator and not can_manage(user, sheet.bid.lot.consultation):
        raise PermissionDenied
    return sheet
