import functools
from decimal import Decimal as D

import pytest

from core import clock as server_clock
from groupement.models import Role
from procurement import services as procurement
from scoring import services
from scoring.rules import CriterionSpec, scored_criteria
from tests.fixtures_procurement import build_consultation, register_with

LEVELS = "0: absent\n5: correct\n10: excellent"


def example_grid():
    return [
        CriterionSpec("Prix", D(40), is_price=True),
        CriterionSpec(
            "Valeur technique",
            D(60),
            children=[
                CriterionSpec("Méthodologie d'animation", D(25), levels=LEVELS),
                CriterionSpec("Moyens humains", D(20), levels=LEVELS),
                CriterionSpec("Réseau et partenariats", D(15), levels=LEVELS),
            ],
        ),
    ]


@pytest.fixture
def lot_in_analysis(world, consultation_in, clock):
    """lot_in_analysis(prices, evaluators) -> (lot, bids, seats): admitted, regular, declared."""
    return functools.partial(build_lot_in_analysis, world)


def build_lot_in_analysis(world, prices, evaluators=("M1", "M2"), formula="proportional"):
    """A lot of our groupement (in force) in analysis, its bids admitted and regular, the
    evaluators of `evaluators` named and declared; the clock where it was."""
    world.ours_in("in_force")
    coordinator = world.coordinator()
    consultation = build_consultation(world, "draft_with_documents")
    lot = consultation.lots.get()
    services.grid_define(lot=lot, user=coordinator, price_formula=formula, criteria=example_grid())
    procurement.consultation_submit_for_review(consultation=consultation, user=coordinator)
    for key in ("COORD", "M1", "M2"):
        procurement.consultation_review(
            consultation=consultation, user=world.user(key, Role.REFERENT), approve=True
        )
    procurement.consultation_publish(consultation=consultation, user=coordinator)
    register_bid = register_with(world)
    bids = [
        register_bid(consultation, name, i, price=D(price))
        for i, (name, price) in enumerate(prices, start=1)
    ]
    server_clock.move(days=41)
    procurement.consultation_open_bids(consultation=consultation, user=coordinator)
    procurement.consultation_start_analysis(consultation=consultation, user=coordinator)
    for bid in bids:
        procurement.bid_decide(bid=bid, user=coordinator, decision="admit")
        procurement.bid_decide(
            bid=bid, user=coordinator, decision="mark_regular", reason="Conforme."
        )
    seats = []
    for key in evaluators:
        evaluator = world.user(key, Role.EVALUATEUR)
        seat = services.panel_name(lot=lot, user=coordinator, evaluator=evaluator)
        seats.append(services.declaration_sign(panel_member=seat, user=evaluator))
    server_clock.move(days=-41)  # back to "now" plus nothing: later steps need no deadline
    lot.refresh_from_db()
    return lot, bids, seats


def score_all(world, lot, bid, key, values, justification="Argumenté."):
    """Scores a bid on every scored criterion (values in order) and submits the sheet."""
    user = world.user(key, Role.EVALUATEUR)
    criteria = scored_criteria(lot.grid)
    sheet = services.sheet_save(
        bid=bid,
        user=user,
        scores={c: (D(v), justification) for c, v in zip(criteria, values, strict=True)},
    )
    services.sheet_submit(sheet=sheet, user=user)
    return sheet
