"""What consultations add to the pages of the apps below them, and their own addresses."""

from django.urls import reverse

from core.hooks import Panel
from groupement.access import is_coordinator_manager
from groupement.models import GroupementState


def consultation_url(consultation) -> str:
    return reverse("procurement:detail", args=[consultation.pk])


def consultations_panel(request, groupement) -> Panel:
    """The groupement's consultations, and the button that launches one."""
    return Panel(
        "procurement/_groupement_consultations.html",
        groupement=groupement,
        consultations=list(groupement.consultations.order_by("-created_at")),
        can_launch=groupement.state == GroupementState.IN_FORCE
        and is_coordinator_manager(request.user, groupement),
    )
