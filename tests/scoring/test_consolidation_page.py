"""The consolidation page: an overview of the lot, then one offer at a time."""

import html
from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring.models import Consolidated
from scoring.rules import scored_criteria
from tests.scoring.test_ranking import evaluated  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def alert_at_one_and_a_half_point(settings):
    settings.SCORE_SPREAD_ALERT = "1.5"


def page(client, lot, **query):
    response = client.get(reverse("scoring:consolidation", args=[lot.pk]), query)
    return response, html.unescape(response.content.decode())


def test_the_overview_sums_up_each_offer_and_each_evaluator(client, world, evaluated):  # noqa: F811
    lot, bids = evaluated
    client.force_login(world.coordinator())
    response, text = page(client, lot)
    assert response.status_code == 200
    # Alpha's evaluators gave 6 and 8 on each of the 3 criteria: 3 spreads of 2 points, over
    # the alert of 1,5 point; Bravo and Charlie none.
    summaries = {s.row.bid.bidder.name: s for s in response.context["offers"]}
    assert (summaries["Alpha"].flagged, summaries["Alpha"].widest) == (3, D(2))
    assert (summaries["Charlie"].flagged, summaries["Charlie"].widest) == (0, D(0))
    assert all(s.consolidated == 0 for s in summaries.values())
    assert [(p.submitted, p.expected) for p in response.context["evaluators"]] == [(3, 3)] * 2
    for bid in bids:
        assert f"?offre={bid.pk}" in text
    # The overview holds no form: each offer is consolidated on its own page.
    assert not any(f"/consolidation/{bid.pk}/" in text for bid in bids)


def test_an_offer_page_shows_each_evaluators_score_and_a_form_per_criterion(
    client,
    world,
    evaluated,  # noqa: F811
):
    lot, bids = evaluated
    alpha = next(b for b in bids if b.bidder.name == "Alpha")
    client.force_login(world.coordinator())
    response, text = page(client, lot, offre=alpha.pk)
    assert response.status_code == 200
    cells = response.context["cells"]
    assert [c.criterion for c in cells] == scored_criteria(lot.grid)
    assert [(c.mean, c.spread, c.flagged) for c in cells] == [(D(7), D(2), True)] * 3
    assert text.count("⚠") == 3
    assert sorted(value for _who, value, *_rest in cells[0].scores) == [D(6), D(8)]
    assert text.count(f"/consolidation/{alpha.pk}/") == 3
    assert 'value="7,00"' in text  # the mean proposed


def test_recording_a_score_comes_back_to_the_same_offer(client, world, evaluated):  # noqa: F811
    lot, bids = evaluated
    criterion = scored_criteria(lot.grid)[0]
    client.force_login(world.coordinator())
    prefix = f"c{bids[1].pk}-{criterion.pk}"
    response = client.post(
        reverse("scoring:consolidate", args=[lot.pk, bids[1].pk, criterion.pk]),
        {f"{prefix}-value": "8,00", f"{prefix}-justification": ""},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/consolidation/?offre={bids[1].pk}")
    assert Consolidated.objects.get(bid=bids[1], criterion=criterion).value == D(8)
    response, _text = page(client, lot)
    counts = {s.row.bid.pk: s.consolidated for s in response.context["offers"]}
    assert counts[bids[1].pk] == 1


@pytest.mark.parametrize("offre", ["999999", "abc", "-1"])
def test_an_unknown_offer_says_so(client, world, evaluated, offre):  # noqa: F811
    lot, _bids = evaluated
    client.force_login(world.coordinator())
    response, text = page(client, lot, offre=offre)
    assert response.status_code == 404
    assert "Offre introuvable" in text
