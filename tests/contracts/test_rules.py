"""The rules of the award, the contract and its amendments, as plain functions at their
boundaries: no database, the objects they read stand in, the day is pinned."""

import datetime
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from contracts import award_rules, contract_rules
from contracts.choices import AmendmentGround, AmendmentState, ContractState
from core import clock
from procurement.choices import ConsultationState, LotOutcome
from tests.contracts.fakes import DAY, TODAY, pinned_day  # noqa: F401 (pinned_day: autouse)

State = ConsultationState


def queryset(rows=(), *, exists=None):
    """What a related manager answers: `all()` the rows, `filter(...).exists()` `exists`."""
    found = bool(rows) if exists is None else exists
    return SimpleNamespace(
        all=lambda: list(rows),
        exists=lambda: found,
        filter=lambda **_: SimpleNamespace(exists=lambda: found),
    )


# --- The award's windows ---------------------------------------------------------------------


@pytest.mark.parametrize("state", list(State))
def test_the_award_is_proposed_in_analysis_or_negotiation(state):
    refused = state not in (State.ANALYSIS, State.NEGOTIATION)
    assert bool(award_rules.proposal_state_errors(SimpleNamespace(state=state))) is refused


@pytest.mark.parametrize("state", list(State))
def test_certificates_are_recorded_from_the_analysis_to_the_members_approval(state):
    window = {State.ANALYSIS, State.NEGOTIATION, State.AWARD_PROPOSED}
    errors = award_rules.certificate_window_errors(SimpleNamespace(state=state))
    assert bool(errors) is (state not in window)


@pytest.mark.parametrize("state", [s for s in State if s != State.AWARD_PROPOSED])
def test_the_award_is_decided_and_approved_only_once_proposed(state):
    consultation = SimpleNamespace(state=state)
    assert award_rules.award_decision_errors(
        consultation, body="coordinator", decided_on=TODAY, present=[]
    )
    assert award_rules.award_answer_errors(consultation, "M1", approve=True, comment="")


@pytest.mark.parametrize("state", [s for s in State if s != State.AWARDED])
def test_the_letters_go_out_once_awarded(state):
    errors = award_rules.letters_errors(SimpleNamespace(state=state), [], electronic=True)
    assert len(errors) == 1


def test_the_letters_go_out_once():
    awards = [SimpleNamespace(letters_sent_at=TODAY)]
    errors = award_rules.letters_errors(
        SimpleNamespace(state=State.AWARDED), awards, electronic=True
    )
    assert len(errors) == 1


# --- The proposal of a lot's winner ----------------------------------------------------------


def row(name, rank):
    return SimpleNamespace(bid=SimpleNamespace(pk=name, bidder=name), rank=rank)


RANKING = [row("Innov'Artois", 1), row("Territoires Conseil", 2)]
LOT = SimpleNamespace(outcome=LotOutcome.OPEN, number=1)


@pytest.mark.parametrize(
    ("chosen", "reason", "refused"),
    [
        ("Innov'Artois", "", False),
        ("Territoires Conseil", "", True),
        ("Territoires Conseil", "  ", True),
        ("Territoires Conseil", "Offre de rang 1 retirée", False),
        ("Inconnu", "Motif", True),
    ],
)
def test_anyone_but_the_first_ranked_needs_a_written_reason(chosen, reason, refused):
    errors = award_rules.award_proposal_errors(
        LOT, SimpleNamespace(pk=chosen), reason, complete=True, ranking=RANKING
    )
    assert bool(errors) is refused


def test_no_proposal_before_the_evaluation_is_complete():
    bid = SimpleNamespace(pk="Innov'Artois")
    errors = award_rules.award_proposal_errors(LOT, bid, "", complete=False, ranking=RANKING)
    assert len(errors) == 1 and "lot 1" in errors[0]


@pytest.mark.parametrize(
    ("outcome", "reason", "count"),
    [
        (LotOutcome.UNSUCCESSFUL, "Aucune offre acceptable", 0),
        (LotOutcome.CANCELLED, "Besoin disparu", 0),
        (LotOutcome.OPEN, "Motif", 1),
        (LotOutcome.UNSUCCESSFUL, " ", 1),
        ("other", "", 2),
    ],
)
def test_a_lot_ends_without_award_with_a_known_outcome_and_its_reason(outcome, reason, count):
    assert len(award_rules.lot_outcome_errors(LOT, outcome, reason)) == count


# --- The contract's terms and shares ---------------------------------------------------------


def contract(state=ContractState.TO_SIGN, *, signed=False, **fields):
    return SimpleNamespace(state=state, signatures=queryset(exists=signed), **fields)


@pytest.mark.parametrize(
    ("amount", "refused"), [(None, True), (D("0.99"), True), (D(1), False), (D("1.01"), False)]
)
def test_a_contract_is_worth_at_least_one_euro(amount, refused):
    terms = SimpleNamespace(amount=amount, duration_months=12)
    assert bool(contract_rules.contract_terms_errors(contract(), terms)) is refused


@pytest.mark.parametrize(("months", "refused"), [(None, True), (0, True), (1, False), (2, False)])
def test_a_contract_lasts_at_least_one_month(months, refused):
    terms = SimpleNamespace(amount=D(1000), duration_months=months)
    assert bool(contract_rules.contract_terms_errors(contract(), terms)) is refused


def test_a_bad_amount_and_a_bad_duration_are_both_said():
    terms = SimpleNamespace(amount=D(0), duration_months=0)
    assert len(contract_rules.contract_terms_errors(contract(), terms)) == 2


@pytest.mark.parametrize(
    ("state", "signed"),
    [
        (ContractState.TO_SIGN, True),
        (ContractState.SIGNED, True),
        (ContractState.NOTIFIED, True),
    ],
)
def test_terms_and_shares_change_only_before_any_signature(state, signed):
    terms = SimpleNamespace(amount=D(1000), duration_months=12)
    assert len(contract_rules.contract_terms_errors(contract(state, signed=signed), terms)) == 1
    assert len(contract_rules.contract_shares_errors(contract(state, signed=signed), None)) == 1


def test_the_groupements_key_needs_no_check_before_the_signature():
    assert contract_rules.contract_shares_errors(contract(), None) == []


@pytest.mark.parametrize("state", [s for s in ContractState if s != ContractState.TO_SIGN])
def test_a_contract_is_signed_only_while_waiting_for_its_signatures(state):
    assert contract_rules.contract_signature_errors(contract(state), TODAY) == [
        "Ce marché n’attend pas de signature."
    ]


@pytest.mark.parametrize(
    ("on", "refused"),
    [(TODAY - 2 * DAY, True), (TODAY - DAY, False), (TODAY, False), (TODAY + DAY, True)],
)
def test_a_signed_contract_is_notified_between_its_signature_and_today(on, refused):
    signed = contract(ContractState.SIGNED, signed_on=TODAY - DAY)
    assert bool(contract_rules.contract_notification_errors(signed, on)) is refused


@pytest.mark.parametrize("state", [s for s in ContractState if s != ContractState.SIGNED])
def test_in_other_states_the_notification_leaves_the_refusal_to_the_state_machine(state):
    assert contract_rules.contract_notification_errors(contract(state), TODAY + DAY) == []


@pytest.mark.parametrize(
    ("on", "refused"),
    [(TODAY - 2 * DAY, True), (TODAY - DAY, False), (TODAY, False), (TODAY + DAY, True)],
)
def test_a_step_of_the_execution_is_dated_between_the_step_before_and_today(on, refused):
    assert bool(contract_rules.step_date_errors(on, not_before=TODAY - DAY)) is refused


def test_a_step_without_a_step_before_is_dated_until_today():
    assert contract_rules.step_date_errors(TODAY - 400 * DAY, not_before=None) == []


@pytest.mark.parametrize(
    ("ground", "reason", "refused"),
    [
        ("general_interest", "Réorganisation du service", False),
        ("general_interest", " ", True),
        ("whim", "Motif", True),
    ],
)
def test_a_termination_has_a_legal_ground_and_its_explanation(ground, reason, refused):
    assert bool(contract_rules.termination_errors(ground, reason)) is refused


# --- Amendments ------------------------------------------------------------------------------

INITIAL = D(100000)


def in_force(state=ContractState.IN_EXECUTION, *, amendments=()):
    return SimpleNamespace(
        state=state,
        amount=INITIAL,
        duration_months=24,
        lot=SimpleNamespace(consultation=SimpleNamespace(nature="services")),
        amendments=queryset(amendments),
    )


def proposal(contract, *, ground=AmendmentGround.NON_SUBSTANTIAL, amount=D(0), opinion=None):
    return contract_rules.amendment_proposal_errors(
        contract,
        ground=ground,
        description="Heures d'animation supplémentaires",
        amount_change=amount,
        duration_change=0,
        committee_opinion_on=opinion,
    )


@pytest.mark.parametrize("state", list(ContractState))
def test_only_a_notified_contract_in_force_is_amended(state):
    amendable = state in (ContractState.NOTIFIED, ContractState.IN_EXECUTION)
    assert bool(proposal(in_force(state))) is (not amendable)


@pytest.mark.parametrize(
    ("amount", "refused"), [(D("4999.99"), False), (D(5000), False), (D("5000.01"), True)]
)
def test_an_increase_above_five_percent_needs_the_committees_opinion(amount, refused):
    assert bool(proposal(in_force(), amount=amount)) is refused
    assert proposal(in_force(), amount=amount, opinion=TODAY) == []


def test_the_committee_opinion_refusal_shows_one_percent_sign():
    assert proposal(in_force(), amount=D(6000)) == [
        "Une augmentation de plus de 5 % du montant initial est d’abord soumise à l’avis de la "
        "commission d’appel d’offres (art. L1414-4 CGCT) : indiquez sa date."
    ]


@pytest.mark.parametrize(("opinion", "refused"), [(TODAY, False), (TODAY + DAY, True)])
def test_the_committees_opinion_is_not_dated_in_the_future(opinion, refused):
    assert bool(proposal(in_force(), amount=D(6000), opinion=opinion)) is refused


@pytest.mark.parametrize(
    ("amount", "refused"), [(D("9999.99"), False), (D(10000), True), (D("10000.01"), True)]
)
def test_small_modifications_stay_below_ten_percent(amount, refused):
    errors = proposal(in_force(), ground=AmendmentGround.SMALL, amount=amount, opinion=TODAY)
    assert bool(errors) is refused


def test_an_amendment_is_described():
    errors = contract_rules.amendment_proposal_errors(
        in_force(),
        ground=AmendmentGround.NON_SUBSTANTIAL,
        description=" ",
        amount_change=D(0),
        duration_change=0,
        committee_opinion_on=None,
    )
    assert len(errors) == 1


def amendment(state=AmendmentState.APPROVED, **fields):
    return SimpleNamespace(state=state, proposed_at=clock.paris_moment(2027, 6, 10, 9), **fields)


@pytest.mark.parametrize(
    ("on", "refused"),
    [
        (datetime.date(2027, 6, 9), True),
        (datetime.date(2027, 6, 10), False),
        (TODAY, False),
        (TODAY + DAY, True),
    ],
)
def test_an_amendment_is_signed_between_its_proposal_and_today(on, refused):
    assert bool(contract_rules.amendment_signature_errors(amendment(), on)) is refused


@pytest.mark.parametrize("state", [s for s in AmendmentState if s != AmendmentState.APPROVED])
def test_an_amendment_is_signed_once_every_member_approved_it(state):
    assert contract_rules.amendment_signature_errors(amendment(state), TODAY)


@pytest.mark.parametrize(
    ("state", "notified_on", "refused"),
    [
        (AmendmentState.SIGNED, None, False),
        (AmendmentState.SIGNED, TODAY, True),
        (AmendmentState.APPROVED, None, True),
    ],
)
def test_a_signed_amendment_is_notified_once(state, notified_on, refused):
    signed = amendment(state, notified_on=notified_on, signed_on=TODAY - DAY)
    assert bool(contract_rules.amendment_notification_errors(signed, TODAY)) is refused


@pytest.mark.parametrize("state", [s for s in AmendmentState if s != AmendmentState.PROPOSED])
def test_members_answer_only_a_proposed_amendment(state):
    errors = contract_rules.amendment_answer_errors(
        amendment(state), "M1", approve=True, comment=""
    )
    assert len(errors) == 1


# --- Open data -------------------------------------------------------------------------------


@pytest.mark.parametrize(("on", "refused"), [(TODAY, False), (TODAY + DAY, True)])
def test_a_publication_is_not_dated_in_the_future(on, refused):
    assert bool(contract_rules.publication_date_errors(on)) is refused


@pytest.mark.parametrize(
    ("on", "refused"), [(TODAY - 2 * DAY, True), (TODAY - DAY, False), (TODAY, False)]
)
def test_essential_data_are_published_from_the_notification_on(on, refused):
    notified = [SimpleNamespace(number="2027-001-L1", notified_on=TODAY - DAY)]
    errors = contract_rules.essential_data_publication_errors(notified, [], on)
    assert bool(errors) is refused


def test_nothing_to_publish_is_said():
    assert len(contract_rules.essential_data_publication_errors([], [], TODAY)) == 1
