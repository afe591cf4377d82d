"""Every page of a consultation in every state: no 500.

A consultation of our groupement is taken from its draft to its notified contract, one state
at a time (built once each, in order). In each state every URL pattern that names one of its
objects, and the dashboard, is requested with that consultation's objects, by the
coordinator's manager (GET and an empty POST) and by a member's référent and evaluator (GET):
a page that does not belong to the state says so in French (403, 404, 409), it never fails.
(tests/test_crawl.py posts as every role, in the analysis.)
"""

from decimal import Decimal as D

import pytest
from django.contrib.auth import SESSION_KEY

from contracts.models import Amendment, Award, Contract, Letter
from core import clock as server_clock
from core.routes import all_routes, fill
from groupement.models import Role
from procurement import services as procurement
from procurement.models import Bid, Consultation
from scoring.models import ScoreSheet
from tests.conftest import rolled_back
from tests.contracts.conftest import PRICES, AwardFlow
from tests.contracts.test_freeze_matrix import advance as advance_award
from tests.fixtures_procurement import REFERENTS, Clock, build_consultation, register_with
from tests.matrix import Chain, each_state
from tests.scoring.conftest import example_grid
from tests.test_crawl import crawled, kwarg_values  # noqa: F401

STATES = [
    "draft",
    "member_review",
    "ready",
    "published",
    "closed",
    "opened",
    "analysis",
    "award_proposed",
    "awarded",
    "to_sign",
    "notified",
]
READERS = [("M1", Role.REFERENT), ("M1", Role.EVALUATEUR)]
# What changes with the consultation's state: its own pages, and the dashboard.
OWN_ARGUMENTS = (
    "consultation_pk",
    "lot_pk",
    "bid_pk",
    "bid_document_pk",
    "document_pk",
    "criterion_pk",
    "sheet_pk",
    "question_pk",
    "award_pk",
    "letter_pk",
    "contract_pk",
    "amendment_pk",
)


def state_routes():
    return [
        route
        for _ns, name, route in all_routes()
        if name == "dashboard" or any(argument in route for argument in OWN_ARGUMENTS)
    ]


@pytest.fixture
def world(shared_world):
    return shared_world


def advance(flow, step):
    coordinator, consultation = flow.coordinator, flow.consultation
    if step == "member_review":
        procurement.consultation_submit_for_review(consultation=consultation, user=coordinator)
    elif step == "ready":
        for key in REFERENTS:
            procurement.consultation_review(
                consultation=consultation, user=flow.world.user(key, Role.REFERENT), approve=True
            )
    elif step == "published":
        procurement.consultation_publish(consultation=consultation, user=coordinator)
        register = register_with(flow.world)
        for number, (name, price) in enumerate(PRICES, start=11):
            register(consultation, name, number, price=D(price))
        procurement.question_record(
            consultation=consultation,
            user=coordinator,
            text="Une visite est-elle prévue ?",
            sender="Candidat <b>x</b>",
        )
    elif step == "closed":
        server_clock.move(days=41)
        procurement.consultations_close_due()
    else:
        # From the opening on, the steps of the freeze matrix.
        advance_award(AwardFlow(flow.world, flow.clock, flow.lot, _bids(flow.lot)), step)


def _bids(lot):
    return list(Bid.objects.filter(lot=lot).select_related("bidder").order_by("pk"))


@pytest.fixture(scope="module")
def chain(module_world, crawled):  # noqa: F811 (the crawl's world comes first)
    with rolled_back():
        world = module_world.fresh()
        consultation = build_consultation(world, "draft_with_documents", grid=example_grid())
        flow = AwardFlow(world, Clock(), consultation.lots.get(), [])
        chain = Chain(
            STATES,
            lambda step: advance(flow.fresh(module_world.fresh()), step),
        )
        yield consultation.pk, chain
        chain.close()


@pytest.fixture(scope="module")
def built(request, chain):
    pk, chain = chain
    chain.reach(request.param)
    consultation = Consultation.objects.get(pk=pk)
    assert consultation.state == {"to_sign": "awarded", "notified": "completed"}.get(
        request.param, request.param
    )
    return request.param, consultation


def values_for(world, consultation):
    """The crawl's URL arguments, with this consultation's own objects where they exist."""
    values = kwarg_values(world, world.ours)
    lot = consultation.lots.get()
    values |= {
        "consultation_pk": consultation.pk,
        "lot_pk": lot.pk,
        "criterion_pk": lot.grid.criteria.first().pk,
        "document_pk": consultation.documents.order_by("pk").first().pk,
    }
    bid = Bid.objects.filter(lot=lot).first()
    if bid is not None:
        values |= {"bid_pk": bid.pk, "bid_document_pk": bid.documents.first().pk}
    optional = {
        "question_pk": consultation.questions.first(),
        "sheet_pk": ScoreSheet.objects.filter(bid__lot=lot).first(),
        "award_pk": Award.objects.filter(lot=lot).first(),
        "letter_pk": Letter.objects.filter(award__lot=lot).first(),
        "contract_pk": Contract.objects.filter(lot=lot).first(),
        "amendment_pk": Amendment.objects.filter(contract__lot=lot).first(),
    }
    values |= {key: obj.pk for key, obj in optional.items() if obj is not None}
    return values


@each_state(STATES)
@pytest.mark.parametrize(
    "role", [("COORD", Role.GESTIONNAIRE), *READERS], ids=lambda r: f"{r[0]}.{r[1]}"
)
def test_every_page_in_every_state_answers_without_error(client, world, built, role):
    state, consultation = built
    values = values_for(world, consultation)
    user = world.user(*role)
    methods = ("get", "post") if role[1] == Role.GESTIONNAIRE else ("get",)
    client.force_login(user)
    requested = 0
    for route in state_routes():
        url = fill(route, values)
        for method in methods:
            response = getattr(client, method)(url)
            assert response.status_code < 500, (state, method, url)
            requested += 1
    assert requested > 50
    assert SESSION_KEY in client.session, "a page ended the session: the crawl went on anonymous"
