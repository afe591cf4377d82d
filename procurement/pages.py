"""What consultations add to the pages of the apps below them, and their own addresses."""

from django.urls import reverse

from core.hooks import Panel
from groupement.access import is_coordinator_manager
from groupement.models import GroupementState


def consultation_url(consultation, section: str = "summary") -> str:
    """The consultation's page (its summary), or one of its sections ("documents",
    "questions", "bids", "history"; procurement.views.SECTIONS): where a step on that section
    leads back to."""
    name = "procurement:detail" if section == "summary" else f"procurement:detail_{section}"
    return reverse(name, args=[consultation.pk])


def consultations_panel(request, groupement) -> Panel:
    """The groupement's consultations, and the button that launches one."""
    return Panel(
        "procurement/_groupement_consultations.html",
        groupement=groupement,
        consultations=list(groupement.consultations.order_by("-created_at")),
        can_launch=groupement.state == GroupementState.IN_FORCE
        and is_coordinator_manager(request.user, groupement),
    )
