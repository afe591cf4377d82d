"""One rounding rule: points computed exactly, each part rounded once, half up, and the total
their sum. Every view of a lot (ranking, grid export, CSV, award) shows the same figures, and
each row adds up."""

import io
from decimal import Decimal as D

import pandas as pd
import pytest

from scoring import exports, tables
from scoring.ranking import evaluate, lot_ranking
from tests.scoring.conftest import score_all
from tests.scoring.test_ranking import _consolidate_means

# Awkward prices: parts with long decimals, several near a half hundredth.
PRICES = [("Alpha", "487123.45"), ("Bravo", "512345.67"), ("Charlie", "533333.33")]
MARKS = {"Alpha": (6, 7, 5), "Bravo": (9, 8, 7), "Charlie": (7, 7, 9)}


@pytest.fixture
def lot(world, lot_in_analysis):
    lot, bids, _seats = lot_in_analysis(PRICES)
    for bid in bids:
        score_all(world, lot, bid, "M1", MARKS[bid.bidder.name])
        score_all(world, lot, bid, "M2", tuple(m + 1 for m in MARKS[bid.bidder.name]))
    _consolidate_means(world, lot)
    return lot


def test_each_row_adds_up_and_every_view_shows_the_same_totals(world, lot):
    evaluation = evaluate(lot)
    totals = {row.bid.bidder.name: row.total for row in evaluation.rows}
    for row in evaluation.rows:
        assert row.total == sum(row.parts.values(), D(0))
        assert all(part == part.quantize(D("0.01")) for part in row.parts.values())
    synthesis = tables.synthesis(evaluation)
    parts = [c for c in synthesis.columns if c.startswith(("Prix (/", "Valeur technique (/"))]
    for _, record in synthesis.iterrows():
        total = D(str(record["Total (/100)"]))
        assert sum(D(str(record[c])) for c in parts) == total
        assert totals[record["Soumissionnaire"]] == total
    _complete, ranked = lot_ranking(lot)
    for row in ranked:
        assert sum(points for _name, points, _weight in row.details) == row.total
        assert totals[row.bid.bidder.name] == row.total
    xlsx = pd.read_excel(io.BytesIO(exports.export_xlsx(lot, user=world.coordinator())))
    csv = pd.read_csv(
        io.BytesIO(exports.export_csv(lot, user=world.coordinator())),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
    )
    for frame in (xlsx, csv):
        shown = {
            n: D(str(t)).quantize(D("0.01"))
            for n, t in zip(frame["Soumissionnaire"], frame["Total (/100)"], strict=True)
        }
        assert shown == totals
