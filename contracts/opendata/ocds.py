"""A consultation's whole process as one OCDS 1.1.5 release package."""

import datetime
import re
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils import translation

from contracts.award_rules import add_months, competing_bids
from contracts.contract_rules import cumulated_change
from contracts.models import Amendment, AmendmentGround, AmendmentState, ContractState
from contracts.opendata.common import DECP_PROCEDURE, money
from contracts.opendata.decp import foreign_identifier
from core import clock
from core.clock import PARIS
from groupement.models import Membership, MembershipState
from procurement.models import (
    Bid,
    CandidatureState,
    Consultation,
    ConsultationState,
    Lot,
    LotOutcome,
    Nature,
    OfferState,
    Procedure,
)

# The publisher's OCID prefix. "ocds-pmartois" is a placeholder: once the Pôle métropolitain
# registers with the Open Contracting Partnership, put the prefix it is given here (ocds-xxxxxx),
# before any publication, since the ocid of a process must never change afterwards.
OCID_PREFIX = "ocds-pmartois"
OCDS_VERSION = "1.1"
LICENSE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
# Lots (tender.lots, relatedLot(s)) and bid statistics are extensions of the core schema.
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/"
    "v1.1.5/extension.json",
]
# SIRET numbers come from INSEE's SIRENE register, which also covers public bodies (the RCS,
# FR-RCS, covers companies only); the DECP's own OCDS conversion uses this scheme too.
SIRET_SCHEME = "FR-INSEE"

TENDER_STATUS = {
    ConsultationState.DRAFT: "planning",
    ConsultationState.MEMBER_REVIEW: "planning",
    ConsultationState.READY: "planned",
    ConsultationState.PUBLISHED: "active",
    ConsultationState.CLOSED: "active",
    ConsultationState.OPENED: "active",
    ConsultationState.ANALYSIS: "active",
    ConsultationState.NEGOTIATION: "active",
    ConsultationState.AWARD_PROPOSED: "active",
    ConsultationState.AWARDED: "complete",
    ConsultationState.COMPLETED: "complete",
    ConsultationState.CANCELLED: "cancelled",
    ConsultationState.UNSUCCESSFUL: "unsuccessful",
}
LOT_STATUS = {LotOutcome.UNSUCCESSFUL: "unsuccessful", LotOutcome.CANCELLED: "cancelled"}
# An adapted procedure is advertised and open to all; the restricted and negotiated ones
# select the candidates invited to tender.
PROCUREMENT_METHOD = {
    Procedure.ADAPTED: "open",
    Procedure.OPEN: "open",
    Procedure.RESTRICTED: "selective",
    Procedure.NEGOTIATED: "selective",
}
CATEGORY = {Nature.SERVICES: "services", Nature.SUPPLIES: "goods", Nature.WORKS: "works"}
CONTRACT_STATUS = {
    ContractState.TO_SIGN: "pending",
    ContractState.SIGNED: "active",
    ContractState.NOTIFIED: "active",
    ContractState.IN_EXECUTION: "active",
    ContractState.COMPLETED: "terminated",
    ContractState.TERMINATED: "terminated",
}


def ocid(consultation) -> str:
    return f"{OCID_PREFIX}-{consultation.reference}"


def _day(value: datetime.date) -> str:
    return datetime.datetime.combine(value, datetime.time.min, tzinfo=PARIS).isoformat()


def _moment(value: datetime.datetime) -> str:
    return value.astimezone(PARIS).isoformat(timespec="seconds")


def _value(amount) -> dict:
    return {"amount": money(amount), "currency": "EUR"}


def _related(obj, name):
    """A reverse one-to-one (a lot's award, contract…), or None when there is none."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


class _Parties:
    """Every organisation of the process, once each, with all its roles in order."""

    def __init__(self):
        self.entries = {}

    def add(self, *, party_id, name, identifier, role) -> dict:
        entry = self.entries.setdefault(
            party_id, {"id": party_id, "name": name, "identifier": identifier, "roles": []}
        )
        if role not in entry["roles"]:
            entry["roles"].append(role)
        return {"id": party_id, "name": name}

    def organisation(self, organisation, role) -> dict:
        return self.add(
            party_id=f"{SIRET_SCHEME}-{organisation.siret}",
            name=organisation.name,
            identifier={
                "scheme": SIRET_SCHEME,
                "id": organisation.siret,
                "legalName": organisation.name,
            },
            role=role,
        )

    def bidder(self, bidder, role) -> dict:
        if bidder.siret:
            return self.organisation(bidder, role)
        # No registered scheme fits every foreign register: the identifier goes without one.
        _kind, foreign_id = foreign_identifier(bidder)
        compact = re.sub(r"\s", "", foreign_id)
        return self.add(
            party_id=f"{bidder.country}-{compact}",
            name=bidder.name,
            identifier={"id": foreign_id, "legalName": bidder.name},
            role=role,
        )

    def as_list(self) -> list[dict]:
        return list(self.entries.values())


def _loaded(consultation) -> Consultation:
    """The consultation with its members, lots, bids, awards, contracts and amendments: five
    queries, whatever their numbers."""
    lots = Lot.objects.select_related("award__bid__bidder", "contract__holder").order_by("number")
    return (
        Consultation.objects.select_related("groupement__coordinator", "opening")
        .prefetch_related(
            Prefetch(
                "groupement__memberships",
                queryset=Membership.objects.filter(state=MembershipState.SIGNED).select_related(
                    "organisation"
                ),
                to_attr="signed_memberships",
            ),
            Prefetch("lots", queryset=lots),
            Prefetch("lots__bids", queryset=Bid.objects.select_related("bidder")),
            Prefetch(
                "lots__contract__amendments",
                queryset=Amendment.objects.filter(state=AmendmentState.SIGNED).order_by("number"),
                to_attr="signed_amendments",
            ),
        )
        .get(pk=consultation.pk)
    )


def _published_award(lot):
    """The award of a lot once its letters went out. Before, the proposal is internal: the
    bidders must learn the outcome from their letters before the public does."""
    award = _related(lot, "award")
    return award if award is not None and award.letters_sent_at else None


def _award_status(lot, award) -> str:
    if lot.outcome in LOT_STATUS:
        return LOT_STATUS[lot.outcome]
    contract = _related(lot, "contract")
    # The standstill is OCDS's "cooling off period": pending until the contract is signed.
    if contract is None or contract.state == ContractState.TO_SIGN:
        return "pending"
    return "active"


def _is_valid(bid) -> bool:
    return bid.candidature == CandidatureState.ADMITTED and bid.offer == OfferState.REGULAR


def _statistics(lot, award) -> list[dict]:
    """Counts once the bids are opened; the valid prices only once the award is public."""
    received = competing_bids(lot)
    valid = [bid for bid in received if _is_valid(bid)]
    lot_id = str(lot.number)
    stats = [
        {"id": f"{lot_id}-bids", "measure": "bids", "value": len(received), "relatedLot": lot_id},
        {
            "id": f"{lot_id}-validBids",
            "measure": "validBids",
            "value": len(valid),
            "relatedLot": lot_id,
        },
    ]
    prices = [bid.price for bid in valid if bid.price is not None]
    if award is not None and prices:
        for measure, price in (
            ("lowestValidBidValue", min(prices)),
            ("highestValidBidValue", max(prices)),
        ):
            stats.append(
                {
                    "id": f"{lot_id}-{measure}",
                    "measure": measure,
                    "value": money(price),
                    "currency": "EUR",
                    "relatedLot": lot_id,
                }
            )
    return stats


def _tender(consultation, coordinator_ref, tenderers) -> dict:
    status = TENDER_STATUS[consultation.state]
    lots = list(consultation.lots.all())
    tender = {
        "id": consultation.reference,
        "title": consultation.title,
        "status": status,
        "procuringEntity": coordinator_ref,
        "value": _value(consultation.estimated_value),
        "procurementMethod": PROCUREMENT_METHOD[consultation.procedure],
        "procurementMethodDetails": DECP_PROCEDURE[consultation.procedure],
        "mainProcurementCategory": CATEGORY[consultation.nature],
        "items": [
            {
                "id": str(lot.number),
                "description": lot.title,
                "classification": {"scheme": "CPV", "id": consultation.cpv_code[:8]},
                "relatedLot": str(lot.number),
            }
            for lot in lots
        ],
        "lots": [
            {
                "id": str(lot.number),
                "title": lot.title,
                "status": LOT_STATUS.get(lot.outcome, status),
                "value": _value(lot.estimated_value),
            }
            for lot in lots
        ],
    }
    period = {"endDate": _moment(consultation.offers_deadline)}
    if consultation.published_at:
        period = {"startDate": _moment(consultation.published_at), **period}
    tender["tenderPeriod"] = period
    if tenderers is not None:
        tender["numberOfTenderers"] = len(tenderers)
        tender["tenderers"] = tenderers
    return tender


def _award(consultation, lot, award, parties) -> dict:
    entry = {
        "id": f"{consultation.reference}-lot-{lot.number}",
        "title": lot.title,
        "status": _award_status(lot, award),
        "date": _moment(award.letters_sent_at),
        "suppliers": [parties.bidder(award.bid.bidder, "supplier")],
        "relatedLots": [str(lot.number)],
    }
    if award.bid.price is not None:
        entry["value"] = _value(award.bid.price)
    return entry


def _contract(consultation, lot, contract, parties) -> dict:
    parties.bidder(contract.holder, "supplier")
    change = cumulated_change(contract, contract.signed_amendments)
    entry = {
        "id": contract.number,
        "awardID": f"{consultation.reference}-lot-{lot.number}",
        "title": contract.title,
        "status": CONTRACT_STATUS[contract.state],
        "value": _value(change.current_amount),
    }
    if contract.notified_on:
        # The contract runs from its notification, for its duration as amended; an ended
        # contract gives its real end.
        end = contract.ended_on or add_months(contract.notified_on, change.current_duration)
        entry["period"] = {"startDate": _day(contract.notified_on), "endDate": _day(end)}
    if contract.signed_on:
        entry["dateSigned"] = _day(contract.signed_on)
    amendments = [
        {
            "id": str(amendment.number),
            "date": _day(amendment.signed_on),
            "description": amendment.description,
            "rationale": str(AmendmentGround(amendment.ground).label),
        }
        for amendment in contract.signed_amendments
    ]
    if amendments:
        entry["amendments"] = amendments
    return entry


def _tags(awards, contracts) -> list[str]:
    tags = ["tender"]
    if awards:
        tags.append("award")
    if contracts:
        tags.append("contract")
    if any("amendments" in contract for contract in contracts):
        tags.append("contractAmendment")
    return tags


def _release(consultation, now) -> dict:
    coordinator = consultation.groupement.coordinator
    parties = _Parties()
    coordinator_ref = parties.organisation(coordinator, "buyer")
    parties.organisation(coordinator, "procuringEntity")
    for membership in consultation.groupement.signed_memberships:
        parties.organisation(membership.organisation, "buyer")
    lots = list(consultation.lots.all())
    # Sealed bids stay secret until the opening session, who bid included.
    opened = _related(consultation, "opening") is not None
    tenderers = None
    if opened:
        tenderers = []
        for lot in lots:
            for bid in competing_bids(lot):
                ref = parties.bidder(bid.bidder, "tenderer")
                if ref not in tenderers:
                    tenderers.append(ref)
    tender = _tender(consultation, coordinator_ref, tenderers)
    awards, contracts, statistics = [], [], []
    for lot in lots:
        award = _published_award(lot)
        if opened:
            statistics += _statistics(lot, award)
        if award is None:
            continue
        awards.append(_award(consultation, lot, award, parties))
        contract = _related(lot, "contract")
        if contract is not None:
            contracts.append(_contract(consultation, lot, contract, parties))
    release = {
        "ocid": ocid(consultation),
        "id": f"{consultation.reference}-{now.astimezone(PARIS):%Y%m%dT%H%M%S}",
        "date": _moment(now),
        # One release holding the whole process as it stands today: it carries the tag of each
        # stage it describes ("compiled" belongs to record packages, not release packages).
        "tag": _tags(awards, contracts),
        "initiationType": "tender",
        "language": "fr",
        # Complete only now: the awards and contracts add their suppliers.
        "parties": parties.as_list(),
        "buyer": coordinator_ref,
        "tender": tender,
    }
    if statistics:
        release["bids"] = {"statistics": statistics}
    if awards:
        release["awards"] = awards
    if contracts:
        release["contracts"] = contracts
    return release


def package_uri(consultation) -> str:
    """Where the package is published: under OPEN_DATA_BASE_URL, or a URN made from the ocid
    while no public address is set. Never an address of the server that wrote it."""
    if settings.OPEN_DATA_BASE_URL:
        return f"{settings.OPEN_DATA_BASE_URL}/ocds-{quote(consultation.reference)}.json"
    return f"urn:ocid:{ocid(consultation)}"


def ocds_release_package(consultation) -> dict:
    """An OCDS 1.1 release package holding one release: the whole process of `consultation`
    as it stands now."""
    consultation = _loaded(consultation)
    now = clock.now()
    coordinator = consultation.groupement.coordinator
    # The labels (amendment grounds) follow the release's declared language.
    with translation.override("fr"):
        release = _release(consultation, now)
    return {
        "uri": package_uri(consultation),
        "version": OCDS_VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": _moment(now),
        "publisher": {"name": coordinator.name, "scheme": SIRET_SCHEME, "uid": coordinator.siret},
        "license": LICENSE,
        "releases": [release],
    }
