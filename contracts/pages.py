"""What the award and the contracts add to the pages of the apps below them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from contracts.access import can_see_award
from contracts.models import Contract
from core.hooks import Link, Panel
from procurement.models import ConsultationState

AWARD_PAGE_STATES = (
    ConsultationState.ANALYSIS,
    ConsultationState.NEGOTIATION,
    ConsultationState.AWARD_PROPOSED,
    ConsultationState.AWARDED,
    ConsultationState.COMPLETED,
)


def award_url(consultation) -> str:
    return reverse("contracts:award", args=[consultation.pk])


def contract_url(contract) -> str:
    return reverse("contracts:contract", args=[contract.pk])


def award_links(request, consultation) -> list[Link]:
    links = []
    if consultation.state in AWARD_PAGE_STATES and can_see_award(request.user, consultation):
        links.append(Link(_("Award"), award_url(consultation), primary=True))
    if consultation.state != ConsultationState.DRAFT:
        links.append(
            Link(
                _("OCDS data (JSON)"),
                reverse("contracts:ocds", args=[consultation.pk]),
                download=True,
            )
        )
    return links


def contracts_panel(request, consultation) -> Panel | None:
    contracts = list(
        Contract.objects.filter(lot__consultation=consultation).select_related("lot", "holder")
    )
    if not contracts:
        return None
    return Panel("contracts/_consultation_contracts.html", contracts=contracts)


def opendata_panel(request, groupement) -> Panel | None:
    """The way to the groupement's contracts and open data, once it has consultations."""
    if not groupement.consultations.exists():
        return None
    return Panel("contracts/_groupement_opendata.html", groupement=groupement)
