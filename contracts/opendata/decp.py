"""The essential data of notified contracts and their amendments, in DECP 2.0 (art. R2196-1
CCP)."""

import re

from django.db.models import Prefetch, QuerySet

from contracts.award_rules import NOTIFIED_STATES, competing_bids
from contracts.models import Amendment, AmendmentState, Contract
from contracts.opendata.common import DECP_GROUPING, DECP_PROCEDURE, EU_VAT, money
from core import clock
from procurement.models import (
    BidMember,
)


def foreign_identifier(bidder) -> tuple[str, str]:
    """The DECP identifier type and value of an operator without a SIRET: its EU VAT number,
    written without spaces or dots, or else its own identifier as given."""
    compact = re.sub(r"[\s.\-]", "", bidder.foreign_id).upper()
    if EU_VAT.match(compact):
        return "TVA", compact
    return "HORS-UE", bidder.foreign_id.strip()


def _titulaire(bidder) -> dict:
    if bidder.siret:
        return {"titulaire": {"typeIdentifiant": "SIRET", "id": bidder.siret}}
    kind, identifier = foreign_identifier(bidder)
    return {"titulaire": {"typeIdentifiant": kind, "id": identifier}}


def _titulaires(contract) -> list[dict]:
    """The holder, then the other members of its joint bid: each is a titulaire."""
    bidders = [contract.holder] + [member.bidder for member in contract.award.bid.members.all()]
    titulaires = []
    for bidder in bidders:
        entry = _titulaire(bidder)
        if entry not in titulaires:  # the schema wants unique items
            titulaires.append(entry)
    return titulaires


def _modifications(contract, titulaires, export_day) -> list[dict]:
    """Each modification carries the amount and duration in force after it, cumulated."""
    amount, months = contract.amount, contract.duration_months
    modifications = []
    for amendment in contract.published_amendments:
        amount += amendment.amount_change
        months += amendment.duration_change_months
        published = amendment.data_published_on or export_day
        modifications.append(
            {
                "modification": {
                    "id": amendment.number,
                    "dateNotificationModification": amendment.notified_on.isoformat(),
                    "datePublicationDonneesModification": published.isoformat(),
                    "montant": money(amount),
                    "dureeMois": months,
                    "titulaires": titulaires,
                }
            }
        )
    return modifications


def _marche(contract, export_day) -> dict:
    lot = contract.lot
    consultation = lot.consultation
    bid = contract.award.bid
    titulaires = _titulaires(contract)
    marche = {
        "id": contract.number,
        "acheteur": {"id": consultation.groupement.coordinator.siret},
        "nature": "Marché",
        "objet": contract.title[:1000],
        # The schema tolerates the check digit but prefers the eight digits alone.
        "codeCPV": consultation.cpv_code[:8],
        "techniques": {
            "technique": ["Accord-cadre" if contract.framework_agreement else "Sans objet"]
        },
        "modalitesExecution": {"modaliteExecution": [contract.execution_mode]},
        "marcheInnovant": contract.innovative,
        "ccag": contract.ccag,
        "offresRecues": max(len(competing_bids(lot)), 1),
        "attributionAvance": contract.advance_rate is not None,
    }
    if contract.advance_rate is not None:
        marche["tauxAvance"] = float(contract.advance_rate)
    marche.update(
        {
            "typeGroupementOperateurs": DECP_GROUPING[bid.grouping],
            "sousTraitanceDeclaree": bool(bid.subcontractors.all()),
            "procedure": DECP_PROCEDURE[consultation.procedure],
            "lieuExecution": {"code": contract.place_code, "typeCode": "Code département"},
            # The initial duration and amount: later changes go in `modifications` only.
            "dureeMois": contract.duration_months,
            "dateNotification": contract.notified_on.isoformat(),
            "datePublicationDonnees": (contract.data_published_on or export_day).isoformat(),
            "montant": money(contract.amount),
            "typesPrix": {"typePrix": [contract.price_type]},
            "formePrix": contract.price_form,
            "titulaires": titulaires,
            "considerationsSociales": {"considerationSociale": [contract.social]},
            "considerationsEnvironnementales": {
                "considerationEnvironnementale": [contract.environmental]
            },
        }
    )
    modifications = _modifications(contract, titulaires, export_day)
    if modifications:  # the schema wants at least one item when the key is present
        marche["modifications"] = modifications
    return marche


def notified_contracts(contracts=None) -> QuerySet:
    """The notified contracts among `contracts` (a queryset, or any iterable of contracts),
    with everything the DECP needs loaded in five queries."""
    if contracts is None:
        contracts = Contract.objects.all()
    elif not isinstance(contracts, QuerySet):
        contracts = Contract.objects.filter(pk__in=[contract.pk for contract in contracts])
    return (
        contracts.filter(state__in=NOTIFIED_STATES)
        .select_related("lot__consultation__groupement__coordinator", "holder", "award__bid")
        .prefetch_related(
            "lot__bids",
            "award__bid__subcontractors",
            Prefetch("award__bid__members", queryset=BidMember.objects.select_related("bidder")),
            # Only a notified modification is in force, and published (art. R2196-1 CCP).
            Prefetch(
                "amendments",
                queryset=Amendment.objects.filter(
                    state=AmendmentState.SIGNED, notified_on__isnull=False
                ).order_by("number"),
                to_attr="published_amendments",
            ),
        )
        .order_by("number")
    )


def decp_document(contracts) -> dict:
    """The DECP 2.0 document (`{"marches": {"marche": [...]}}`) of the notified contracts among
    `contracts`; the others are left out. A contract whose essential data were never published
    is dated the day of the export."""
    export_day = clock.today()
    return {
        "marches": {
            "marche": [_marche(contract, export_day) for contract in notified_contracts(contracts)]
        }
    }
