"""Who may see and do what in the evaluation of a lot."""

from groupement.access import user_roles
from groupement.models import MembershipState, Role
from scoring.models import PanelMember


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
    if Role.EVALUATEUR not in user_roles(user):
        return False
    return consultation.groupement.memberships.filter(
        organisation_id=user.organisation_id, state=MembershipState.SIGNED
    ).exists()
