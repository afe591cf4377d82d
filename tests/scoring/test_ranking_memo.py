"""The pages of a lot share its evaluation (journal.memo) until a journaled change."""

import pytest

from scoring import services
from scoring.ranking import evaluate
from scoring.rules import scored_criteria
from tests.scoring.conftest import score_all

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_evaluation_is_reused_until_a_score_changes_it(world, lot_in_analysis):
    """The pages of a lot share its evaluation; a consolidated score, journaled, makes a new
    one (the scoring services journal every change the evaluation reads)."""
    lot, bids, _seats = lot_in_analysis([("Alpha", "500000"), ("Bravo", "550000")])
    for bid in bids:
        score_all(world, lot, bid, "M1", (6, 7, 8))
        score_all(world, lot, bid, "M2", (6, 7, 8))
    first = evaluate(lot)
    assert evaluate(lot) is first
    criterion = scored_criteria(lot.grid)[0]
    services.consolidate(bid=bids[0], criterion=criterion, user=world.coordinator(), value=6)
    after = evaluate(lot)
    assert after is not first
    assert after.consolidated[(bids[0].pk, criterion.pk)].value == 6
