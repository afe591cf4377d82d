import io
from decimal import Decimal as D

import pandas as pd
import pytest
from django.urls import reverse

from groupement.models import Role
from scoring.models import Grid, ScoreSheet
from scoring.rules import scored_criteria
from tests.helpers import query_counts
from tests.scoring.conftest import example_grid, score_all


@pytest.fixture
def lot(world, lot_in_analysis):
    lot, bids, _seats = lot_in_analysis([("Alpha", "500000"), ("Bravo", "550000")])
    return lot, bids


def test_the_grid_is_defined_through_its_page(client, world, consultation_in):
    consultation = consultation_in("draft_with_documents")
    lot = consultation.lots.get()
    client.force_login(world.coordinator())
    response = client.post(
        reverse("scoring:grid", args=[lot.pk]),
        {
            "price_formula": "linear",
            "criteria": "Prix; 40; prix\nValeur technique; 60\n  Méthodologie; 35; 0: absente | "
            "10: remarquable\n  Moyens; 25",
        },
    )
    assert response.status_code == 302, response.content.decode()
    grid = Grid.objects.get(lot=lot)
    assert grid.price_formula == "linear"
    assert [c.name for c in scored_criteria(grid)] == ["Méthodologie", "Moyens"]


def test_a_bad_grid_text_gets_a_clear_message(client, world, consultation_in):
    import html

    consultation = consultation_in("draft_with_documents")
    client.force_login(world.coordinator())
    response = client.post(
        reverse("scoring:grid", args=[consultation.lots.get().pk]),
        {"price_formula": "linear", "criteria": "Prix; quarante; prix"},
    )
    assert response.status_code == 200
    assert "n’est pas un nombre de points" in html.unescape(response.content.decode())
    assert not Grid.objects.exists()


def test_a_frozen_grid_cannot_be_edited_through_the_page(client, world, lot):
    lot, _bids = lot
    client.force_login(world.coordinator())
    response = client.post(
        reverse("scoring:grid", args=[lot.pk]),
        {"price_formula": "linear", "criteria": "Prix; 100; prix"},
        follow=True,
    )
    assert "figée" in response.content.decode()
    assert Grid.objects.get(lot=lot).price_formula == "proportional"


def test_an_evaluator_scores_through_the_form(client, world, lot):
    lot, bids = lot
    client.force_login(world.user("M1", Role.EVALUATEUR))
    data = {}
    for criterion in scored_criteria(lot.grid):
        data[f"score_{criterion.pk}"] = "7,5"
        data[f"justification_{criterion.pk}"] = "Démarche claire."
    response = client.post(
        reverse("scoring:sheet", args=[lot.pk, bids[0].pk]), {**data, "action": "submit"}
    )
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get()
    assert sheet.state == "submitted"
    assert set(sheet.scores.values_list("value", flat=True)) == {D("7.50")}


def test_an_evaluator_cannot_read_another_evaluators_draft_by_url(client, world, lot):
    lot, bids = lot
    criterion = scored_criteria(lot.grid)[0]
    from scoring import services

    sheet = services.sheet_save(
        bid=bids[0], user=world.user("M2", Role.EVALUATEUR), scores={criterion: (D(4), "Brouillon")}
    )
    client.force_login(world.user("M1", Role.EVALUATEUR))
    assert client.get(reverse("scoring:sheet_view", args=[sheet.pk])).status_code == 403
    client.force_login(world.user("M2", Role.EVALUATEUR))
    assert client.get(reverse("scoring:sheet_view", args=[sheet.pk])).status_code == 200


def test_exports_by_role_and_outsider(client, world, lot):
    lot, bids = lot
    for bid in bids:
        score_all(world, lot, bid, "M1", (7, 7, 7))
        score_all(world, lot, bid, "M2", (8, 8, 8))
    url = reverse("scoring:export", args=[lot.pk, "xlsx"])
    client.force_login(world.user("M1", Role.REFERENT))
    book = pd.read_excel(io.BytesIO(client.get(url).content), sheet_name=None)
    assert "Synthèse" in book and "Notes individuelles" not in book
    client.force_login(world.user("M1", Role.EVALUATEUR))
    book = pd.read_excel(io.BytesIO(client.get(url).content), sheet_name=None)
    assert set(book["Notes individuelles"]["Évaluateur"]) == {
        str(world.user("M1", Role.EVALUATEUR))
    }
    client.force_login(world.user("OUT1", Role.GESTIONNAIRE))
    assert client.get(url).status_code == 404
    # The tender committee decides on the ranking: it reads it, without the individual marks.
    client.force_login(world.user("M1", Role.MEMBRE_CAO))
    book = pd.read_excel(io.BytesIO(client.get(url).content), sheet_name=None)
    assert "Synthèse" in book and "Notes individuelles" not in book


def test_the_ranking_page_shows_the_order(client, world, lot):
    lot, bids = lot
    client.force_login(world.coordinator())
    page = client.get(reverse("scoring:ranking", args=[lot.pk])).content.decode()
    assert "Alpha" in page and "Bravo" in page
    assert example_grid()[0].name in page


def test_the_ranking_page_and_the_export_read_as_many_queries_for_2_bids_as_for_5(
    client, world, lot_in_analysis
):
    lots = []
    for size in (2, 5):
        lot, bids, _seats = lot_in_analysis(
            [(f"Opérateur {i}", str(500000 + i * 1000)) for i in range(size)],
        )
        for bid in bids:
            score_all(world, lot, bid, "M1", (7, 7, 7))
            score_all(world, lot, bid, "M2", (6, 8, 7))
        lots.append(lot)
    client.force_login(world.coordinator())

    def get(name, lot, *args):
        assert client.get(reverse(name, args=[lot.pk, *args])).status_code == 200

    ranking = query_counts(*(lambda lot=lot: get("scoring:ranking", lot) for lot in lots))
    assert ranking[0] == ranking[1] <= 20, ranking
    export = query_counts(*(lambda lot=lot: get("scoring:export", lot, "xlsx") for lot in lots))
    assert export[0] == export[1] <= 25, export


def test_the_evaluators_workspace_lists_a_page_of_offers_per_panel(client, world, lot, monkeypatch):
    from scoring import views

    monkeypatch.setattr(views, "SHEETS_PAGE_SIZE", 1)
    lot, bids = lot
    client.force_login(world.user("M1", Role.EVALUATEUR))
    parameter = f"fiches{lot.pk}"
    first = client.get(reverse("scoring:workspace")).content.decode()
    second = client.get(reverse("scoring:workspace"), {parameter: 2}).content.decode()
    sheet_of = [reverse("scoring:sheet", args=[lot.pk, bid.pk]) for bid in bids]
    assert sheet_of[0] in first and sheet_of[1] not in first
    assert sheet_of[1] in second and sheet_of[0] not in second
    assert f"?{parameter}=2" in first
    assert "0 fiche remise sur 2" in first  # the count is of the whole lot, not of the page


def test_a_submitted_sheet_returns_to_the_workspace_page_that_lists_it(
    client, world, lot, monkeypatch
):
    from scoring import views

    monkeypatch.setattr(views, "SHEETS_PAGE_SIZE", 1)
    lot, bids = lot
    client.force_login(world.user("M1", Role.EVALUATEUR))
    data = {"action": "submit"}
    for criterion in scored_criteria(lot.grid):
        data[f"score_{criterion.pk}"] = "6"
        data[f"justification_{criterion.pk}"] = "Moyens décrits."
    parameter = f"fiches{lot.pk}"
    for page, bid in enumerate(sorted(bids, key=lambda b: b.bidder.name), start=1):
        response = client.post(reverse("scoring:sheet", args=[lot.pk, bid.pk]), data)
        assert response.status_code == 302
        assert response["Location"] == (
            f"{reverse('scoring:workspace')}?{parameter}={page}#{parameter}"
        )
