"""Bids: registering deposits, keeping them sealed, and the opening session."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock
from core.formats import counted, format_amount, format_moment
from core.uploads import files_removed_on_failure, sha256_of
from core.workflow import BusinessRuleError, refuse_if, run_transition
from journal.services import journal_record
from procurement import bid_rules
from procurement.access import bids_are_open, can_manage, can_read_bid
from procurement.models import (
    Bid,
    Bidder,
    BidDocument,
    BidMember,
    Consultation,
    GroupingKind,
    Opening,
    Subcontractor,
)
from procurement.services.consultations import close_if_due, locked_consultation


class SealedBidError(PermissionDenied):
    """Reading a bid before the opening: refused to everybody, and journaled."""


@dataclass
class BidTerms:
    bidder: Bidder | None  # None until deposit_register records it
    grouping: str = GroupingKind.SINGLE
    members: list = field(default_factory=list)  # other Bidders of a joint bid
    subcontractors: list = field(default_factory=list)  # (name, siret, services)
    receipt_number: str = ""
    price: Decimal | None = None
    received_at: datetime.datetime | None = None  # the platform's time; None: now


def bidder_for(
    *, name, siret="", foreign_id="", country="FR", email="", contact_name="", phone=""
) -> Bidder:
    """The bidder known by this SIRET (or foreign identifier), created if new."""
    refuse_if(bid_rules.bidder_identity_errors(siret=siret, foreign_id=foreign_id))
    lookup = (
        {"siret": siret} if siret else {"siret": "", "foreign_id": foreign_id, "country": country}
    )
    bidder = Bidder.objects.filter(**lookup).first()
    if bidder is None:
        bidder = Bidder(
            name=name,
            siret=siret,
            foreign_id=foreign_id,
            country=country,
            email=email,
            contact_name=contact_name,
            phone=phone,
        )
        bidder.full_clean()
        bidder.save()
    return bidder


def bid_register(*, lot, user, terms: BidTerms, documents=()) -> Bid:
    """Records one deposit. Server time decides whether it is late; a late bid is never opened.

    The price and documents are stored sealed: nobody reads them before the opening.
    """
    consultation = Consultation.objects.select_related("groupement").get(pk=lot.consultation_id)
    if not can_manage(user, consultation):
        raise PermissionDenied
    bidder = terms.bidder
    if bidder is None:
        raise ValueError("A deposit names its bidder (see deposit_register).")
    now = clock.now()
    received_at = terms.received_at or now
    refuse_if(bid_rules.deposit_errors(lot, consultation, terms, now=now, documents=documents))
    late = received_at > consultation.offers_deadline
    try:
        with files_removed_on_failure(), transaction.atomic():
            refuse_if(bid_rules.registration_errors(locked_consultation(consultation.pk)))
            bid = Bid.objects.create(
                lot=lot,
                bidder=terms.bidder,
                grouping=terms.grouping,
                received_at=received_at,
                receipt_number=terms.receipt_number,
                late=late,
                price=terms.price,
                registered_by=user,
            )
            BidMember.objects.bulk_create(BidMember(bid=bid, bidder=m) for m in terms.members)
            Subcontractor.objects.bulk_create(
                Subcontractor(bid=bid, name=name, siret=siret, services=services)
                for name, siret, services in terms.subcontractors
            )
            for upload in documents:
                BidDocument.objects.create(
                    bid=bid,
                    file=upload,
                    original_name=upload.name[:255],
                    size=upload.size,
                    sha256=sha256_of(upload),
                    uploaded_at=now,
                )
            journal_record(
                actor=user,
                obj=bid,
                action="dépôt hors délai enregistré" if late else "dépôt enregistré",
                reason=f"{bidder} ({bidder.identifier}), lot {lot.number}, "
                f"reçu le {format_moment(received_at)}"
                + (f", accusé n° {terms.receipt_number}" if terms.receipt_number else ""),
            )
    except IntegrityError:
        # Two people registering the same deposit at once: the unique constraint decides.
        raise BusinessRuleError(bid_rules.duplicate_deposit_error(terms.bidder, lot)) from None
    return bid


@dataclass
class BidderIdentity:
    """Who deposits, as a deposit form or register gives it."""

    name: str
    siret: str = ""
    foreign_id: str = ""
    country: str = "FR"
    email: str = ""


def deposit_register(
    *,
    lot,
    user,
    bidder: BidderIdentity,
    members: list[BidderIdentity],
    terms: BidTerms,
    documents=(),
) -> Bid:
    """One deposit typed by the coordinator: its bidders are recorded with the bid, or not at
    all when the deposit is refused (`terms.bidder` and `terms.members` are filled in here)."""
    if not can_manage(user, lot.consultation):
        raise PermissionDenied
    with files_removed_on_failure(), transaction.atomic():
        terms.bidder = bidder_for(**vars(bidder))
        terms.members = [bidder_for(**vars(member)) for member in members]
        return bid_register(lot=lot, user=user, terms=terms, documents=documents)


def bid_document_open(*, document, user) -> BidDocument:
    """A bid document for reading. Before the opening the attempt is refused and journaled."""
    bid = document.bid
    consultation = bid.lot.consultation
    if bid.late or not bids_are_open(consultation):
        journal_record(
            actor=user,
            obj=bid,
            action="lecture d'un pli scellé refusée",
            reason=document.original_name,
        )
        raise SealedBidError(
            _("This bid is sealed: it is read only after the opening, and a late bid never.")
        )
    if not can_read_bid(user, bid):
        raise PermissionDenied
    journal_record(
        actor=user, obj=bid, action="lecture d'un document du pli", reason=document.original_name
    )
    return document


def _minutes(consultation) -> tuple[int, int, str]:
    lines, opened, late = [], 0, 0
    for lot in consultation.lots.prefetch_related("bids__bidder", "bids__documents"):
        bids = list(lot.bids.all())
        on_time = [b for b in bids if not b.late]
        kept_closed = len(bids) - len(on_time)
        opened += len(on_time)
        late += kept_closed
        outside = counted(kept_closed, "pli hors délai non ouvert", "plis hors délai non ouverts")
        lines.append(
            f"Lot {lot.number} : {counted(len(on_time), 'pli ouvert', 'plis ouverts')}, {outside}."
        )
        for bid in on_time:
            price = format_amount(bid.price) if bid.price is not None else "prix non saisi"
            lines.append(
                f"  - {bid.bidder} ({bid.bidder.identifier}) : {price}, "
                f"{counted(bid.documents.count(), 'document', 'documents')}"
            )
    return opened, late, "\n".join(lines)


def consultation_open_bids(*, consultation, user) -> Opening:
    """The opening session, after the deadline: exactly once, whoever clicks at the same time.
    A consultation still recorded as published is closed first, in the same transaction."""
    if not can_manage(user, consultation):
        raise PermissionDenied
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        refuse_if(bid_rules.opening_errors(consultation))
        close_if_due(consultation)
        now = clock.now()
        run_transition(
            consultation,
            "open_bids",
            user,
            action="ouverture des plis",
            blockers=lambda: bid_rules.opening_errors(consultation),
        )
        opened, late, minutes = _minutes(consultation)
        try:
            with transaction.atomic():
                return Opening.objects.create(
                    consultation=consultation,
                    opened_by=user,
                    opened_at=now,
                    bids_count=opened,
                    late_count=late,
                    minutes=minutes,
                )
        except IntegrityError:
            raise BusinessRuleError(
                _("The bids of this consultation are already opened.")
            ) from None


def consultation_start_analysis(*, consultation, user) -> Consultation:
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        return run_transition(consultation, "start_analysis", user, action="début de l'analyse")
