"""The legal rules of the award, as functions returning French messages naming the rule."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contracts.choices import (
    CERTIFICATE_STATES,
    PROPOSAL_STATES,
    CertificateKind,
    ContractState,
    DecidingBody,
)
from core import clock
from core.formats import format_day
from groupement.rules import member_answer_errors
from procurement.choices import ConsultationState, LotOutcome, Procedure, ReviewDecision
from procurement.rules import reviewing_organisations
from procurement.selectors import pending_price_justifications
from procurement.thresholds import eu_threshold

# The URSSAF vigilance certificate is valid six months (art. D8222-5 Code du travail).
URSSAF_VALIDITY_MONTHS = 6
# Notified contracts, or contracts that ended after their notification.
NOTIFIED_STATES = {
    ContractState.NOTIFIED,
    ContractState.IN_EXECUTION,
    ContractState.COMPLETED,
    ContractState.TERMINATED,
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def competing_bids(lot) -> list:
    """The bids received in time on the lot: every one gets a letter."""
    return [bid for bid in lot.bids.all() if not bid.late]


# --- The deciding body -------------------------------------------------------------------


def deciding_body(consultation) -> str:
    """At or above the European threshold the tender committee awards (art. L1414-2 CGCT);
    below it, the coordinator."""
    day = clock.day_of(consultation.published_at or clock.now())
    threshold = eu_threshold(nature=consultation.nature, day=day)
    if consultation.procedure != Procedure.ADAPTED and consultation.estimated_value >= threshold:
        return DecidingBody.COMMITTEE
    return DecidingBody.COORDINATOR


@dataclass(frozen=True)
class Votes:
    """How the members present voted on the award; `casting`: the chair settled a tie."""

    cast_for: int
    against: int
    abstentions: int
    casting: bool = False

    @property
    def adopted(self) -> bool:
        return self.cast_for > self.against or (self.casting and self.cast_for == self.against)


def votes_errors(votes, *, present, chair) -> list[str]:
    """The committee decides by a majority of the votes of its members present; on a tie,
    the chair's casting vote (voix prépondérante) decides, if the chair sits."""
    if votes is None:
        return [_("Record the committee's votes: for, against and abstentions.")]
    errors = []
    cast = votes.cast_for + votes.against + votes.abstentions
    if min(votes.cast_for, votes.against, votes.abstentions) < 0:
        errors.append(_("A number of votes is 0 or more."))
    elif cast > len(present):
        errors.append(
            _("%(cast)s votes recorded for %(present)s members present: one vote per member.")
            % {"cast": cast, "present": len(present)}
        )
    if votes.casting and votes.cast_for != votes.against:
        errors.append(_("The chair's casting vote settles a tie only."))
    elif votes.casting and chair not in present:
        errors.append(_("The chair's casting vote counts only if the chair is present."))
    if not errors and not votes.adopted:
        errors.append(
            _(
                "The award is not adopted: %(for)s for, %(against)s against. The committee "
                "decides by a majority of the votes of its members present; on a tie, only the "
                "chair's casting vote decides."
            )
            % {"for": votes.cast_for, "against": votes.against}
        )
    return errors


def decision_errors(consultation, *, body, decided_on, present, votes=None) -> list[str]:
    errors = []
    if decided_on > clock.today():
        errors.append(_("The decision cannot be dated in the future."))
    opening = getattr(consultation, "opening", None)
    if opening and decided_on < clock.day_of(opening.opened_at):
        errors.append(_("The decision cannot be dated before the opening of the bids."))
    if body == DecidingBody.COMMITTEE:
        groupement = consultation.groupement
        members = set(groupement.committee_members.all())
        strangers = [p for p in present if p not in members]
        sitting = []
        if strangers:
            sitting.append(
                ngettext(
                    "%(names)s does not sit on the groupement's tender committee.",
                    "%(names)s do not sit on the groupement's tender committee.",
                    len(strangers),
                )
                % {"names": ", ".join(str(p) for p in strangers)}
            )
        if len(present) < groupement.quorum:
            sitting.append(
                ngettext(
                    "The quorum is not reached: %(present)s member present, %(quorum)s "
                    "required by the convention (CGCT L1411-5).",
                    "The quorum is not reached: %(present)s members present, %(quorum)s "
                    "required by the convention (CGCT L1411-5).",
                    len(present),
                )
                % {"present": len(present), "quorum": groupement.quorum}
            )
        # A committee that does not sit validly does not vote: its votes are not counted.
        errors += sitting or votes_errors(votes, present=present, chair=groupement.committee_chair)
    return errors


# --- Certificates ------------------------------------------------------------------------


def certificate_issue_errors(kind, issued_on, *, today=None) -> list[str]:
    today = today or clock.today()
    if issued_on > today:
        return [_("A certificate cannot be dated in the future.")]
    if kind == CertificateKind.URSSAF and add_months(issued_on, URSSAF_VALIDITY_MONTHS) <= today:
        return [
            _(
                "The URSSAF vigilance certificate of %(day)s is more than six months old: ask "
                "the winner for a new one (art. D8222-5 Code du travail)."
            )
            % {"day": format_day(issued_on)}
        ]
    return []


def certificate_errors(award, *, today=None) -> list[str]:
    """The proposed winner's certificates, each present and valid (art. R2144-4 CCP)."""
    present = {c.kind: c for c in award.certificates.all()}
    errors = []
    missing = [CertificateKind(kind).label for kind in CertificateKind if kind not in present]
    if missing:
        errors.append(
            _(
                "Lot %(lot)s: the certificates of %(winner)s are checked before the award "
                "(art. R2144-4 CCP); missing: %(missing)s."
            )
            % {
                "lot": award.lot.number,
                "winner": award.bid.bidder,
                "missing": ", ".join(str(m) for m in missing),
            }
        )
    for certificate in present.values():
        errors += certificate_issue_errors(certificate.kind, certificate.issued_on, today=today)
    return errors


def certificate_window_errors(consultation) -> list[str]:
    if consultation.state not in CERTIFICATE_STATES:
        return [_("Certificates are recorded between the proposal and the members' approval.")]
    return []


# --- The consultation's award steps -------------------------------------------------------


def awards_of(consultation) -> list:
    """The proposed winners of the consultation's lots, lot by lot, with their certificates."""
    lots = (
        consultation.lots.filter(award__isnull=False)
        .select_related("award__bid__bidder")
        .prefetch_related("award__certificates")
    )
    return [lot.award for lot in lots]


def proposal_state_errors(consultation) -> list[str]:
    if consultation.state not in PROPOSAL_STATES:
        return [_("The award is proposed while the consultation is in analysis or negotiation.")]
    return []


def ranked_row(ranking, bid):
    """The bid's row in the lot's ranking, or None when it is not ranked."""
    return next((row for row in ranking if row.bid.pk == bid.pk), None)


def award_proposal_errors(lot, bid, reason: str, *, complete: bool, ranking) -> list[str]:
    """A lot's winner, proposed from its complete ranking: the first ranked, or another with a
    written reason. `complete, ranking`: scoring.ranking.lot_ranking(lot)."""
    if lot.outcome:
        return [
            _("Lot %(lot)s was declared “%(outcome)s”.")
            % {"lot": lot.number, "outcome": lot.get_outcome_display()}
        ]
    if not complete:
        return [
            _(
                "The evaluation of lot %(lot)s is not complete: every sheet is submitted "
                "and every score consolidated before the award."
            )
            % {"lot": lot.number}
        ]
    chosen = ranked_row(ranking, bid)
    if chosen is None:
        return [_("Only an admitted candidate with a regular, ranked offer can be proposed.")]
    if chosen.rank != 1 and not reason.strip():
        return [
            _(
                "%(bidder)s is ranked %(rank)s: proposing anyone but the first ranked "
                "needs a written reason."
            )
            % {"bidder": chosen.bid.bidder, "rank": chosen.rank}
        ]
    return []


def proposal_blockers(consultation) -> list[str]:
    """Every lot has a proposed winner or an outcome, and at least one lot is awarded."""
    lots = list(consultation.lots.all())
    proposed = {a.lot_id for a in awards_of(consultation)}
    errors = [
        _("Lot %(lot)s has neither a proposed winner nor an outcome.") % {"lot": lot.number}
        for lot in lots
        if lot.pk not in proposed and not lot.outcome
    ]
    if not proposed and not errors:
        errors.append(
            _("No lot is awarded: declare the consultation unsuccessful or sans suite instead.")
        )
    pending = [b for b in pending_price_justifications(consultation) if b.lot_id in proposed]
    if pending:
        errors.append(
            _(
                "The justification of an abnormally low price is judged before any award "
                "(art. R2152-3 CCP): %(bids)s."
            )
            % {"bids": ", ".join(str(b) for b in pending)}
        )
    return errors


def current_decision(consultation):
    """The award decision of the current round, if recorded."""
    return (
        consultation.award_decisions.filter(award_round=consultation.award_round)
        .prefetch_related("present__organisation")
        .first()
    )


def missing_award_approvals(consultation) -> list:
    answered = set(
        consultation.award_approvals.filter(
            award_round=consultation.award_round, decision=ReviewDecision.APPROVED
        ).values_list("organisation_id", flat=True)
    )
    return [org for org in reviewing_organisations(consultation) if org.pk not in answered]


def award_decision_errors(consultation, *, body, decided_on, present, votes=None) -> list[str]:
    """The award decision of the round, once the award is proposed for every lot and the
    winners' certificates are checked."""
    if consultation.state != ConsultationState.AWARD_PROPOSED:
        return [_("The award is decided once it is proposed for every lot.")]
    if current_decision(consultation) is not None:
        return [_("The award decision of this round is already recorded.")]
    errors = decision_errors(
        consultation, body=body, decided_on=decided_on, present=present, votes=votes
    )
    for award in awards_of(consultation):
        errors += certificate_errors(award)
    return errors


def award_answer_errors(consultation, organisation, *, approve: bool, comment: str) -> list[str]:
    """A member's answer on the decided award: once per award round, a refusal saying why."""
    if consultation.state != ConsultationState.AWARD_PROPOSED:
        return [_("The members approve the award once it is proposed.")]
    if current_decision(consultation) is None:
        return [_("The members approve the award after the decision is recorded.")]
    return member_answer_errors(
        approve=approve,
        comment=comment,
        already_answered=consultation.award_approvals.filter(
            organisation=organisation, award_round=consultation.award_round
        ).exists(),
        reason_missing=_("Say why the member does not approve the award."),
        answered=_("This member has already answered in this award round."),
    )


def reconsideration_reason_errors(reason: str) -> list[str]:
    if not reason.strip():
        return [_("Say why the award is reconsidered.")]
    return []


def award_blockers(consultation) -> list[str]:
    errors = []
    if current_decision(consultation) is None:
        errors.append(_("The award decision is recorded before the members approve it."))
    missing = missing_award_approvals(consultation)
    if missing:
        errors.append(
            _("Every member approves the award; still waiting for: %(names)s.")
            % {"names": ", ".join(o.short_name for o in missing)}
        )
    return errors


def completion_blockers(consultation) -> list[str]:
    errors = []
    for lot in consultation.lots.all():
        if lot.outcome:
            continue
        contract = getattr(lot, "contract", None)
        if contract is None or contract.state not in NOTIFIED_STATES:
            errors.append(_("Lot %(lot)s has no notified contract yet.") % {"lot": lot.number})
    return errors


def cancellation_blockers(consultation) -> list[str]:
    """Sans suite only before a contract is signed (art. R2185-1 CCP)."""
    signed = (
        consultation.lots.filter(contract__isnull=False)
        .exclude(contract__state=ContractState.TO_SIGN)
        .exists()
    )
    if signed:
        return [_("A consultation is declared sans suite only before a contract is signed.")]
    return []


def lot_outcome_errors(lot, outcome, reason: str) -> list[str]:
    """A lot ends unsuccessful or sans suite, saying why, while the others go on."""
    errors = []
    if outcome not in (LotOutcome.UNSUCCESSFUL, LotOutcome.CANCELLED):
        errors.append(_("Unknown outcome."))
    if not reason.strip():
        errors.append(_("Say why the lot is not awarded."))
    return errors


# --- Standstill ------------------------------------------------------------------------


def standstill_days(*, electronic: bool) -> int:
    """Art. R2182-1 CCP: 11 days after electronic sending, 16 otherwise."""
    return 11 if electronic else 16


def standstill_required(lot) -> bool:
    """Not for a procédure adaptée, nor when only one bidder took part (art. R2182-1 and
    L2182-1 CCP)."""
    if lot.consultation.procedure == Procedure.ADAPTED:
        return False
    return len(competing_bids(lot)) > 1


def standstill_end(sent_at: datetime.datetime, *, electronic: bool) -> datetime.datetime:
    """The first moment the contract may be signed: the days count from the day after the
    sending and the last one runs to midnight, Paris time."""
    sent_day = clock.day_of(sent_at)
    first_day = sent_day + datetime.timedelta(days=standstill_days(electronic=electronic) + 1)
    return datetime.datetime.combine(first_day, datetime.time(0), tzinfo=clock.PARIS)


def earliest_signature_day(award) -> datetime.date | None:
    if award.standstill_ends_at is None:
        return clock.day_of(award.letters_sent_at) if award.letters_sent_at else None
    return clock.day_of(award.standstill_ends_at)


# --- Letters ---------------------------------------------------------------------------------


def letters_errors(consultation, awards, *, electronic: bool) -> list[str]:
    """The letters go out once, after every member approved the award, with the winners'
    certificates still valid; electronically, every bidder needs an e-mail address."""
    if consultation.state != ConsultationState.AWARDED:
        return [_("The letters go out once every member has approved the award.")]
    if any(a.letters_sent_at for a in awards):
        return [_("The letters of this consultation were already sent.")]
    errors = []
    for award in awards:
        errors += certificate_errors(award)
    if electronic:
        missing = sorted(
            {
                str(bid.bidder)
                for award in awards
                for bid in competing_bids(award.lot)
                if not bid.bidder.email
            }
        )
        if missing:
            errors.append(
                _(
                    "No e-mail address is known for %(names)s: add it, or send the letters "
                    "by post (16 days of standstill)."
                )
                % {"names": ", ".join(missing)}
            )
    return errors
