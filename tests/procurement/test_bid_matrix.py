"""The permission matrix of the decisions on bids, at the opening and during the analysis.

The consultation has two reference offers and three cheap ones: one for the plain decisions,
one already marked irregular (to be asked for regularisation) and one already asked to justify
its price (to be rejected as abnormally low).
"""

import datetime
from decimal import Decimal

import pytest

from core import clock as server_clock
from groupement.models import Role
from journal.models import Entry
from procurement import services
from procurement.models import Bid, ConsultationState
from tests.conftest import rolled_back
from tests.fixtures_procurement import build_consultation, register_with
from tests.matrix import case_of, check_case, each_action_and_role, each_state

BID_ACTIONS = [
    "admit",
    "reject",
    "request_completion",
    "mark_regular",
    "mark_irregular",
    "request_regularisation",
    "mark_unacceptable",
    "mark_inappropriate",
    "reject_abnormally_low",
]
MANAGER = ("COORD", Role.GESTIONNAIRE)
ROLES = [
    MANAGER,
    ("COORD", Role.REFERENT),
    ("COORD", Role.LECTEUR),
    ("COORD", Role.EVALUATEUR),
    ("M1", Role.REFERENT),
    ("M1", Role.GESTIONNAIRE),
    ("M1", Role.EVALUATEUR),
    ("M1", Role.MEMBRE_CAO),
    ("M1", Role.LECTEUR),
    ("OUT1", Role.GESTIONNAIRE),
    ("OUT1", Role.REFERENT),
]
ALLOWED = {action: {("analysis", MANAGER)} for action in BID_ACTIONS}
# The bid each action is tried on.
TARGET = {"request_regularisation": "Irrégulière", "reject_abnormally_low": "À justifier"}


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture(scope="module")
def built(request, module_world):
    state = request.param
    with rolled_back():
        world = module_world.fresh()
        world.ours_in("in_force")
        coordinator = world.coordinator()
        consultation = build_consultation(world, ConsultationState.PUBLISHED)
        register = register_with(world)
        register(consultation, "Référence haute", 1, price=Decimal("590000"))
        register(consultation, "Référence", 2, price=Decimal("580000"))
        bids = {
            name: register(consultation, name, number, price=Decimal(price))
            for name, number, price in [
                ("Prix bas", 3, "300000"),
                ("Irrégulière", 4, "310000"),
                ("À justifier", 5, "290000"),
            ]
        }
        server_clock.move(days=41)
        services.consultation_open_bids(consultation=consultation, user=coordinator)
        if state == "analysis":
            services.consultation_start_analysis(consultation=consultation, user=coordinator)
            services.bid_decide(
                bid=bids["Irrégulière"],
                user=coordinator,
                decision="mark_irregular",
                reason="Pièce non signée.",
            )
            services.bid_request_price_justification(bid=bids["À justifier"], user=coordinator)
        yield state


def _act(bid, action, user):
    if action == "request_completion":
        services.candidatures_request_completion(
            consultation=bid.lot.consultation,
            user=user,
            bids=[bid],
            deadline=server_clock.now() + datetime.timedelta(days=5),
            reason="Kbis manquant.",
        )
    elif action == "reject_abnormally_low":
        services.bid_judge_price_justification(
            bid=bid, user=user, accepted=False, reason="Justification insuffisante."
        )
    else:
        services.bid_decide(bid=bid, user=user, decision=action, reason="Motif écrit.")


@each_state(["opened", "analysis"])
@each_action_and_role(BID_ACTIONS, ROLES)
def test_bid_decisions_follow_the_matrix(world, built, action, role):
    case = case_of(built, action, role, ALLOWED)
    bid = Bid.objects.select_related("lot__consultation").get(
        bidder__name=TARGET.get(action, "Prix bas")
    )
    assert bid.lot.consultation.state == built
    user = world.user(*role)

    def snapshot():
        b = Bid.objects.get(pk=bid.pk)
        return (b.candidature, b.offer, b.low_price_decision, Entry.objects.count())

    check_case(case, run=lambda: _act(bid, action, user), snapshot=snapshot)


def test_the_bid_matrix_covers_every_bid_transition():
    declared = {t.name for t in Bid().get_all_candidature_transitions()} | {
        t.name for t in Bid().get_all_offer_transitions()
    }
    assert declared == set(BID_ACTIONS)
