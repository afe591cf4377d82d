"""The legal rules of the contract and its amendments, as functions returning French messages
naming the rule, and the exact split of an amount between the members."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext as _

from contracts.award_rules import add_months, earliest_signature_day
from contracts.choices import (
    AMENDABLE,
    AmendmentGround,
    AmendmentState,
    ContractState,
    TerminationGround,
)
from core import clock
from core.formats import format_day, format_money, format_percent
from groupement.choices import MembershipState, Mission
from groupement.rules import member_answer_errors
from procurement.choices import Nature
from procurement.thresholds import eu_threshold

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
# Art. R2194-8 CCP: small modifications, cumulated, below these shares of the initial amount.
SMALL_SHARE = {Nature.WORKS: Decimal("0.15")}
SMALL_SHARE_DEFAULT = Decimal("0.10")
# Art. R2194-3 and R2194-6 CCP: each modification within half the initial amount.
HALF = Decimal("0.5")
# Art. L1414-4 CGCT: above +5 % the tender committee gives its opinion first.
COMMITTEE_OPINION_SHARE = Decimal("0.05")
# Art. R2196-1 CCP: essential data are published within two months of the notification.
ESSENTIAL_DATA_MONTHS = 2


# --- Members' shares -----------------------------------------------------------------------


def split_amount(total: Decimal, shares: dict) -> dict:
    """Each member's amount, to the cent, adding up exactly to `total`.

    Every amount is first rounded down; the cents left over go one by one to the largest
    remainders (ties: in the order given), so no cent is lost or invented.
    """
    total = Decimal(total).quantize(CENT)
    exact = {key: total * Decimal(share) / HUNDRED for key, share in shares.items()}
    amounts = {key: value.quantize(CENT, rounding=ROUND_DOWN) for key, value in exact.items()}
    left = int((total - sum(amounts.values(), Decimal(0))) / CENT)
    by_remainder = sorted(exact, key=lambda key: exact[key] - amounts[key], reverse=True)
    for key in by_remainder[:left]:
        amounts[key] += CENT
    return amounts


def share_errors(shares: dict, members) -> list[str]:
    """Shares given for this contract: one per member, each positive, adding up to 100 %."""
    errors = []
    member_ids = {org.pk for org in members}
    strangers = [org for org in shares if org.pk not in member_ids]
    if strangers:
        errors.append(
            _("%(names)s are not members of the groupement.")
            % {"names": ", ".join(str(o) for o in strangers)}
        )
    if any(Decimal(value) <= 0 for value in shares.values()):
        errors.append(_("Each member's share is greater than 0 %."))
    total = sum((Decimal(v) for v in shares.values()), Decimal(0))
    if total != HUNDRED:
        errors.append(
            _(
                "The members' shares add up to %(total)s instead of 100 %%: the whole amount "
                "of the contract is shared (convention constitutive, art. L2113-7 CCP)."
            )
            % {"total": format_percent(total)}
        )
    return errors


def contract_members(contract):
    """The members that signed the convention (callers that loop prefetch
    `lot__consultation__groupement__memberships__organisation`)."""
    return [
        m.organisation
        for m in contract.lot.consultation.groupement.memberships.all()
        if m.state == MembershipState.SIGNED
    ]


def unsigned(contract) -> bool:
    """Nobody signed the contract yet: its terms and shares may still change."""
    return contract.state == ContractState.TO_SIGN and not contract.signatures.exists()


def contract_terms_errors(contract, terms) -> list[str]:
    """The terms the coordinator sets before any signature (`terms`: amount, duration...)."""
    if not unsigned(contract):
        return [_("The terms of a contract change only before any signature.")]
    errors = []
    if terms.amount is None or terms.amount < 1:
        errors.append(_("The amount of the contract is at least 1 € HT."))
    if terms.duration_months is None or terms.duration_months < 1:
        errors.append(_("The duration of the contract is at least one month."))
    return errors


def contract_shares_errors(contract, shares: dict | None) -> list[str]:
    """Shares set for this contract before any signature, one per member (None: the
    groupement's key)."""
    if not unsigned(contract):
        return [_("The members' shares change only before any signature.")]
    if shares is None:
        return []
    members = contract_members(contract)
    errors = share_errors(shares, members)
    missing = [org for org in members if org not in shares]
    if missing:
        errors.append(
            _("Give a share for every member: %(names)s.")
            % {"names": ", ".join(o.short_name for o in missing)}
        )
    return errors


# --- Signature and notification ------------------------------------------------------------


def signatories(contract) -> list:
    """Mission A: each member signs its own part; B and C: the coordinator signs for all."""
    groupement = contract.lot.consultation.groupement
    if groupement.mission == Mission.A:
        return contract_members(contract)
    return [groupement.coordinator]


def missing_signatories(contract, amendment=None) -> list:
    signed = {
        s.organisation_id
        for s in contract.signatures.all()
        if s.amendment_id == (amendment.pk if amendment else None)
    }
    return [org for org in signatories(contract) if org.pk not in signed]


def standstill_errors(contract, on=None) -> list[str]:
    """Art. R2182-1 CCP: no signature before the end of the standstill."""
    earliest = earliest_signature_day(contract.award)
    if earliest is None:
        return [_("The contract is signed after the letters to the bidders are sent.")]
    on = on or clock.today()
    if on < earliest:
        if contract.award.standstill_ends_at is None:
            return [_("The contract cannot be signed before the letters were sent.")]
        return [
            _(
                "The standstill runs until %(end)s: the contract cannot be signed before "
                "%(earliest)s (art. R2182-1 CCP)."
            )
            % {
                "end": format_day(earliest - datetime.timedelta(days=1)),
                "earliest": format_day(earliest),
            }
        ]
    return []


def signature_date_errors(on) -> list[str]:
    if on > clock.today():
        return [_("A signature cannot be dated in the future.")]
    return []


def signature_errors(contract, on) -> list[str]:
    return signature_date_errors(on) or standstill_errors(contract, on)


def signatory_errors(contract, organisation, amendment=None) -> list[str]:
    """Each signatory signs the contract, or an amendment, once."""
    if organisation not in missing_signatories(contract, amendment):
        return [_("%(org)s has already signed.") % {"org": organisation.short_name}]
    return []


def missing_signature_errors(contract, amendment=None) -> list[str]:
    missing = missing_signatories(contract, amendment)
    if missing:
        return [
            _("Every signatory signs; still waiting for: %(names)s.")
            % {"names": ", ".join(o.short_name for o in missing)}
        ]
    return []


def contract_signature_errors(contract, on) -> list[str]:
    if contract.state != ContractState.TO_SIGN:
        return [_("This contract is not waiting for a signature.")]
    return signature_errors(contract, on)


def contract_notification_errors(contract, on) -> list[str]:
    """A signed contract is notified after its signature; in other states the state machine
    says why."""
    if contract.state != ContractState.SIGNED:
        return []
    return notification_errors(contract.signed_on, on)


def step_date_errors(on, *, not_before) -> list[str]:
    """A step of the execution is dated at the latest today, not before the step before it
    (`not_before`, None when there is none)."""
    if on > clock.today():
        return [_("This date cannot be in the future.")]
    if not_before and on < not_before:
        return [_("This date cannot come before %(day)s.") % {"day": format_day(not_before)}]
    return []


def termination_errors(ground: str, reason: str) -> list[str]:
    if ground not in TerminationGround.values:
        return [_("Choose the ground for the termination.")]
    if not reason.strip():
        return [_("Explain the termination.")]
    return []


def notification_errors(signed_on, on) -> list[str]:
    if on > clock.today():
        return [_("A notification cannot be dated in the future.")]
    if signed_on is None or on < signed_on:
        return [
            _("The notification (%(on)s) cannot come before the signature (%(signed)s).")
            % {
                "on": format_day(on),
                "signed": format_day(signed_on) if signed_on else _("not signed"),
            }
        ]
    return []


# --- Amendments ----------------------------------------------------------------------------


@dataclass
class CumulatedChange:
    amount: Decimal  # € HT, signed amendments only
    share: Decimal  # % of the initial amount
    duration_months: int
    current_amount: Decimal
    current_duration: int


def cumulated_change(contract, amendments=None) -> CumulatedChange:
    amendments = amendments if amendments is not None else list(contract.amendments.all())
    signed = [a for a in amendments if a.state == AmendmentState.SIGNED]
    amount = sum((a.amount_change for a in signed), Decimal(0))
    months = sum(a.duration_change_months for a in signed)
    return CumulatedChange(
        amount=amount,
        share=(amount * HUNDRED / contract.amount).quantize(CENT),
        duration_months=months,
        current_amount=contract.amount + amount,
        current_duration=contract.duration_months + months,
    )


def amendment_errors(
    contract, *, ground, amount_change: Decimal, duration_change: int, committee_opinion_on
) -> list[str]:
    """The legal limits of a new modification, given the contract's other live ones."""
    consultation = contract.lot.consultation
    initial = contract.amount
    live = [a for a in contract.amendments.all() if a.state != AmendmentState.REFUSED]
    errors = []
    if ground not in AmendmentGround.values:
        return [_("Unknown legal ground.")]
    if initial + sum((a.amount_change for a in live), Decimal(0)) + amount_change < 1:
        errors.append(_("The amount of the contract stays at least 1 € HT."))
    if contract.duration_months + sum(a.duration_change_months for a in live) + duration_change < 1:
        errors.append(_("The duration of the contract stays at least one month."))
    if ground == AmendmentGround.SMALL:
        share = SMALL_SHARE.get(consultation.nature, SMALL_SHARE_DEFAULT)
        cumulated = abs(amount_change) + sum(
            (abs(a.amount_change) for a in live if a.ground == AmendmentGround.SMALL), Decimal(0)
        )
        threshold = eu_threshold(nature=consultation.nature, day=clock.today())
        if cumulated >= initial * share:
            errors.append(
                _(
                    "Small modifications, cumulated, stay below %(share)s of the initial "
                    "amount, %(limit)s; with this one they reach %(cumulated)s "
                    "(art. R2194-8 CCP)."
                )
                % {
                    "share": format_percent(share * HUNDRED),
                    "limit": format_money(initial * share),
                    "cumulated": format_money(cumulated),
                }
            )
        if cumulated >= threshold:
            errors.append(
                _(
                    "Small modifications, cumulated, stay below the European threshold of "
                    "%(threshold)s (art. R2194-8 CCP)."
                )
                % {"threshold": format_money(threshold)}
            )
    if ground in (AmendmentGround.ADDITIONAL, AmendmentGround.UNFORESEEABLE):
        if amount_change > initial * HALF:
            errors.append(
                _(
                    "A modification for additional services or unforeseeable circumstances "
                    "stays within 50 %% of the initial amount, %(limit)s (art. R2194-3 and "
                    "R2194-6 CCP)."
                )
                % {"limit": format_money(initial * HALF)}
            )
    if amount_change > initial * COMMITTEE_OPINION_SHARE and committee_opinion_on is None:
        errors.append(
            # A python-format message like the others: formatting turns its "%%" into "%".
            _(
                "An increase above 5 %% of the initial amount needs the tender committee's "
                "opinion first (art. L1414-4 CGCT): record its date."
            )
            % {}
        )
    return errors


def amendment_proposal_errors(
    contract,
    *,
    ground,
    description: str,
    amount_change: Decimal,
    duration_change: int,
    committee_opinion_on,
) -> list[str]:
    """A modification proposed for a notified contract in force, described, within the legal
    limits, with the committee's opinion when it is needed."""
    if contract.state not in AMENDABLE:
        return [_("A notified contract in force is amended, no other.")]
    errors = [] if description.strip() else [_("Describe the modification.")]
    if committee_opinion_on and committee_opinion_on > clock.today():
        errors.append(_("The committee's opinion cannot be dated in the future."))
    return errors + amendment_errors(
        contract,
        ground=ground,
        amount_change=amount_change,
        duration_change=duration_change,
        committee_opinion_on=committee_opinion_on,
    )


def missing_amendment_approvals(amendment) -> list:
    approved = {a.organisation_id for a in amendment.approvals.all() if a.approved}
    return [org for org in contract_members(amendment.contract) if org.pk not in approved]


def amendment_approval_errors(amendment) -> list[str]:
    missing = missing_amendment_approvals(amendment)
    if missing:
        return [
            _("Every member approves the amendment; still waiting for: %(names)s.")
            % {"names": ", ".join(o.short_name for o in missing)}
        ]
    return []


def amendment_answer_errors(amendment, organisation, *, approve: bool, comment: str) -> list[str]:
    """A member's answer on a proposed amendment: once, a refusal saying why."""
    if amendment.state != AmendmentState.PROPOSED:
        return [_("This amendment is no longer waiting for the members.")]
    return member_answer_errors(
        approve=approve,
        comment=comment,
        already_answered=amendment.approvals.filter(organisation=organisation).exists(),
        reason_missing=_("Say why the member refuses the amendment."),
        answered=_("This member has already answered."),
    )


def amendment_signature_errors(amendment, on) -> list[str]:
    if amendment.state != AmendmentState.APPROVED:
        return [_("An amendment is signed once every member approved it.")]
    errors = signature_date_errors(on)
    if errors:
        return errors
    if on < clock.day_of(amendment.proposed_at):
        return [_("An amendment cannot be signed before it was proposed.")]
    return []


def amendment_notification_errors(amendment, on) -> list[str]:
    if amendment.state != AmendmentState.SIGNED or amendment.notified_on:
        return [_("A signed amendment is notified once.")]
    return notification_errors(amendment.signed_on, on)


# --- Open data -----------------------------------------------------------------------------


def open_data_errors(consultation) -> list[str]:
    """A consultation enters the open data once it is published: before, its draft belongs to
    the buyers alone."""
    if consultation.published_at is None:
        return [_("This consultation has not been published: it has no open data.")]
    return []


def publication_date_errors(on) -> list[str]:
    if on > clock.today():
        return [_("A publication cannot be dated in the future.")]
    return []


def essential_data_publication_errors(contracts, amendments, on) -> list[str]:
    """The notified contracts and amendments whose essential data wait, published on `on`:
    not before their notification."""
    if not contracts and not amendments:
        return [_("No essential data is waiting for publication.")]
    early = [c.number for c in contracts if on < c.notified_on] + [
        str(a) for a in amendments if on < a.notified_on
    ]
    if early:
        return [
            _("The data are published after the notification: %(items)s.")
            % {"items": ", ".join(early)}
        ]
    return []


def essential_data_due(contract, amendments=None) -> list[tuple[str, datetime.date]]:
    """What must still be published as essential data, each with its due date (R2196-1)."""
    due = []
    if contract.notified_on and contract.data_published_on is None:
        due.append(
            (
                _("Essential data of contract %(number)s") % {"number": contract.number},
                add_months(contract.notified_on, ESSENTIAL_DATA_MONTHS),
            )
        )
    amendments = amendments if amendments is not None else list(contract.amendments.all())
    for amendment in amendments:
        if amendment.notified_on and amendment.data_published_on is None:
            due.append(
                (
                    _("Essential data of amendment %(n)s to contract %(number)s")
                    % {"n": amendment.number, "number": contract.number},
                    add_months(amendment.notified_on, ESSENTIAL_DATA_MONTHS),
                )
            )
    return due
