"""« Mes actions » along a whole consultation: at each step, each role's list holds what waits
for that person, and only that, and each line opens a page that person may see.

A consultation of our groupement is taken from its draft to its notified contract through the
services, one step at a time (built once each, in order: tests/matrix.py)."""

from decimal import Decimal

import pytest
from django.utils.html import escape

from contracts import services as contracts
from groupement import hooks
from groupement.models import Role
from procurement import services as procurement
from procurement.models import Bid, Lot
from scoring import services as scoring
from scoring.rules import scored_criteria
from tests.conftest import rolled_back
from tests.contracts.conftest import MARKS, AwardFlow, consolidate_means
from tests.contracts.test_award_matrix import advance as advance_award
from tests.fixtures_procurement import Clock, build_consultation
from tests.matrix import Chain, each_state
from tests.scoring.conftest import example_grid, score_all
from tests.test_state_crawl import advance as advance_consultation

PEOPLE = {
    "gestionnaire": ("COORD", Role.GESTIONNAIRE),
    "référent COORD": ("COORD", Role.REFERENT),
    "référent M1": ("M1", Role.REFERENT),
    "référent M2": ("M2", Role.REFERENT),
    "évaluateur M1": ("M1", Role.EVALUATEUR),
    "évaluateur M2": ("M2", Role.EVALUATEUR),
    "membre CAO": ("COORD", Role.MEMBRE_CAO),
    "lecteur M1": ("M1", Role.LECTEUR),
}
EVALUATORS = ("M1", "M2")
REFERENCE = "2027-050"
STEPS = [
    "draft",
    "member_review",
    "ready",
    "published",
    "closed",
    "opened",
    "analysis",
    "bids_decided",
    "panel_named",
    "declared",
    "scored",
    "consolidated",
    "proposed",
    "award_proposed",
    "decided",
    "awarded",
    "to_sign",
    "signed",
    "notified",
]


def advance(flow, step):
    coordinator, lot = flow.coordinator, flow.lot
    if step in ("member_review", "ready", "published", "closed"):
        advance_consultation(flow, step)
    elif step == "opened":
        procurement.consultation_open_bids(consultation=flow.consultation, user=coordinator)
    elif step == "analysis":
        procurement.consultation_start_analysis(consultation=flow.consultation, user=coordinator)
    elif step == "bids_decided":
        for bid in _bids(lot):
            procurement.bid_decide(bid=bid, user=coordinator, decision="admit")
            procurement.bid_decide(
                bid=bid, user=coordinator, decision="mark_regular", reason="Conforme."
            )
    elif step == "panel_named":
        for key in EVALUATORS:
            evaluator = flow.world.user(key, Role.EVALUATEUR)
            scoring.panel_name(lot=lot, user=coordinator, evaluator=evaluator)
    elif step == "declared":
        for seat in lot.panel.all():
            scoring.declaration_sign(panel_member=seat, user=seat.evaluator)
    elif step == "scored":
        for key in EVALUATORS:
            for bid in _bids(lot):
                score_all(flow.world, lot, bid, key, MARKS[bid.bidder.name])
    elif step == "consolidated":
        consolidate_means(flow.world, lot)
    else:
        advance_award(AwardFlow(flow.world, flow.clock, lot, _bids(lot)), step)


def _bids(lot):
    return list(Bid.objects.filter(lot=lot).select_related("bidder").order_by("pk"))


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture(scope="module")
def chain(module_world):
    with rolled_back():
        world = module_world.fresh()
        world.ours_in("in_force")
        consultation = build_consultation(
            world, "draft_with_documents", grid=example_grid(), reference=REFERENCE
        )
        flow = AwardFlow(world, Clock(), consultation.lots.get(), [])

        chain = Chain(STEPS, lambda step: advance(flow.fresh(module_world.fresh()), step))
        yield chain
        chain.close()


@pytest.fixture(scope="module")
def built(request, chain):
    chain.reach(request.param)
    return request.param


# At each step, what waits for whom (Action.name); everybody else's list is empty.
EXPECTED = {
    "draft": {"gestionnaire": ["submit_for_review"]},
    "member_review": {f"référent {key}": ["review"] for key in ("COORD", "M1", "M2")},
    "ready": {"gestionnaire": ["publish"]},
    "published": {"gestionnaire": ["answer"]},  # the question recorded at the publication
    "closed": {"gestionnaire": ["open_bids"]},
    "opened": {"gestionnaire": ["start_analysis"]},
    "analysis": {"gestionnaire": ["examine"]},
    "bids_decided": {"gestionnaire": ["panel"]},
    "panel_named": {f"évaluateur {key}": ["declaration"] for key in EVALUATORS},
    "declared": {f"évaluateur {key}": ["sheets"] for key in EVALUATORS},
    "scored": {"gestionnaire": ["consolidation"]},
    "consolidated": {"gestionnaire": ["propose"]},
    "proposed": {"gestionnaire": ["submit"]},
    "award_proposed": {"membre CAO": ["decide"]},
    "decided": {f"référent {key}": ["approve"] for key in ("COORD", "M1", "M2")},
    "awarded": {"gestionnaire": ["send_letters"]},
    "to_sign": {f"référent {key}": ["sign"] for key in ("COORD", "M1", "M2")},
    "signed": {"gestionnaire": ["notify"]},
    "notified": {"gestionnaire": ["publish"]},  # the essential data (R2196-1)
}


def test_every_step_of_the_journey_waits_on_someone():
    assert list(EXPECTED) == STEPS
    assert all(EXPECTED.values())


@each_state(STEPS)
def test_each_role_s_actions_at_each_step(client, world, built):
    wrong = []
    for name, person in PEOPLE.items():
        user = world.user(*person)
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200
        actions = response.context["actions"]
        names = [action.name for action in actions]
        if names != EXPECTED[built].get(name, []):
            wrong.append(f"{name}: {names}, expected {EXPECTED[built].get(name, [])}")
        body = response.content.decode()
        for action in actions:
            assert action.label in body or escape(action.label) in body, action.label
            # Each line opens a page this person may see (never a POST-only address).
            assert client.get(action.url).status_code == 200, (name, action.url)
    assert not wrong, f"{built}: " + "; ".join(wrong)


def _names(user):
    return [action.name for action in hooks.dashboard_sources.collect(user)]


@each_state(["scored"])
def test_a_partial_consolidation_still_asks_for_the_rest_and_no_winner_yet(world, built):
    lot = Lot.objects.get(consultation__reference=REFERENCE)
    criterion = scored_criteria(lot.grid)[0]
    scoring.consolidate(
        bid=_bids(lot)[0], criterion=criterion, user=world.coordinator(), value=Decimal(8)
    )
    assert _names(world.coordinator()) == ["consolidation"]


@each_state(["bids_decided"])
def test_a_lot_closed_without_award_waits_for_nobody(world, built):
    lot = Lot.objects.get(consultation__reference=REFERENCE)
    contracts.lot_close_without_award(
        lot=lot, user=world.coordinator(), outcome="unsuccessful", reason="Aucune offre."
    )
    # Neither its panel nor a proposal with no lot awarded: the consultation is to be declared
    # unsuccessful instead.
    assert not {"panel", "submit", "propose"} & set(_names(world.coordinator()))
