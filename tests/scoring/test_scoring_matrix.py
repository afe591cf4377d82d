"""The permission matrix of the evaluation: who may do each action, in the state it needs."""

from decimal import Decimal as D

import pytest

from groupement.models import Role
from journal.models import Entry
from scoring import services
from scoring.models import Consolidated, Grid, PanelMember, Score, ScoreSheet
from scoring.rules import scored_criteria
from tests.matrix import Case, check_case
from tests.scoring.conftest import example_grid

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


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(Case("", action, role, role == allowed), id=f"{action}-{role[0]}.{role[1]}")
        for action, allowed in ALLOWED.items()
        for role in ROLES
    ],
)
def test_evaluation_actions_follow_the_matrix(world, consultation_in, lot_in_analysis, case):
    user = world.user(*case.role)
    if case.action == "grid_define":
        lot = consultation_in("draft_with_documents").lots.get()

        def run():
            services.grid_define(
                lot=lot, user=user, price_formula="linear", criteria=example_grid()
            )
    else:
        declared = case.action not in ("panel_name", "declaration_sign")
        lot, bids, seats = lot_in_analysis(
            [("Alpha", "500000")], evaluators=("M1",) if declared else ()
        )
        coordinator = world.coordinator()
        if case.action == "declaration_sign":
            seat = services.panel_name(lot=lot, user=coordinator, evaluator=world.user(*SEATED))
        criterion = scored_criteria(lot.grid)[0]
        if case.action in ("sheet_submit", "sheet_reopen", "consolidate"):
            sheet = services.sheet_save(
                bid=bids[0],
                user=world.user(*SEATED),
                scores={c: (D(7), "Argumenté.") for c in scored_criteria(lot.grid)},
            )
        if case.action in ("sheet_reopen", "consolidate"):
            services.sheet_submit(sheet=sheet, user=world.user(*SEATED))
        runs = {
            "panel_name": lambda: services.panel_name(
                lot=lot, user=user, evaluator=world.user("M2", Role.EVALUATEUR)
            ),
            "declaration_sign": lambda: services.declaration_sign(panel_member=seat, user=user),
            "sheet_save": lambda: services.sheet_save(
                bid=bids[0], user=user, scores={criterion: (D(5), "Note.")}
            ),
            "sheet_submit": lambda: services.sheet_submit(sheet=sheet, user=user),
            "sheet_reopen": lambda: services.sheet_reopen(sheet=sheet, user=user, reason="Erreur."),
            "consolidate": lambda: services.consolidate(
                bid=bids[0], criterion=criterion, user=user, value=D(7)
            ),
        }
        run = runs[case.action]
    check_case(case, run=run, snapshot=_snapshot)


def test_the_matrix_names_every_evaluation_action():
    from scoring.models import ScoreSheet as Sheet

    assert {t.name for t in Sheet().get_all_state_transitions()} == {"submit", "reopen"}
    assert {"sheet_submit", "sheet_reopen"} <= set(ALLOWED)
