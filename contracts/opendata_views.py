"""The open-data page of a groupement: its contracts, what is due, and the downloads."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from contracts import contract_rules, services
from contracts.models import Contract
from contracts.opendata import decp_document, ocds_release_package, to_json
from core import clock
from core.forms import DayForm
from core.pages import action_page, content_download, notice_page
from groupement.access import get_groupement_for_user, is_coordinator_manager
from procurement.access import get_consultation_for_user


def _json(document, filename):
    return content_download(
        to_json(document), filename=filename, content_type="application/json; charset=utf-8"
    )


@require_GET
@login_required
def opendata_page(request, pk):
    groupement = get_groupement_for_user(request.user, pk)
    contracts = list(
        Contract.objects.filter(lot__consultation__groupement=groupement)
        .select_related("lot__consultation", "holder")
        .prefetch_related("amendments")
        .order_by("number")
    )
    rows = [
        {
            "contract": contract,
            "change": contract_rules.cumulated_change(contract, list(contract.amendments.all())),
            "due": contract_rules.essential_data_due(contract, list(contract.amendments.all())),
        }
        for contract in contracts
    ]
    return render(
        request,
        "contracts/opendata.html",
        {
            "groupement": groupement,
            "rows": rows,
            "consultations": groupement.consultations.filter(published_at__isnull=False).order_by(
                "reference"
            ),
            "manager": is_coordinator_manager(request.user, groupement),
            "today": clock.today(),
        },
    )


@require_GET
@login_required
def decp_download(request, pk):
    groupement = get_groupement_for_user(request.user, pk)
    contracts = Contract.objects.filter(lot__consultation__groupement=groupement)
    return _json(decp_document(contracts), f"decp-groupement-{groupement.pk}.json")


@require_GET
@login_required
def ocds_download(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk)
    refused = contract_rules.open_data_errors(consultation)
    if refused:
        return notice_page(
            request,
            title=_("No open data"),
            reason=refused[0],
            back_url=reverse("contracts:opendata", args=[consultation.groupement_id]),
        )
    return _json(ocds_release_package(consultation), f"ocds-{consultation.reference}.json")


@require_http_methods(["GET", "POST"])
@login_required
def publication_record(request, pk):
    groupement = get_groupement_for_user(request.user, pk, manage=True)
    return action_page(
        request,
        DayForm(request.POST or None, initial={"on": clock.today()}),
        subject=groupement,
        back_url=reverse("contracts:opendata", args=[groupement.pk]),
        run=lambda data: services.essential_data_record_publication(
            groupement=groupement, user=request.user, on=data["on"]
        ),
        success=_("Publication of the essential data recorded."),
        title=_("Record the publication of the essential data"),
        submit_label=_("Record"),
    )
