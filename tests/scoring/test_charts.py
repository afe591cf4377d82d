"""The charts of the ranking: their figures are the ranking's, the price weight at which the
first place changes is where it changes, the page shows each picture with its figures as a
table, only the coordinator sees the evaluators' marks, and the report draws them too."""

import base64
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from groupement.models import Role
from scoring import charts, exports
from scoring.ranking import effective_weights, evaluate, rerank, rescaled, top_of, winners
from tests.scoring.conftest import score_all
from tests.scoring.test_report import consolidate, fonts_of, read

# Alpha is the cheapest and the weakest, Charlie the dearest and the best: the more the price
# weighs, the better Alpha fares.
PRICES = [("Alpha <b>", "400000"), ("Bravo", "550000"), ("Charlie", "600000")]
MARKS = {
    "Alpha <b>": {"M1": (4, 4, 4), "M2": (6, 5, 4)},
    "Bravo": {"M1": (6, 6, 6), "M2": (7, 7, 7)},
    "Charlie": {"M1": (10, 9, 9), "M2": (5, 9, 8)},
}


@pytest.fixture
def ranked(world, lot_in_analysis):
    lot, bids, _seats = lot_in_analysis(PRICES)
    for bid in bids:
        for key, values in MARKS[bid.bidder.name].items():
            score_all(world, lot, bid, key, values)
    lot.refresh_from_db()
    consolidate(world, lot)
    return lot


def price_criterion(evaluation):
    leaf = next(c for c in evaluation.leaves if c.is_price)
    return top_of(evaluation.criteria)(leaf)


def at_weight(evaluation, weight):
    """The ranking under another price weight, as the sensitivity computes it."""
    moved = price_criterion(evaluation)
    return rerank(evaluation, overrides=rescaled(evaluation.criteria, moved, weight - moved.weight))


def test_the_ranking_chart_draws_the_rankings_figures(ranked):
    evaluation = evaluate(ranked)
    figure = charts.ranking_figure(evaluation)
    tops = [c for c in evaluation.criteria if c.parent_id is None]
    assert figure.values == [
        (row.bid.pk, [row.parts[c.pk] for c in tops], row.total) for row in evaluation.rows
    ]
    # The bars add up to the totals written at their ends.
    for _pk, parts, total in figure.values:
        assert sum(parts) == total
    assert [row[1] for row in figure.rows] == ["Charlie", "Bravo", "Alpha <b>"]


def test_the_marks_chart_draws_each_evaluators_mark_and_the_consolidated_score(ranked):
    evaluation = evaluate(ranked)
    figures = charts.marks_figures(evaluation)
    assert len(figures) == 3  # the three criteria the evaluators score
    first = figures[0]
    charlie = next(row for row in evaluation.rows if row.bid.bidder.name == "Charlie")
    pk, marks, centre = next(v for v in first.values if v[0] == charlie.bid.pk)
    criterion = [leaf for leaf in evaluation.leaves if not leaf.is_price][0]
    assert sorted(marks) == [D(5), D(10)]
    assert centre == evaluation.consolidated[pk, criterion.pk].value == D("7.5")
    # A spread of 5 is over the alert (3): flagged in the figures.
    assert ["Charlie", "10,00 ; 5,00", "5,00", "7,50"] in [
        [cell.replace("\u202f", " ") for cell in row] for row in first.rows
    ]


def test_the_totals_against_the_price_weight_are_those_of_the_ranking(ranked):
    evaluation = evaluate(ranked)
    figure = charts.sensitivity_figure(evaluation)
    grid_weight = price_criterion(evaluation).weight
    totals = {row.bid.pk: row.total for row in evaluation.rows}
    for pk, line in figure.values:
        # At the grid's weight, the ranking's totals exactly.
        assert line[grid_weight] == totals[pk]
        # Elsewhere, what the sensitivity's rescaling gives, to the rounding of each part.
        for weight in (D(0), D(20), D(70), D(100)):
            moved = {row.bid.pk: row.total for row in at_weight(evaluation, weight)}
            assert abs(line[weight] - moved[pk]) <= D("0.02"), (weight, pk)


def test_the_first_place_changes_at_the_weight_the_chart_marks(ranked):
    evaluation = evaluate(ranked)
    model = charts.price_weight(evaluation)
    first = evaluation.rows[0].bid.pk
    below, above = model.changes(first)
    assert below is None  # a lighter price only helps Charlie
    weight, taker = above
    assert evaluation.rows[0].bid.bidder.name == "Charlie"
    assert next(r for r in evaluation.rows if r.bid.pk == taker).bid.bidder.name == "Alpha <b>"
    # Just below the mark Charlie is still first, just above Alpha is.
    assert winners(at_weight(evaluation, weight - D("0.1"))) == {first}
    assert winners(at_weight(evaluation, weight + D("0.1"))) == {taker}
    figure = charts.sensitivity_figure(evaluation)
    assert "Alpha <b>" in figure.summary and "41," not in figure.summary[:5]


def test_a_grid_without_a_price_has_no_price_weight_chart(ranked):
    evaluation = evaluate(ranked)
    price = price_criterion(evaluation)
    price.weight = D(100)  # price only: no other weight to rescale
    assert charts.price_weight(evaluation) is None
    assert effective_weights(evaluation.criteria)  # the grid itself still reads


def svgs(page: str) -> list[str]:
    return [
        base64.b64decode(code).decode("utf-8")
        for code in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    ]


def test_the_ranking_page_shows_each_chart_with_its_figures(client, world, ranked):
    client.force_login(world.coordinator())
    page = client.get(reverse("scoring:ranking", args=[ranked.pk])).content.decode()
    assert page.count('<figure class="chart">') == 5
    assert page.count("<details>") == 5
    for alt in re.findall(r'<img src="data:[^"]+" alt="([^"]*)"', page):
        assert len(alt) > 40
    pictures = svgs(page)
    assert len(pictures) == 5
    # A bidder's name is written as typed, never as markup.
    assert "Alpha &lt;b&gt;" in pictures[0] and "<b>" not in pictures[0]
    assert "<script" not in "".join(pictures)


@pytest.mark.parametrize("role", [Role.REFERENT, Role.LECTEUR])
def test_only_the_coordinator_sees_the_evaluators_marks(client, world, ranked, role):
    client.force_login(world.user("M1", role))
    response = client.get(reverse("scoring:ranking", args=[ranked.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<figure class="chart">') == 2
    # Charlie's marks 10 and 5 appear nowhere: the ranking and the price weight only.
    assert "10,00 ; 5,00" not in page and "10,00 ; 5,00" not in "".join(svgs(page))


def test_the_report_draws_the_charts_in_its_own_fonts(world, ranked):
    coordinator = world.coordinator()
    reader, pages = read(exports.export_pdf(ranked, user=coordinator, visibility=exports.FULL))
    flat = re.sub(r"\s+", " ", " ".join(pages))
    assert "Graphiques" in flat
    assert flat.count("Notes des évaluateurs") >= 3
    assert "Poids du prix" in flat
    assert all(fonts_of(reader).values())
    _reader, pages = read(
        exports.export_pdf(ranked, user=coordinator, visibility=exports.CONSOLIDATED)
    )
    assert "Notes des évaluateurs" not in " ".join(pages)
