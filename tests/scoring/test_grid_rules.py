"""The criteria grid's rules, its content and hash, and what each evaluation refusal says, as
plain functions: no database, the objects they read stand in."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from scoring import rules
from scoring.rules import CriterionSpec as Spec

LEVELS = "0: absent\n5: correct\n10: excellent"


def valid_grid():
    return [
        Spec("Prix", D(40), is_price=True),
        Spec(
            "Valeur technique",
            D(60),
            children=[Spec("Méthode", D("25.5"), levels=LEVELS), Spec("Moyens", D("34.5"))],
        ),
    ]


# --- Weights, names and the price criterion --------------------------------------------------


def test_a_valid_grid_passes():
    assert rules.grid_errors(valid_grid()) == []


def test_a_grid_has_at_least_one_criterion():
    assert rules.grid_errors([]) == ["Une grille compte au moins un critère."]


@pytest.mark.parametrize(("price", "refused"), [("39.99", True), ("40", False), ("40.01", True)])
def test_the_top_level_weights_add_up_to_exactly_100(price, refused):
    grid = valid_grid()
    grid[0].weight = D(price)
    errors = rules.grid_errors(grid)
    total = f"{D(price) + 60:.2f}".replace(".", ",")
    assert errors == (
        [
            f"Les pondérations du premier niveau totalisent {total} points ; elles doivent "
            "totaliser 100."
        ]
        if refused
        else []
    )


@pytest.mark.parametrize(("method", "refused"), [("25.49", True), ("25.5", False), ("25.51", True)])
def test_sub_criteria_add_up_to_their_parents_weight(method, refused):
    grid = valid_grid()
    grid[1].children[0].weight = D(method)
    sub = f"{D(method) + D('34.5'):.2f}".replace(".", ",")
    assert rules.grid_errors(grid)[-1:] == (
        [
            f"Les sous-critères de Valeur technique totalisent {sub} points ; ils doivent "
            "totaliser ses 60,00 points."
        ]
        if refused
        else []
    )


@pytest.mark.parametrize(("weight", "refused"), [("-1", True), ("0", True), ("0.01", False)])
def test_every_weight_is_greater_than_zero(weight, refused):
    grid = valid_grid()
    grid[1].children = [Spec("Méthode", D(weight)), Spec("Moyens", D(60) - D(weight))]
    errors = rules.grid_errors(grid)
    assert errors == (["Méthode : une pondération est supérieure à 0."] if refused else [])


def test_every_criterion_is_named_even_a_sub_criterion():
    grid = valid_grid()
    grid[1].children[1].name = " "
    assert rules.grid_errors(grid) == ["Chaque critère a un nom."]


def test_a_grid_has_exactly_one_price_criterion_without_sub_criteria():
    one_price = "Une grille compte exactement un critère prix, noté par la formule de prix."
    grid = valid_grid()
    grid[0].is_price = False
    assert rules.grid_errors(grid) == [one_price]
    grid = valid_grid()
    grid[1].children[1].is_price = True
    assert rules.grid_errors(grid) == [one_price]
    grid = valid_grid()
    grid[1].is_price = True
    grid[0].is_price = False
    assert rules.grid_errors(grid) == ["Le critère prix n’a pas de sous-critère."]


def test_badly_written_levels_are_said_with_the_criterion():
    grid = valid_grid()
    grid[1].children[1].levels = "11: trop"
    assert rules.grid_errors(grid) == ["Moyens : Le niveau 11,00 est hors de l’échelle 0 à 10,00."]


# --- Levels ----------------------------------------------------------------------------------


def test_levels_are_read_one_per_line_blank_lines_aside():
    levels = rules.parse_levels(" 0 : absent \n\n  \n2,5: partiel\n10: complet", D(10))
    assert levels == [(D(0), "absent"), (D("2.5"), "partiel"), (D(10), "complet")]


@pytest.mark.parametrize("line", ["5 bien", "5:", "a: b", ": rien"])
def test_a_level_is_written_score_colon_description(line):
    with pytest.raises(ValueError) as error:
        rules.parse_levels(f"0: absent\n{line} ", D(10))
    assert str(error.value) == (
        f"Écrivez chaque niveau ainsi : « note : description » ({line.strip()})."
    )


@pytest.mark.parametrize(
    ("value", "refused"),
    [("-0.01", True), ("0", False), ("0.01", False), ("20", False), ("20.01", True)],
)
def test_a_level_stays_on_the_scale(value, refused):
    text = f"{value}: niveau"
    if not refused:
        assert rules.parse_levels(text, D(20)) == [(D(value), "niveau")]
        return
    with pytest.raises(ValueError) as error:
        rules.parse_levels(text, D(20))
    shown = f"{D(value):.2f}".replace(".", ",")
    assert str(error.value) == f"Le niveau {shown} est hors de l’échelle 0 à 20,00."


# --- The grid's content and hash -------------------------------------------------------------


def criterion(pk, name, weight, *, parent_id=None, is_price=False, levels=""):
    return SimpleNamespace(
        pk=pk,
        parent_id=parent_id,
        name=name,
        weight=D(weight),
        is_price=is_price,
        scale_max=D(10),
        levels=levels,
    )


CRITERIA = [
    criterion(1, "Prix", "40", is_price=True),
    criterion(2, "Valeur technique", "60"),
    criterion(3, "Méthode", "35", parent_id=2, levels="0: absent"),
    criterion(4, "Moyens", "25", parent_id=2),
]
GRID = SimpleNamespace(
    lot=SimpleNamespace(number=2),
    price_formula="proportional",
    criteria=SimpleNamespace(order_by=lambda *_: list(CRITERIA), all=lambda: list(CRITERIA)),
)


def test_the_grid_content_is_its_tree_of_criteria():
    def leaf(name, weight, levels=""):
        return {
            "name": name,
            "weight": weight,
            "is_price": False,
            "scale_max": "10",
            "levels": levels,
            "children": [],
        }

    assert rules.grid_content(GRID) == {
        "lot": 2,
        "price_formula": "proportional",
        "criteria": [
            {**leaf("Prix", "40"), "is_price": True},
            {
                **leaf("Valeur technique", "60"),
                "children": [leaf("Méthode", "35", "0: absent"), leaf("Moyens", "25")],
            },
        ],
    }


def test_the_grid_hash_stays_the_same_from_one_version_to_the_next():
    # A frozen grid's hash is kept and shown to the candidates: the same content gives the
    # same hash, written out in UTF-8 (not escaped), keys sorted.
    assert rules.grid_hash(GRID) == (
        "aefc7fdad02a8c0819eefe574a42cdb02fdbd2229495d04c3c881dac38e31764"
    )


def test_evaluators_score_the_leaves_the_price_aside():
    assert [c.name for c in rules.scored_criteria(GRID)] == ["Méthode", "Moyens"]


def test_a_sheet_is_submitted_with_every_criterion_scored_and_justified():
    scores = SimpleNamespace(
        all=lambda: [SimpleNamespace(criterion_id=3, justification=" ")],
    )
    sheet = SimpleNamespace(scores=scores, bid=SimpleNamespace(lot=SimpleNamespace(grid=GRID)))
    assert rules.sheet_errors(sheet) == [
        "Méthode : la note doit être justifiée par écrit.",
        "Moyens : pas encore de note.",
    ]
    scores.all = lambda: [
        SimpleNamespace(criterion_id=3, justification="Claire"),
        SimpleNamespace(criterion_id=4, justification="Solide"),
    ]
    assert rules.sheet_errors(sheet) == []


# --- What each refusal says ------------------------------------------------------------------


ANALYSIS = SimpleNamespace(state="analysis")


@pytest.mark.parametrize(
    ("refusal", "message"),
    [
        (
            lambda: rules.nomination_errors("Anne", eligible=False),
            "Anne n’est pas évaluateur d’un membre du groupement.",
        ),
        (
            lambda: rules.seat_errors("Anne", already_seated=True),
            "Anne siège déjà dans ce comité.",
        ),
        (lambda: rules.reopen_reason_errors(" "), "Indiquez pourquoi la fiche est rouverte."),
        (
            lambda: rules.grid_edit_errors(
                SimpleNamespace(frozen_at=1, content_hash="abcdef0123456789"), None
            ),
            "La grille est figée depuis la publication (empreinte abcdef012345…) : les critères "
            "et pondérations annoncés aux candidats ne changent plus.",
        ),
        (
            lambda: rules.grid_edit_errors(SimpleNamespace(frozen_at=None), ANALYSIS),
            "La grille se modifie tant que la consultation est en brouillon.",
        ),
        (
            lambda: rules.declaration_errors(SimpleNamespace(declared_at=1)),
            "La déclaration est déjà signée.",
        ),
        (
            lambda: rules.declaration_errors(
                SimpleNamespace(declared_at=None, lot=SimpleNamespace(consultation=ANALYSIS))
            ),
            "La déclaration nomme les soumissionnaires : elle se signe après l’ouverture des plis.",
        ),
        (
            lambda: rules.sheet_edit_errors(SimpleNamespace(state="submitted")),
            "Une fiche remise ne change plus ; le coordonnateur peut la rouvrir.",
        ),
        (
            lambda: rules.evaluation_window_errors(SimpleNamespace(state="award_proposed")),
            "L’évaluation ne change que pendant l’analyse ; une fois l’attribution proposée, ce "
            "qui l’a fondée ne change plus.",
        ),
        (
            lambda: rules.scoring_errors(SimpleNamespace(declared_at=None), None),
            "Signez la déclaration d’absence de conflit d’intérêts avant de noter.",
        ),
        (
            lambda: rules.scoring_errors(
                SimpleNamespace(declared_at=1),
                SimpleNamespace(lot=SimpleNamespace(consultation=SimpleNamespace(state="opened"))),
            ),
            "Les offres se notent pendant l’analyse.",
        ),
        (
            lambda: rules.scoring_errors(
                SimpleNamespace(declared_at=1),
                SimpleNamespace(
                    late=True, bidder="Alpha", lot=SimpleNamespace(consultation=ANALYSIS)
                ),
            ),
            "Seules les offres régulières de candidats admis sont notées (ce n’est pas le cas "
            "de Alpha).",
        ),
    ],
)
def test_each_evaluation_refusal_says_its_rule_in_french(refusal, message):
    assert refusal() == [message]


def test_an_eligible_new_evaluator_and_a_stated_reason_pass():
    assert rules.nomination_errors("Anne", eligible=True) == []
    assert rules.seat_errors("Anne", already_seated=False) == []
    assert rules.reopen_reason_errors("Erreur de saisie") == []
