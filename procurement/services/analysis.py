"""The analysis of candidatures and offers, prices read at the opening, abnormally low offers."""

from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core import clock
from core.formats import format_amount, format_moment
from core.workflow import locked, refuse_if, run_transition
from journal.services import journal_record
from procurement import bid_rules, hooks, rules
from procurement.access import bids_are_open, can_manage
from procurement.models import Bid, Consultation, LowPriceDecision
from procurement.services.consultations import locked_consultation

# Decisions a person takes on a bid, with the action the journal records.
DECISIONS = {
    "admit": "candidature admise",
    "reject": "candidature écartée",
    "mark_regular": "offre régulière",
    "mark_irregular": "offre irrégulière",
    "request_regularisation": "régularisation demandée",
    "mark_unacceptable": "offre inacceptable",
    "mark_inappropriate": "offre inappropriée",
}


def _locked_bid(bid) -> Bid:
    return locked(Bid.objects.select_related("lot__consultation__groupement", "bidder"), bid.pk)


def _ranking_changed(bid, user, what):
    """Which offers are ranked, or at what price, changed: what was built on the ranking (the
    lot's award proposal) is to be redone."""
    for hook in hooks.evaluation_changed:
        hook(bid.lot, user, what)


def bid_record_price(*, bid, user, price: Decimal, reason: str = "") -> Bid:
    """The price read in the opened offer (acte d'engagement), for bids imported without one,
    or its correction, with its reason, which sends the lot's award proposal back to be made
    again."""
    if not can_manage(user, bid.lot.consultation):
        raise PermissionDenied
    refuse_if(bid_rules.price_errors(price))
    with transaction.atomic():
        bid = _locked_bid(bid)
        refuse_if(
            bid_rules.price_record_errors(
                bid, bids_open=bids_are_open(bid.lot.consultation), price=price, reason=reason
            )
        )
        previous = bid.price
        if previous == price:
            return bid
        bid.price = price
        bid.save(update_fields=["price"])
        journal_record(
            actor=user,
            obj=bid,
            action="prix de l'offre corrigé" if previous is not None else "prix de l'offre saisi",
            reason=f"{format_amount(price, 2)}"
            + (
                f" (au lieu de {format_amount(previous, 2)}) : {reason.strip()}" if previous else ""
            ),
        )
        if previous is not None:
            _ranking_changed(bid, user, f"prix de {bid.bidder} corrigé")
    return bid


def bid_decide(*, bid, user, decision: str, reason: str = "") -> Bid:
    refuse_if(bid_rules.decision_errors(decision, reason, decisions=DECISIONS))
    with transaction.atomic():
        bid = _locked_bid(bid)
        refuse_if(bid_rules.late_bid_errors(bid))
        run_transition(
            bid,
            decision,
            user,
            action=DECISIONS[decision],
            reason=reason.strip(),
            explanation=reason.strip(),
            blockers=lambda: bid_rules.analysis_errors(bid),
        )
        _ranking_changed(bid, user, f"{bid.bidder} : {DECISIONS[decision]}")
    return bid


def candidatures_request_completion(*, consultation, user, bids, deadline, reason: str):
    """Asks the candidates concerned to complete their file, all with the same deadline."""
    refuse_if(bid_rules.completion_request_errors(reason, deadline))
    with transaction.atomic():
        locked_consultation(consultation.pk)
        for bid in bids:
            fresh = _locked_bid(bid)
            run_transition(
                fresh,
                "request_completion",
                user,
                action="complément de candidature demandé",
                reason=f"{reason.strip()} — avant le {format_moment(deadline)}",
                deadline=deadline,
                blockers=partial(bid_rules.analysis_errors, fresh),
            )


def bid_request_price_justification(*, bid, user) -> Bid:
    """An abnormally low price: the bidder must justify it before any award (art. R2152-3 CCP)."""
    with transaction.atomic():
        bid = _locked_bid(bid)
        if not can_manage(user, bid.lot.consultation):
            raise PermissionDenied
        lot_bids = list(bid.lot.bids.all())
        refuse_if(bid_rules.price_justification_request_errors(bid, lot_bids))
        bid.low_price_requested_at = clock.now()
        bid.save(update_fields=["low_price_requested_at"])
        journal_record(
            actor=user,
            obj=bid,
            action="justification du prix demandée",
            reason="; ".join(rules.abnormally_low_reasons(bid, lot_bids)),
        )
    return bid


def bid_judge_price_justification(*, bid, user, accepted: bool, reason: str) -> Bid:
    refuse_if(bid_rules.price_judgement_reason_errors(reason))
    with transaction.atomic():
        bid = _locked_bid(bid)
        if not can_manage(user, bid.lot.consultation):
            raise PermissionDenied
        refuse_if(bid_rules.price_judgement_errors(bid))
        if not accepted:
            run_transition(
                bid,
                "reject_abnormally_low",
                user,
                action="offre anormalement basse écartée",
                reason=reason.strip(),
                explanation=reason.strip(),
                blockers=lambda: bid_rules.analysis_errors(bid),
            )
            _ranking_changed(bid, user, f"{bid.bidder} : offre anormalement basse écartée")
            return bid
        bid.low_price_decision = LowPriceDecision.ACCEPTED
        bid.low_price_reason = reason.strip()
        bid.save(update_fields=["low_price_decision", "low_price_reason"])
        journal_record(
            actor=user, obj=bid, action="justification du prix acceptée", reason=reason.strip()
        )
    return bid


def consultation_start_negotiation(*, consultation, user) -> Consultation:
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        return run_transition(
            consultation,
            "start_negotiation",
            user,
            action="ouverture de la négociation",
            blockers=lambda: rules.negotiation_errors(consultation),
        )


def consultation_declare_unsuccessful(*, consultation, user, reason: str) -> Consultation:
    refuse_if(bid_rules.unsuccessful_reason_errors(reason))
    with transaction.atomic():
        consultation = locked_consultation(consultation.pk)
        return run_transition(
            consultation,
            "declare_unsuccessful",
            user,
            action="déclarée infructueuse",
            reason=reason.strip(),
            explanation=reason.strip(),
        )
