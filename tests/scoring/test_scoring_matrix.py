"""The permission matrix of the evaluation: who may do each action, in the state it needs."""

from decimal import Decimal as D

import pytest

from groupement.models import Role
from journal.models import Entry
from procurement.models import Bid, Lot
from scoring import services
from scoring.models import Consolidated, Grid, PanelMember, Score, ScoreSheet
from scoring.rules import scored_criteria
from tests.conftest import rolled_back
from tests.fixtures_procurement import build_consultation
from tests.matrix import Case, check_case, each_state
from tests.scoring.conftest import build_lot_in_analysis, example_grid

MANAGER = ("COORD", Role.GESTIONNAIRE)
SEATED = ("M1", Role.EVALUATEUR)
ROLES = [
    MANAGER,
    SEATED,
    ("M2", Role.EVALUATEUR),
    ("M1", Role.REFERENT),
    ("M1", Role.GESTIONNAIRE),
    ("COORD", Role.LECTEUR),
    ("M2", Role.MEMBRE_CAO),
    ("OUT1", Role.GESTIONNAIRE),
    ("OUT1", Role.EVALUATEUR),
]
ALLOWED = {
    "grid_define": MANAGER,
    "panel_name": MANAGER,
    "declaration_sign": SEATED,
    "sheet_save": SEATED,
    "sheet_submit": SEATED,
    "sheet_reopen": MANAGER,
    "consolidate": MANAGER,
}


def _snapshot():
    return (
        Grid.objects.count(),
        list(PanelMember.objects.values_list("pk", "declared_at")),
        list(ScoreSheet.objects.values_list("pk", "state")),
        Score.objects.count(),
        Consolidated.objects.count(),
        Entry.objects.count(),
    )


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture(scope="module")
def prepared(request, module_world):
    """The state the action `request.param` starts from, built once for every role."""
    action = request.param
    with rolled_back():
        world = module_world.fresh()
        seated = world.user(*SEATED)
        if action == "grid_define":
            world.ours_in("in_force")
            lot = build_consultation(world, "draft_with_documents").lots.get()
            yield action, {"lot": lot.pk}
            return
        declared = action not in ("panel_name", "declaration_sign")
        lot, bids, _seats = build_lot_in_analysis(
            world, [("Alpha", "500000")], evaluators=("M1",) if declared else ()
        )
        handles = {"lot": lot.pk, "bid": bids[0].pk}
        if action == "declaration_sign":
            seat = services.panel_name(lot=lot, user=world.coordinator(), evaluator=seated)
            handles["seat"] = seat.pk
        if action in ("sheet_submit", "sheet_reopen", "consolidate"):
            sheet = services.sheet_save(
                bid=bids[0],
                user=seated,
                scores={c: (D(7), "Argumenté.") for c in scored_criteria(lot.grid)},
            )
            handles["sheet"] = sheet.pk
        if action in ("sheet_reopen", "consolidate"):
            services.sheet_submit(sheet=sheet, user=seated)
        yield action, handles


def _runner(world, action, user, handles):
    if action == "grid_define":
        lot = Lot.objects.get(pk=handles["lot"])
        return lambda: services.grid_define(
            lot=lot, user=user, price_formula="linear", criteria=example_grid()
        )
    bid = Bid.objects.get(pk=handles["bid"])
    criterion = scored_criteria(Grid.objects.get(lot=handles["lot"]))[0]
    sheet = ScoreSheet.objects.filter(pk=handles.get("sheet")).first()
    runs = {
        "panel_name": lambda: services.panel_name(
            lot=bid.lot, user=user, evaluator=world.user("M2", Role.EVALUATEUR)
        ),
        "declaration_sign": lambda: services.declaration_sign(
            panel_member=PanelMember.objects.get(pk=handles.get("seat")), user=user
        ),
        "sheet_save": lambda: services.sheet_save(
            bid=bid, user=user, scores={criterion: (D(5), "Note.")}
        ),
        "sheet_submit": lambda: services.sheet_submit(sheet=sheet, user=user),
        "sheet_reopen": lambda: services.sheet_reopen(sheet=sheet, user=user, reason="Erreur."),
        "consolidate": lambda: services.consolidate(
            bid=bid, criterion=criterion, user=user, value=D(7)
        ),
    }
    return runs[action]


@each_state(list(ALLOWED), "prepared")
@pytest.mark.parametrize("role", ROLES, ids=[f"{o}.{r}" for o, r in ROLES])
def test_evaluation_actions_follow_the_matrix(world, prepared, role):
    action, handles = prepared
    case = Case("", action, role, role == ALLOWED[action])
    run = _runner(world, action, world.user(*role), handles)
    check_case(case, run=run, snapshot=_snapshot)


def test_the_matrix_names_every_evaluation_action():
    from scoring.models import ScoreSheet as Sheet

    assert {t.name for t in Sheet().get_all_state_transitions()} == {"submit", "reopen"}
    assert {"sheet_submit", "sheet_reopen"} <= set(ALLOWED)
