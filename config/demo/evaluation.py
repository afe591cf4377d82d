"""The demo's evaluation of the PMA operator consultation: its grid, three evaluators (one per
agglomeration) whose sheets are submitted, and the consolidation done."""

from decimal import Decimal

from config.demo.replay import at
from core.formats import format_number
from groupement.models import Role
from scoring import services
from scoring.ranking import evaluate
from scoring.rules import CriterionSpec, scored_criteria

LEVELS = "0: absent\n4: insuffisant\n7: satisfaisant\n10: remarquable"
EVALUATORS = ("CABBALR", "CALL", "CAHC")

# Scores per bidder (in the order of the operators) and evaluator, per scored criterion.
MARKS = [
    {"CABBALR": (8, 7, 7), "CALL": (7, 7, 6), "CAHC": (8, 6, 7)},
    {"CABBALR": (6, 6, 8), "CALL": (7, 5, 8), "CAHC": (5, 6, 9)},
    {"CABBALR": (9, 8, 6), "CALL": (9, 9, 7), "CAHC": (8, 8, 6)},
]


def define_grid(lot, coordinator):
    services.grid_define(
        lot=lot,
        user=coordinator,
        price_formula="proportional",
        criteria=[
            CriterionSpec("Prix", Decimal(40), is_price=True),
            CriterionSpec(
                "Valeur technique",
                Decimal(60),
                children=[
                    CriterionSpec("Méthodologie d'animation", Decimal(25), levels=LEVELS),
                    CriterionSpec("Moyens humains", Decimal(20), levels=LEVELS),
                    CriterionSpec("Réseau et partenariats", Decimal(15), levels=LEVELS),
                ],
            ),
        ],
    )


def _justification(criterion, mean) -> str:
    """What the committee writes under a consolidated score: the mean and what it says."""
    level = (
        "remarquable"
        if mean >= 8
        else "solide"
        if mean >= 6.5
        else "satisfaisante"
        if mean >= 5
        else "insuffisante"
    )
    return (
        f"Moyenne des trois évaluateurs, {format_number(mean)} sur "
        f"{criterion.scale_max.normalize():f} : proposition {level} sur « {criterion.name} »."
    )


def evaluate_bids(lot, bids, people):
    coordinator = people[("PMA", Role.GESTIONNAIRE)]
    with at(2022, 1, 27, 16):
        seats = {
            short: services.panel_name(
                lot=lot, user=coordinator, evaluator=people[(short, Role.EVALUATEUR)]
            )
            for short in EVALUATORS
        }
    with at(2022, 1, 28, 9):
        for short, seat in seats.items():
            services.declaration_sign(panel_member=seat, user=people[(short, Role.EVALUATEUR)])
    criteria = scored_criteria(lot.grid)
    for day, short in zip((31, 31, 1), EVALUATORS, strict=True):
        month = 1 if day == 31 else 2
        with at(2022, month, day, 15):
            evaluator = people[(short, Role.EVALUATEUR)]
            for bid, marks in zip(bids, MARKS, strict=True):
                sheet = services.sheet_save(
                    bid=bid,
                    user=evaluator,
                    scores={
                        c: (Decimal(v), f"Appréciation de {short} sur « {c.name} ».")
                        for c, v in zip(criteria, marks[short], strict=True)
                    },
                )
                services.sheet_submit(sheet=sheet, user=evaluator)
    with at(2022, 2, 3, 10):
        evaluation = evaluate(lot)
        for bid in bids:
            for criterion in criteria:
                mean = evaluation.means[(bid.pk, criterion.pk)][0]
                services.consolidate(
                    bid=bid,
                    criterion=criterion,
                    user=coordinator,
                    value=mean,
                    justification=_justification(criterion, mean),
                )
