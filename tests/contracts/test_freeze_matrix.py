"""Records freeze: each value that feeds the award changes in its window only.

State x value: in each state of a consultation, from its publication to its notified contract,
the coordinator's manager (who may change every value in its window) tries to change each
value. Inside the window the change is made; outside it is refused with a reason and the
database is exactly as it was. After the award decision, nothing that fed it changes.
"""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts import services
from contracts.models import Contract
from core import clock as server_clock
from groupement.models import Role
from journal.models import Entry
from procurement import services as procurement
from procurement.models import Bid, Lot, TenderDocument
from scoring import services as scoring
from scoring.models import Consolidated, Criterion, ScoreSheet
from scoring.rules import scored_criteria
from tests.conftest import rolled_back
from tests.contracts.conftest import MARKS, PRICES, AwardFlow, consolidate_means
from tests.contracts.test_award_matrix import advance as advance_award
from tests.fixtures_procurement import Clock, build_consultation, register_with
from tests.matrix import Case, Chain, check_case, each_state
from tests.scoring.conftest import example_grid, score_all

# Each state adds its steps to the previous one.
STATES = ["published", "opened", "analysis", "award_proposed", "awarded", "to_sign", "notified"]
# value -> the states in which it may change.
WINDOWS = {
    "tender_document": {"published"},
    "grid": set(),  # frozen at the publication
    "bid_price": {"opened", "analysis"},
    # A decision on an offer, once taken, stands (tests/procurement/test_bid_matrix.py has the
    # decisions still open during the analysis): every offer here was found regular.
    "bid_decision": set(),
    "score_sheet": {"analysis"},
    "consolidated_score": {"analysis"},
    "contract_terms": {"to_sign"},
    "contract_shares": {"to_sign"},
}


@pytest.fixture
def world(shared_world):
    return shared_world


# Each state from the proposal on, as the award matrix's steps.
FINER_STEPS = {
    "award_proposed": ["proposed", "award_proposed"],
    "awarded": ["decided", "awarded"],
    "to_sign": ["to_sign"],
    "notified": ["signed", "notified"],
}


def advance(flow, step):
    coordinator = flow.coordinator
    consultation = flow.consultation
    if step == "opened":
        server_clock.move(days=41)
        procurement.consultation_open_bids(consultation=consultation, user=coordinator)
    elif step == "analysis":
        procurement.consultation_start_analysis(consultation=consultation, user=coordinator)
        for bid in flow.bids:
            procurement.bid_decide(bid=bid, user=coordinator, decision="admit")
            procurement.bid_decide(
                bid=bid, user=coordinator, decision="mark_regular", reason="Conforme."
            )
        for key in ("M1", "M2"):
            evaluator = flow.world.user(key, Role.EVALUATEUR)
            seat = scoring.panel_name(lot=flow.lot, user=coordinator, evaluator=evaluator)
            scoring.declaration_sign(panel_member=seat, user=evaluator)
            for bid in flow.bids:
                score_all(flow.world, flow.lot, bid, key, MARKS[bid.bidder.name])
        consolidate_means(flow.world, flow.lot)
    else:
        # From the proposal on, the award matrix's finer steps.
        for finer in FINER_STEPS[step]:
            advance_award(flow, finer)


@pytest.fixture(scope="module")
def chain(module_world):
    with rolled_back():
        world = module_world.fresh()
        world.ours_in("in_force")
        consultation = build_consultation(world, "published", grid=example_grid())
        register = register_with(world)
        bids = [
            register(consultation, name, number, price=D(price))
            for number, (name, price) in enumerate(PRICES, start=1)
        ]
        flow = AwardFlow(world, Clock(), consultation.lots.get(), bids)
        chain = Chain(STATES, lambda step: advance(flow.fresh(module_world.fresh()), step))
        yield flow, chain
        chain.close()


@pytest.fixture(scope="module")
def built(request, chain):
    flow, chain = chain
    chain.reach(request.param)
    return request.param, flow


def change(flow, value):
    """The call that changes `value`, with the reason a correction gives."""
    user = flow.coordinator
    lot = Lot.objects.get(pk=flow.lot.pk)
    bid = Bid.objects.select_related("lot__consultation").get(pk=flow.bid("Alpha").pk)
    criterion = scored_criteria(lot.grid)[0]
    contract = Contract.objects.filter(lot=lot).first()
    sheet = ScoreSheet.objects.filter(bid=bid).first()
    calls = {
        "tender_document": lambda: procurement.document_add(
            consultation=lot.consultation,
            user=user,
            kind="other",
            title="Plan du parc",
            upload=_pdf(),
            reason="Plan ajouté.",
        ),
        "grid": lambda: scoring.grid_define(
            lot=lot, user=user, price_formula="linear", criteria=example_grid()
        ),
        "bid_price": lambda: procurement.bid_record_price(
            bid=bid, user=user, price=D("499000"), reason="Erreur de lecture de l'acte."
        ),
        "bid_decision": lambda: procurement.bid_decide(
            bid=bid, user=user, decision="mark_irregular", reason="Pièce manquante."
        ),
        "score_sheet": lambda: scoring.sheet_reopen(sheet=sheet, user=user, reason="Erreur."),
        "consolidated_score": lambda: scoring.consolidate(
            bid=bid, criterion=criterion, user=user, value=D(5), justification="Relecture."
        ),
    }
    if sheet is None:  # no sheet before the analysis
        del calls["score_sheet"]
    if contract is not None:
        calls["contract_terms"] = lambda: services.contract_update(
            contract=contract,
            user=user,
            terms=services.ContractTerms(
                amount=D("480000"),
                amount_kind="maximum",
                duration_months=24,
                price_form="Mixte",
                price_type="Définitif révisable",
                ccag="Prestations intellectuelles",
            ),
        )
        calls["contract_shares"] = lambda: services.contract_set_shares(
            contract=contract,
            user=user,
            shares={
                flow.world.orgs["COORD"]: D("50"),
                flow.world.orgs["M1"]: D("25"),
                flow.world.orgs["M2"]: D("25"),
            },
        )
    return calls.get(value)


def _pdf():
    return SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n% plan\n%%EOF\n")


def snapshot():
    """Every value of the matrix, and the journal."""
    return (
        list(TenderDocument.objects.order_by("pk").values_list("pk", "sha256")),
        list(Criterion.objects.order_by("pk").values_list("pk", "name", "weight")),
        list(Bid.objects.order_by("pk").values_list("price", "candidature", "offer")),
        list(ScoreSheet.objects.order_by("pk").values_list("pk", "state")),
        list(Consolidated.objects.order_by("pk").values_list("pk", "value")),
        list(Contract.objects.values_list("amount", "duration_months", "shares_overridden")),
        Entry.objects.count(),
    )


@each_state(STATES)
@pytest.mark.parametrize("value", list(WINDOWS))
def test_a_value_changes_in_its_window_only(world, built, value):
    state, chained = built
    flow = chained.fresh(world)
    run = change(flow, value)
    if run is None:
        # No sheet before the analysis, no contract before the letters: nothing to change.
        assert state in STATES[:5]
        assert value in {"score_sheet", "contract_terms", "contract_shares"}
        return
    case = Case(state, value, ("COORD", Role.GESTIONNAIRE), state in WINDOWS[value])
    check_case(case, run=run, snapshot=snapshot)
