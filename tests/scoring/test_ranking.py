"""Consolidation and ranking against totals computed by hand (see each test)."""

from decimal import Decimal as D

import pytest

from core.workflow import BusinessRuleError
from groupement.models import Role
from scoring import services
from scoring.models import Consolidated
from scoring.ranking import evaluate, sensitivity
from scoring.rules import scored_criteria
from tests.helpers import query_counts
from tests.scoring.conftest import score_all

PRICES = [("Alpha", "500000"), ("Bravo", "550000"), ("Charlie", "600000")]


@pytest.fixture
def evaluated(world, lot_in_analysis):
    lot, bids, _seats = lot_in_analysis(PRICES)
    marks = {
        "Alpha": ((6, 6, 6), (8, 8, 8)),
        "Bravo": ((8, 8, 8), (8, 8, 8)),
        "Charlie": ((9, 9, 9), (9, 9, 9)),
    }
    for bid in bids:
        first, second = marks[bid.bidder.name]
        score_all(world, lot, bid, "M1", first)
        score_all(world, lot, bid, "M2", second)
    return lot, bids


def _consolidate_means(world, lot):
    evaluation = evaluate(lot)
    for row in evaluation.rows:
        for criterion in scored_criteria(lot.grid):
            mean = evaluation.means[(row.bid.pk, criterion.pk)][0]
            services.consolidate(
                bid=row.bid, criterion=criterion, user=world.coordinator(), value=mean
            )


def test_means_are_proposed_and_spreads_measured(world, evaluated):
    lot, bids = evaluated
    evaluation = evaluate(lot)
    criterion = scored_criteria(lot.grid)[0]
    assert evaluation.means[(bids[0].pk, criterion.pk)] == (D("7.00"), D(2), 2)


def test_the_ranking_by_hand(world, evaluated):
    # Prix 40 (proportional): Alpha 10, Bravo 10 × 500/550 = 9,09, Charlie 10 × 500/600 = 8,33.
    # Alpha 40 + 0,7 × 60 = 82,00; Bravo 36,36 + 48 = 84,36; Charlie 33,33 + 54 = 87,33
    # (each part rounded once from the exact points, the total their sum).
    lot, _bids = evaluated
    _consolidate_means(world, lot)
    evaluation = evaluate(lot)
    assert evaluation.complete
    assert [(r.bid.bidder.name, r.total, r.rank) for r in evaluation.rows] == [
        ("Charlie", D("87.33"), 1),
        ("Bravo", D("84.36"), 2),
        ("Alpha", D("82.00"), 3),
    ]


def test_the_sensitivity_check_by_hand(world, evaluated):
    # Prix ±5 points keeps Charlie first (86,99 and 87,66); the linear formula gives Bravo 5
    # and Charlie 0, so Alpha (82) would win; the relative gap keeps Charlie (86).
    lot, _bids = evaluated
    _consolidate_means(world, lot)
    changes = sensitivity(lot)
    assert len(changes) == 1 and "Linéaire" in changes[0]


def test_equal_totals_are_ties(world, lot_in_analysis):
    lot, bids, _seats = lot_in_analysis([("Alpha", "500000"), ("Bravo", "500000")])
    for bid in bids:
        score_all(world, lot, bid, "M1", (7, 7, 7))
        score_all(world, lot, bid, "M2", (7, 7, 7))
    _consolidate_means(world, lot)
    assert [r.rank for r in evaluate(lot).rows] == [1, 1]


def test_consolidation_waits_for_every_sheet(world, lot_in_analysis):
    lot, bids, _seats = lot_in_analysis(PRICES[:2])
    score_all(world, lot, bids[0], "M1", (7, 7, 7))
    criterion = scored_criteria(lot.grid)[0]
    with pytest.raises(BusinessRuleError) as refusal:
        services.consolidate(bid=bids[0], criterion=criterion, user=world.coordinator(), value=D(7))
    assert "1 sur 4" in refusal.value.messages[0]
    assert not Consolidated.objects.exists()


def test_departing_from_the_mean_needs_a_justification(world, evaluated):
    lot, bids = evaluated
    criterion = scored_criteria(lot.grid)[0]
    with pytest.raises(BusinessRuleError) as refusal:
        services.consolidate(bid=bids[0], criterion=criterion, user=world.coordinator(), value=D(8))
    assert "moyenne" in refusal.value.messages[0]
    services.consolidate(
        bid=bids[0],
        criterion=criterion,
        user=world.coordinator(),
        value=D(8),
        justification="Consensus après échange en séance.",
    )
    assert Consolidated.objects.get().value == D(8)


def test_only_the_coordinator_consolidates(world, evaluated):
    lot, bids = evaluated
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.consolidate(
            bid=bids[0],
            criterion=scored_criteria(lot.grid)[0],
            user=world.user("M1", Role.EVALUATEUR),
            value=D(7),
        )


def test_the_evaluation_reads_as_many_queries_for_2_bids_as_for_5(world, lot_in_analysis):
    lots = []
    for size in (2, 5):
        lot, bids, _seats = lot_in_analysis(
            [(f"Opérateur {i}", str(500000 + i)) for i in range(size)]
        )
        for bid in bids:
            score_all(world, lot, bid, "M1", (7, 7, 7))
            score_all(world, lot, bid, "M2", (6, 8, 7))
        lots.append(lot)
    counts = query_counts(*(lambda lot=lot: evaluate(lot) for lot in lots))
    assert counts == [7, 7]
