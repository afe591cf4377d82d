"""The rules of bids, from the deposit to the analysis, as functions returning French messages
naming the rule. The consultation's own rules (and the abnormally-low test) are in `rules`."""

from django.utils.translation import gettext as _

from core import clock
from core.formats import format_moment
from procurement.choices import (
    ANALYSIS_STATES,
    REGISTRATION_STATES,
    ConsultationState,
    GroupingKind,
)
from procurement.rules import abnormally_low_reasons, deadline_passed, document_file_errors

# The deposit register of the buyer-profile platform, imported as a whole.
REGISTER_MAX_BYTES = 5 * 1024 * 1024
# Every decision on a bid but admitting a candidature needs its written reason.
REASON_OPTIONAL = {"admit"}


# --- Deposits --------------------------------------------------------------------------------


def bidder_identity_errors(*, siret: str, foreign_id: str) -> list[str]:
    if not siret and not foreign_id:
        return [_("A bidder is identified by a SIRET or a foreign identifier.")]
    return []


def price_errors(price) -> list[str]:
    if price is None or price <= 0:
        return [_("A price is greater than 0 € HT.")]
    return []


def registration_errors(consultation) -> list[str]:
    if consultation.state not in REGISTRATION_STATES:
        return [_("Bids are registered once the consultation is published.")]
    return []


def duplicate_deposit_error(bidder, lot) -> str:
    return _("%(bidder)s has already deposited a bid for lot %(lot)s.") % {
        "bidder": bidder,
        "lot": lot.number,
    }


def deposit_errors(lot, consultation, terms, *, now, documents=()) -> list[str]:
    """A deposit to register: `terms` has its bidder, grouping and members, price and the
    platform's time of receipt (None: now); each document is checked too."""
    errors = registration_errors(consultation)
    if terms.received_at and terms.received_at > now:
        errors.append(_("A deposit cannot be dated in the future."))
    if terms.price is not None:
        errors += price_errors(terms.price)
    if lot.bids.filter(bidder=terms.bidder).exists():
        errors.append(duplicate_deposit_error(terms.bidder, lot))
    if terms.grouping == GroupingKind.SINGLE and terms.members:
        errors.append(_("A single bidder has no co-members; choose a joint group."))
    if terms.grouping != GroupingKind.SINGLE and not terms.members:
        errors.append(_("A joint bid names at least one member besides its lead bidder."))
    for upload in documents:
        errors += [f"{upload.name} : {error}" for error in document_file_errors(upload)]
    return errors


def register_file_errors(upload) -> list[str]:
    if upload.size > REGISTER_MAX_BYTES:
        return [_("The register is too large for a deposit register (5 MB).")]
    return []


# --- Opening ---------------------------------------------------------------------------------


def opening_errors(consultation, *, now=None) -> list[str]:
    """The bids are opened once the offers deadline has passed; a consultation still recorded
    as published is closed first. In other states the state machine says why."""
    waiting = (ConsultationState.PUBLISHED, ConsultationState.CLOSED)
    if consultation.state in waiting and not deadline_passed(consultation, now=now):
        return [
            _("The bids are opened only after the offers deadline (%(deadline)s).")
            % {"deadline": format_moment(consultation.offers_deadline)}
        ]
    return []


# --- Analysis --------------------------------------------------------------------------------


def late_bid_errors(bid) -> list[str]:
    if bid.late:
        return [_("A late bid is never opened nor analysed.")]
    return []


def analysis_errors(bid) -> list[str]:
    """Decisions on a bid are taken while its consultation is in analysis or negotiation."""
    if bid.lot.consultation.state not in ANALYSIS_STATES:
        return [_("Bids are analysed while the consultation is in analysis or negotiation.")]
    return []


def price_record_errors(bid, *, bids_open: bool, price=None, reason: str = "") -> list[str]:
    """A price is read from the opened offer: after the opening, never for a late bid, and
    only until the award is proposed. Correcting a recorded price moves the ranking: it says
    why."""
    if bid.late or not bids_open:
        return [_("A price is recorded from the opened offer, after the opening of the bids.")]
    if bid.lot.consultation.state not in (ConsultationState.OPENED, *ANALYSIS_STATES):
        return [
            _(
                "The prices are recorded and corrected during the analysis; once the award is "
                "proposed, what fed it no longer changes."
            )
        ]
    if price is not None and bid.price is not None and price != bid.price and not reason.strip():
        return [_("Correcting a recorded price changes the ranking: say why.")]
    return []


def decision_errors(decision: str, reason: str, *, decisions) -> list[str]:
    """`decisions`: those a person may take on a bid."""
    if decision not in decisions:
        return [_("Unknown decision.")]
    if decision not in REASON_OPTIONAL and not reason.strip():
        return [_("Every decision on a bid states its reason in writing.")]
    return []


def completion_request_errors(reason: str, deadline, *, now=None) -> list[str]:
    """Candidates asked to complete their file are told what is missing and given a deadline
    (art. R2144-2 CCP)."""
    if not reason.strip():
        return [_("Say which documents are missing.")]
    if deadline <= (now or clock.now()):
        return [_("The completion deadline is in the future.")]
    return []


def price_justification_request_errors(bid, lot_bids) -> list[str]:
    """Only an abnormally low price is asked for its justification, once (art. R2152-3 CCP)."""
    if not abnormally_low_reasons(bid, lot_bids):
        return [_("This price is not flagged as abnormally low.")]
    if bid.low_price_requested_at:
        return [_("A justification has already been requested.")]
    return []


def price_judgement_reason_errors(reason: str) -> list[str]:
    if not reason.strip():
        return [_("State why the justification is accepted or rejected.")]
    return []


def price_judgement_errors(bid) -> list[str]:
    if not bid.low_price_requested_at:
        return [_("Request the justification before judging it.")]
    if bid.low_price_decision:
        return [_("The justification has already been judged.")]
    return []


def unsuccessful_reason_errors(reason: str) -> list[str]:
    if not reason.strip():
        return [_("Say why no offer can be accepted.")]
    return []
