"""The rules of each consultation and bid action, as plain functions at their boundaries: no
database, the objects they read stand in."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from procurement import bid_rules, delays, rules
from procurement.choices import ConsultationState, GroupingKind

State = ConsultationState
PARIS = delays.PARIS
DEADLINE = datetime.datetime(2027, 3, 26, 12, 0, tzinfo=PARIS)
SECOND = datetime.timedelta(seconds=1)
# The moment candidates must have the last answer or change, in a formal procedure: 6 days.
LAST_NOTICE = delays.add_days(DEADLINE, -6)


def consultation(state=State.PUBLISHED, *, procedure="open", urgency=False, **fields):
    return SimpleNamespace(
        state=state,
        procedure=procedure,
        urgency=urgency,
        offers_deadline=DEADLINE,
        questions_deadline=DEADLINE - datetime.timedelta(days=10),
        **fields,
    )


# --- Windows of state ------------------------------------------------------------------------


@pytest.mark.parametrize("state", list(State))
def test_a_consultation_is_edited_only_as_a_draft(state):
    assert bool(rules.consultation_edit_errors(consultation(state))) is (state != State.DRAFT)


@pytest.mark.parametrize("state", list(State))
def test_questions_are_recorded_only_while_published(state):
    assert bool(rules.question_errors(consultation(state))) is (state != State.PUBLISHED)


@pytest.mark.parametrize("state", list(State))
def test_tender_documents_change_in_a_draft_or_while_published(state):
    errors = rules.document_change_errors(consultation(state), now=LAST_NOTICE - SECOND)
    assert bool(errors) is (state not in (State.DRAFT, State.PUBLISHED))


@pytest.mark.parametrize("state", list(State))
def test_bids_are_analysed_in_analysis_or_negotiation_only(state):
    bid = SimpleNamespace(lot=SimpleNamespace(consultation=consultation(state)))
    assert bool(bid_rules.analysis_errors(bid)) is (
        state not in (State.ANALYSIS, State.NEGOTIATION)
    )


@pytest.mark.parametrize("state", list(State))
def test_deposits_are_registered_from_the_publication_to_the_analysis(state):
    registering = {State.PUBLISHED, State.CLOSED, State.OPENED, State.ANALYSIS}
    assert bool(bid_rules.registration_errors(consultation(state))) is (state not in registering)


def test_a_member_reviews_only_while_the_documents_are_submitted_to_the_members():
    errors = rules.review_answer_errors(consultation(State.DRAFT), "M1", approve=True, comment="")
    assert errors == [
        "Les membres ne relisent le DCE que tant que la consultation leur est soumise."
    ]


# --- Deadlines, to the second ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "refused"),
    [(LAST_NOTICE - SECOND, False), (LAST_NOTICE, False), (LAST_NOTICE + SECOND, True)],
)
def test_a_formal_answer_reaches_candidates_six_days_before_the_deadline(now, refused):
    question = SimpleNamespace(consultation=consultation(), answered_at=None)
    errors = rules.answer_errors(question, now=now)
    assert bool(errors) is refused
    if refused:
        assert "R2132-6" in errors[0]


def test_in_urgency_the_answer_may_come_four_days_before():
    question = SimpleNamespace(consultation=consultation(urgency=True), answered_at=None)
    latest = delays.add_days(DEADLINE, -4)
    assert rules.answer_errors(question, now=latest) == []
    assert rules.answer_errors(question, now=latest + SECOND)


def test_a_question_is_answered_once():
    question = SimpleNamespace(consultation=consultation(), answered_at=LAST_NOTICE)
    assert len(rules.answer_errors(question, now=LAST_NOTICE - SECOND)) == 1


@pytest.mark.parametrize(
    ("now", "refused"),
    [(LAST_NOTICE - SECOND, False), (LAST_NOTICE, False), (LAST_NOTICE + SECOND, True)],
)
def test_a_published_document_is_replaced_within_the_legal_notice(now, refused):
    assert bool(rules.document_change_errors(consultation(), now=now)) is refused


@pytest.mark.parametrize(
    ("offers_deadline", "refused"),
    [(DEADLINE - SECOND, True), (DEADLINE, True), (DEADLINE + SECOND, False)],
)
def test_an_extension_sets_a_later_offers_deadline(offers_deadline, refused):
    errors = rules.extension_errors(consultation(), offers_deadline=offers_deadline)
    assert bool(errors) is refused


@pytest.mark.parametrize(
    ("questions_deadline", "refused"),
    [
        (DEADLINE + SECOND, False),
        (DEADLINE + 2 * SECOND, True),
        (DEADLINE + 3 * SECOND, True),
    ],
)
def test_an_extension_keeps_the_questions_deadline_before_the_offers_deadline(
    questions_deadline, refused
):
    errors = rules.extension_errors(
        consultation(),
        offers_deadline=DEADLINE + 2 * SECOND,
        questions_deadline=questions_deadline,
    )
    assert bool(errors) is refused


def test_an_extension_happens_only_while_published():
    errors = rules.extension_errors(
        consultation(State.CLOSED), offers_deadline=DEADLINE + datetime.timedelta(days=7)
    )
    assert len(errors) == 1


@pytest.mark.parametrize(
    ("now", "refused"), [(DEADLINE - SECOND, True), (DEADLINE, False), (DEADLINE + SECOND, False)]
)
@pytest.mark.parametrize("state", [State.PUBLISHED, State.CLOSED])
def test_the_bids_are_opened_from_the_deadline_on(state, now, refused):
    assert bool(bid_rules.opening_errors(consultation(state), now=now)) is refused


def test_in_other_states_the_opening_leaves_the_refusal_to_the_state_machine():
    assert bid_rules.opening_errors(consultation(State.DRAFT), now=DEADLINE - SECOND) == []


@pytest.mark.parametrize(
    ("deadline", "refused"),
    [(DEADLINE - SECOND, True), (DEADLINE, True), (DEADLINE + SECOND, False)],
)
def test_a_completion_deadline_is_in_the_future(deadline, refused):
    errors = bid_rules.completion_request_errors("Kbis manquant", deadline, now=DEADLINE)
    assert bool(errors) is refused


def test_a_completion_request_says_what_is_missing_first():
    errors = bid_rules.completion_request_errors(" ", DEADLINE - SECOND, now=DEADLINE)
    assert errors == ["Indiquez les pièces manquantes."]


# --- Deposits --------------------------------------------------------------------------------


def lot(*, deposited=False):
    bids = SimpleNamespace(filter=lambda **_: SimpleNamespace(exists=lambda: deposited))
    return SimpleNamespace(number=1, bids=bids)


def deposit(**fields):
    terms = {
        "bidder": "Innov'Artois",
        "grouping": GroupingKind.SINGLE,
        "members": [],
        "price": None,
        "received_at": None,
    }
    return SimpleNamespace(**(terms | fields))


@pytest.mark.parametrize(
    ("received_at", "refused"),
    [(DEADLINE - SECOND, False), (DEADLINE, False), (DEADLINE + SECOND, True)],
)
def test_a_deposit_cannot_be_dated_after_the_server_time(received_at, refused):
    errors = bid_rules.deposit_errors(
        lot(), consultation(), deposit(received_at=received_at), now=DEADLINE
    )
    assert bool(errors) is refused


@pytest.mark.parametrize(
    ("price", "refused"),
    [(None, True), (Decimal("-0.01"), True), (Decimal(0), True), (Decimal("0.01"), False)],
)
def test_a_price_is_greater_than_zero(price, refused):
    assert bool(bid_rules.price_errors(price)) is refused


def test_a_deposit_without_price_is_registered_and_one_with_a_nil_price_is_not():
    assert bid_rules.deposit_errors(lot(), consultation(), deposit(), now=DEADLINE) == []
    errors = bid_rules.deposit_errors(
        lot(), consultation(), deposit(price=Decimal(0)), now=DEADLINE
    )
    assert len(errors) == 1


def test_a_deposit_collects_every_refusal_in_order():
    errors = bid_rules.deposit_errors(
        lot(deposited=True),
        consultation(State.DRAFT),
        deposit(grouping=GroupingKind.JOINT, price=Decimal(0), received_at=DEADLINE + SECOND),
        now=DEADLINE,
    )
    assert len(errors) == 5
    assert "Innov'Artois" in errors[3]


@pytest.mark.parametrize(
    ("size", "refused"),
    [
        (bid_rules.REGISTER_MAX_BYTES - 1, False),
        (bid_rules.REGISTER_MAX_BYTES, False),
        (bid_rules.REGISTER_MAX_BYTES + 1, True),
    ],
)
def test_the_deposit_register_weighs_at_most_five_megabytes(size, refused):
    assert bool(bid_rules.register_file_errors(SimpleNamespace(size=size))) is refused


# --- Decisions on bids -----------------------------------------------------------------------

DECISIONS = {"admit": "", "reject": ""}


def test_admitting_a_candidature_needs_no_reason_but_rejecting_does():
    assert bid_rules.decision_errors("admit", "", decisions=DECISIONS) == []
    assert bid_rules.decision_errors("reject", " ", decisions=DECISIONS)
    assert bid_rules.decision_errors("reject", "Kbis absent", decisions=DECISIONS) == []


def test_an_unknown_decision_is_refused_before_its_reason():
    assert len(bid_rules.decision_errors("delete", "", decisions=DECISIONS)) == 1


@pytest.mark.parametrize(
    ("late", "opened", "refused"),
    [(False, True, False), (False, False, True), (True, True, True)],
)
def test_a_price_is_read_from_an_opened_offer_received_in_time(late, opened, refused):
    bid = priced_bid(State.ANALYSIS, late=late)
    assert bool(bid_rules.price_record_errors(bid, bids_open=opened)) is refused


def priced_bid(state, *, late=False, price=None):
    return SimpleNamespace(
        late=late, price=price, lot=SimpleNamespace(consultation=consultation(state))
    )


@pytest.mark.parametrize("state", list(State))
def test_prices_are_recorded_from_the_opening_until_the_award_is_proposed(state):
    errors = bid_rules.price_record_errors(priced_bid(state), bids_open=True)
    assert bool(errors) is (state not in (State.OPENED, State.ANALYSIS, State.NEGOTIATION))


@pytest.mark.parametrize(
    ("new_price", "reason", "refused"),
    [
        (Decimal("100.00"), "", False),
        (Decimal("100.01"), "", True),
        (Decimal("100.01"), "   ", True),
        (Decimal("100.01"), "Erreur de saisie", False),
    ],
)
def test_correcting_a_recorded_price_says_why(new_price, reason, refused):
    bid = priced_bid(State.ANALYSIS, price=Decimal("100.00"))
    errors = bid_rules.price_record_errors(bid, bids_open=True, price=new_price, reason=reason)
    assert bool(errors) is refused


@pytest.mark.parametrize(
    ("requested", "decided", "refused"),
    [(None, "", True), (DEADLINE, "", False), (DEADLINE, "accepted", True)],
)
def test_a_justification_is_judged_once_after_it_was_requested(requested, decided, refused):
    bid = SimpleNamespace(low_price_requested_at=requested, low_price_decision=decided)
    assert bool(bid_rules.price_judgement_errors(bid)) is refused
