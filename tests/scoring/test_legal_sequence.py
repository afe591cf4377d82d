"""An offer found abnormally low after the evaluators scored it: its justification is judged,
the offer drops out of the ranking and of the completeness count without reopening anything,
and its sheets stay in the record. Meanwhile every view of the ranking says « provisoire »."""

import io
from decimal import Decimal as D

import pandas as pd
import pytest
from django.urls import reverse
from pypdf import PdfReader

from procurement import services as procurement
from scoring import exports
from scoring.models import ScoreSheet
from scoring.ranking import evaluate
from tests.scoring.conftest import score_all
from tests.scoring.test_ranking import _consolidate_means

PRICES = [("Alpha", "500000"), ("Bravo", "550000"), ("Charlie", "600000"), ("Low", "300000")]


@pytest.fixture
def scored(world, lot_in_analysis):
    lot, bids, _seats = lot_in_analysis(PRICES)
    for bid in bids:
        score_all(world, lot, bid, "M1", (7, 7, 7))
        score_all(world, lot, bid, "M2", (8, 8, 8))
    low = next(b for b in bids if b.bidder.name == "Low")
    procurement.bid_request_price_justification(bid=low, user=world.coordinator())
    return lot, low


def _pdf_text(content):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_pending_justification_makes_every_view_of_the_ranking_provisional(client, world, scored):
    lot, low = scored
    _consolidate_means(world, lot)
    evaluation = evaluate(lot)
    assert evaluation.complete and not evaluation.final
    assert evaluation.pending_justifications == [low]
    client.force_login(world.coordinator())
    page = client.get(reverse("scoring:ranking", args=[lot.pk])).content.decode()
    assert "provisoire" in page
    assert "PROVISOIRE" in _pdf_text(exports.export_pdf(lot, user=world.coordinator()))
    content = exports.export_xlsx(lot, user=world.coordinator())
    synthesis = pd.read_excel(io.BytesIO(content), sheet_name="Synthèse")
    assert set(synthesis["Classement"]) == {"provisoire"}
    parameters = pd.read_excel(io.BytesIO(content), sheet_name="Paramètres")
    status = dict(zip(parameters["Paramètre"], parameters["Valeur"], strict=True))
    assert status["Statut du classement"].startswith("provisoire")


def test_rejecting_the_offer_completes_the_lot_without_reopening_a_sheet(world, scored):
    lot, low = scored
    procurement.bid_judge_price_justification(
        bid=low, user=world.coordinator(), accepted=False, reason="Prix intenable (R2152-3)."
    )
    _consolidate_means(world, lot)
    evaluation = evaluate(lot)
    assert evaluation.complete and evaluation.final
    assert [row.bid.bidder.name for row in evaluation.rows] == ["Alpha", "Bravo", "Charlie"]
    # The rejected offer's sheets stay in the record, submitted as they were, and no longer
    # count among the sheets awaited.
    kept = ScoreSheet.objects.filter(bid=low)
    assert len(kept) == 2 and {s.state for s in kept} == {"submitted"}
    assert evaluation.submitted_sheets == evaluation.expected_sheets == 2 * 3
    assert all(row.total is not None and row.total > D(0) for row in evaluation.rows)
