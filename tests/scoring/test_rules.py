"""The evaluation's rules as plain functions at their boundaries: no database, the objects they
read stand in."""

from dataclasses import dataclass
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from procurement.choices import CandidatureState, ConsultationState, OfferState
from scoring import rules
from scoring.choices import SheetState

State = ConsultationState


@dataclass(frozen=True)
class Criterion:
    pk: int
    name: str
    is_price: bool = False
    parent_id: int | None = None
    scale_max: D = D(10)


METHOD = Criterion(1, "Méthode")
PRICE = Criterion(2, "Prix", is_price=True)
GRID = SimpleNamespace(criteria=SimpleNamespace(all=lambda: [METHOD, PRICE]))
SCORED = [METHOD]


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        (D("-0.01"), True),
        (D(0), False),
        (D("0.01"), False),
        (D("9.99"), False),
        (D(10), False),
        (D("10.01"), True),
    ],
)
def test_a_score_stays_on_the_criterion_scale(value, refused):
    assert bool(rules.score_errors(METHOD, value, scored=SCORED)) is refused


def test_a_draft_may_leave_a_score_out_but_a_consolidation_may_not():
    assert rules.score_errors(METHOD, None, scored=SCORED) == []
    assert rules.score_errors(METHOD, None, scored=SCORED, required=True)


def test_the_price_criterion_is_not_scored_by_evaluators():
    assert rules.score_errors(PRICE, D(5), scored=SCORED) == [
        "Prix n’est pas noté par les évaluateurs."
    ]


def test_a_draft_sheet_collects_every_score_refusal():
    errors = rules.sheet_scores_errors(GRID, {METHOD: (D(11), ""), PRICE: (D(5), "")})
    assert len(errors) == 2


@pytest.mark.parametrize("state", list(State))
def test_bids_are_scored_in_analysis_or_negotiation(state):
    bid = SimpleNamespace(
        lot=SimpleNamespace(consultation=SimpleNamespace(state=state)),
        late=False,
        candidature=CandidatureState.ADMITTED,
        offer=OfferState.REGULAR,
        bidder="Innov'Artois",
    )
    member = SimpleNamespace(declared_at="signed")
    errors = rules.scoring_errors(member, bid)
    assert bool(errors) is (state not in (State.ANALYSIS, State.NEGOTIATION))


@pytest.mark.parametrize(
    ("late", "candidature", "offer"),
    [
        (True, CandidatureState.ADMITTED, OfferState.REGULAR),
        (False, CandidatureState.PENDING, OfferState.REGULAR),
        (False, CandidatureState.ADMITTED, OfferState.IRREGULAR),
    ],
)
def test_only_admitted_candidates_with_regular_offers_are_scored(late, candidature, offer):
    bid = SimpleNamespace(
        lot=SimpleNamespace(consultation=SimpleNamespace(state=State.ANALYSIS)),
        late=late,
        candidature=candidature,
        offer=offer,
        bidder="Innov'Artois",
    )
    errors = rules.scoring_errors(SimpleNamespace(declared_at="signed"), bid)
    assert len(errors) == 1 and "Innov'Artois" in errors[0]


def test_the_declaration_comes_before_any_score():
    bid = SimpleNamespace(lot=SimpleNamespace(consultation=SimpleNamespace(state=State.DRAFT)))
    errors = rules.scoring_errors(SimpleNamespace(declared_at=None), bid)
    assert len(errors) == 1 and "déclaration" in errors[0]


@pytest.mark.parametrize(
    ("declared_at", "opened", "refused"),
    [(None, True, False), (None, False, True), ("signed", True, True)],
)
def test_the_declaration_is_signed_once_after_the_opening(declared_at, opened, refused):
    consultation = SimpleNamespace(opening="opened") if opened else SimpleNamespace()
    member = SimpleNamespace(
        declared_at=declared_at, lot=SimpleNamespace(consultation=consultation)
    )
    assert bool(rules.declaration_errors(member)) is refused


@pytest.mark.parametrize("state", list(State))
def test_the_grid_is_edited_while_the_consultation_is_a_draft(state):
    grid = SimpleNamespace(frozen_at=None, content_hash="")
    errors = rules.grid_edit_errors(grid, SimpleNamespace(state=state))
    assert bool(errors) is (state != State.DRAFT)


def test_a_frozen_grid_never_changes_and_says_its_hash():
    grid = SimpleNamespace(frozen_at="published", content_hash="ab" * 32)
    errors = rules.grid_edit_errors(grid, SimpleNamespace(state=State.DRAFT))
    assert len(errors) == 1 and "abababababab…" in errors[0]


@pytest.mark.parametrize(
    ("state", "refused"), [(SheetState.DRAFT, False), (SheetState.SUBMITTED, True)]
)
def test_only_a_draft_sheet_changes(state, refused):
    assert bool(rules.sheet_edit_errors(SimpleNamespace(state=state))) is refused


# --- Consolidation: two bids, two evaluators, four sheets ------------------------------------


def _lot(state=State.ANALYSIS, evaluators=2):
    return SimpleNamespace(
        panel=SimpleNamespace(count=lambda: evaluators),
        grid=GRID,
        consultation=SimpleNamespace(state=state),
    )


BID = SimpleNamespace(pk=7, lot=_lot())
MEAN = D("6.50")


def evaluation(submitted, *, evaluators=2):
    """Bids 7 and 8 ranked, `submitted` of their sheets submitted (scoring.ranking.evaluate
    counts only the sheets of the ranked bids: tests/scoring/test_legal_sequence.py)."""
    rows = [SimpleNamespace(bid=SimpleNamespace(pk=pk)) for pk in (7, 8)]
    return SimpleNamespace(
        rows=rows,
        expected_sheets=len(rows) * evaluators,
        submitted_sheets=submitted,
        means={(7, 1): (MEAN, 1, 2)},
    )


@pytest.mark.parametrize(("submitted", "refused"), [(3, True), (4, False)])
def test_consolidation_starts_once_every_sheet_is_submitted(submitted, refused):
    errors = rules.consolidation_errors(BID, METHOD, MEAN, "", evaluation=evaluation(submitted))
    assert bool(errors) is refused
    if refused:
        assert "3 sur 4" in errors[0]


@pytest.mark.parametrize(
    ("state", "refused"),
    [
        (State.OPENED, True),
        (State.ANALYSIS, False),
        (State.NEGOTIATION, False),
        (State.AWARD_PROPOSED, True),
        (State.AWARDED, True),
    ],
)
def test_consolidated_scores_change_during_the_analysis_only(state, refused):
    bid = SimpleNamespace(pk=7, lot=_lot(state))
    errors = rules.consolidation_errors(bid, METHOD, MEAN, "", evaluation=evaluation(4))
    assert bool(errors) is refused


@pytest.mark.parametrize(
    ("previous", "justification", "refused"),
    [
        (None, "", False),
        (MEAN, "", False),
        (MEAN + D("0.01"), "", True),
        (MEAN - D("0.01"), "", True),
        (MEAN + D("0.01"), "Erreur de saisie", False),
    ],
)
def test_correcting_a_consolidated_score_says_why(previous, justification, refused):
    errors = rules.consolidation_errors(
        BID, METHOD, MEAN, justification, evaluation=evaluation(4), previous=previous
    )
    assert bool(errors) is refused


def test_no_consolidation_without_any_sheet_to_submit():
    bid = SimpleNamespace(pk=7, lot=_lot(evaluators=0))
    assert rules.consolidation_errors(bid, METHOD, MEAN, "", evaluation=evaluation(0))


@pytest.mark.parametrize(
    ("value", "justification", "refused"),
    [
        (MEAN, "", False),
        (MEAN - D("0.01"), "", True),
        (MEAN + D("0.01"), "", True),
        (MEAN + D("0.01"), "Meilleure lecture du mémoire", False),
    ],
)
def test_departing_from_the_mean_needs_a_justification(value, justification, refused):
    errors = rules.consolidation_errors(BID, METHOD, value, justification, evaluation=evaluation(4))
    assert bool(errors) is refused


@pytest.mark.parametrize("value", [None, D("10.01")])
def test_a_consolidated_score_stays_on_the_scale(value):
    errors = rules.consolidation_errors(BID, METHOD, value, "", evaluation=evaluation(4))
    assert len(errors) == 1 and "10,00" in errors[0]
