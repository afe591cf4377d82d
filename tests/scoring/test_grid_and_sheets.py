from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from core.workflow import BusinessRuleError
from groupement.models import Role
from journal.models import Entry
from procurement import services as procurement
from procurement.models import ConsultationState
from scoring import services
from scoring.models import Grid, Score, ScoreSheet
from scoring.rules import CriterionSpec, grid_hash, scored_criteria

LEVELS = "0: absent\n5: correct\n10: excellent"


def example_grid():
    return [
        CriterionSpec("Prix", D(40), is_price=True),
        CriterionSpec(
            "Valeur technique",
            D(60),
            children=[
                CriterionSpec("Méthodologie d’animation", D(25), levels=LEVELS),
                CriterionSpec("Moyens humains", D(20), levels=LEVELS),
                CriterionSpec("Réseau et partenariats", D(15), levels=LEVELS),
            ],
        ),
    ]


@pytest.fixture
def draft(world, consultation_in):
    consultation = consultation_in("draft_with_documents")
    services.grid_define(
        lot=consultation.lots.get(),
        user=world.coordinator(),
        price_formula="proportional",
        criteria=example_grid(),
    )
    return consultation


@pytest.fixture
def scoring(world, draft, register_bid, clock):
    """In analysis: three admitted regular bids and one irregular; M1's evaluator named and
    declared."""
    coordinator = world.coordinator()
    procurement.consultation_submit_for_review(consultation=draft, user=coordinator)
    for key in ("COORD", "M1", "M2"):
        procurement.consultation_review(
            consultation=draft, user=world.user(key, Role.REFERENT), approve=True
        )
    procurement.consultation_publish(consultation=draft, user=coordinator)
    bids = [
        register_bid(draft, f"Opérateur {i}", i, price=D(500000 + i * 10000)) for i in range(1, 5)
    ]
    clock.move(days=41)
    procurement.consultation_open_bids(consultation=draft, user=coordinator)
    procurement.consultation_start_analysis(consultation=draft, user=coordinator)
    for bid in bids:
        procurement.bid_decide(bid=bid, user=coordinator, decision="admit")
    for bid in bids[:3]:
        procurement.bid_decide(bid=bid, user=coordinator, decision="mark_regular", reason="OK")
    procurement.bid_decide(
        bid=bids[3],
        user=coordinator,
        decision="mark_irregular",
        reason="Acte d’engagement non signé.",
    )
    lot = draft.lots.get()
    member = services.panel_name(
        lot=lot, user=coordinator, evaluator=world.user("M1", Role.EVALUATEUR)
    )
    return {"lot": lot, "bids": bids, "member": member, "consultation": draft}


def _scores(lot, value=D(7), justification="Argumenté."):
    return {c: (value, justification) for c in scored_criteria(lot.grid)}


@pytest.mark.parametrize(
    ("grid", "expected"),
    [
        (
            [CriterionSpec("Prix", D(40), is_price=True), CriterionSpec("Technique", D(50))],
            "totalisent 90,00 points",
        ),
        (
            [
                CriterionSpec("Prix", D(40), is_price=True),
                CriterionSpec(
                    "Technique",
                    D(60),
                    children=[CriterionSpec("A", D(30)), CriterionSpec("B", D(20))],
                ),
            ],
            "sous-critères de Technique totalisent 50,00 points",
        ),
        ([CriterionSpec("Technique", D(100))], "exactement un critère prix"),
        (
            [
                CriterionSpec("Prix", D(40), is_price=True),
                CriterionSpec("Technique", D(60), levels="12: parfait"),
            ],
            "hors de l’échelle",
        ),
    ],
    ids=["top-not-100", "children-not-parent", "no-price", "level-outside-scale"],
)
def test_a_bad_grid_is_refused_with_the_rule(world, consultation_in, grid, expected):
    consultation = consultation_in(ConsultationState.DRAFT)
    with pytest.raises(BusinessRuleError) as refusal:
        services.grid_define(
            lot=consultation.lots.get(),
            user=world.coordinator(),
            price_formula="proportional",
            criteria=grid,
        )
    assert expected in " ".join(refusal.value.messages)
    assert not Grid.objects.exists()


def test_the_grid_is_frozen_at_publication_with_its_hash(world, scoring):
    grid = Grid.objects.get(lot=scoring["lot"])
    assert grid.frozen_at is not None
    assert grid.content_hash == grid_hash(grid)
    with pytest.raises(BusinessRuleError) as refusal:
        services.grid_define(
            lot=scoring["lot"],
            user=world.coordinator(),
            price_formula="linear",
            criteria=example_grid(),
        )
    assert "figée" in refusal.value.messages[0]
    assert Grid.objects.get(pk=grid.pk).price_formula == "proportional"


def test_only_the_coordinator_defines_a_grid(world, consultation_in):
    consultation = consultation_in(ConsultationState.DRAFT)
    with pytest.raises(PermissionDenied):
        services.grid_define(
            lot=consultation.lots.get(),
            user=world.user("M1", Role.REFERENT),
            price_formula="proportional",
            criteria=example_grid(),
        )


def test_scoring_waits_for_the_declaration(world, scoring):
    evaluator = world.user("M1", Role.EVALUATEUR)
    with pytest.raises(BusinessRuleError) as refusal:
        services.sheet_save(bid=scoring["bids"][0], user=evaluator, scores=_scores(scoring["lot"]))
    assert "déclaration" in refusal.value.messages[0]
    assert not ScoreSheet.objects.exists()


def test_the_declaration_names_the_bidders(world, scoring):
    member = services.declaration_sign(
        panel_member=scoring["member"], user=world.user("M1", Role.EVALUATEUR)
    )
    assert member.declared_bidders.count("Opérateur") == 4
    with pytest.raises(PermissionDenied):
        services.declaration_sign(
            panel_member=scoring["member"], user=world.user("M2", Role.EVALUATEUR)
        )


def test_an_evaluator_scores_then_submits(world, scoring):
    evaluator = world.user("M1", Role.EVALUATEUR)
    services.declaration_sign(panel_member=scoring["member"], user=evaluator)
    lot, bid = scoring["lot"], scoring["bids"][0]
    sheet = services.sheet_save(bid=bid, user=evaluator, scores=_scores(lot, justification=""))
    with pytest.raises(BusinessRuleError) as refusal:
        services.sheet_submit(sheet=sheet, user=evaluator)
    assert "justifiée par écrit" in " ".join(refusal.value.messages)
    services.sheet_save(bid=bid, user=evaluator, scores=_scores(lot))
    services.sheet_submit(sheet=sheet, user=evaluator)
    sheet.refresh_from_db()
    assert sheet.state == "submitted"
    assert Score.objects.filter(sheet=sheet).count() == 3
    assert Entry.objects.filter(action="fiche de notation remise").count() == 1


def test_a_score_outside_the_scale_is_refused(world, scoring):
    evaluator = world.user("M1", Role.EVALUATEUR)
    services.declaration_sign(panel_member=scoring["member"], user=evaluator)
    with pytest.raises(BusinessRuleError) as refusal:
        services.sheet_save(
            bid=scoring["bids"][0], user=evaluator, scores=_scores(scoring["lot"], value=D("10.5"))
        )
    assert "hors de l’échelle" in refusal.value.messages[0]
    assert not Score.objects.exists()


def test_an_irregular_offer_is_not_scored(world, scoring):
    evaluator = world.user("M1", Role.EVALUATEUR)
    services.declaration_sign(panel_member=scoring["member"], user=evaluator)
    with pytest.raises(BusinessRuleError) as refusal:
        services.sheet_save(bid=scoring["bids"][3], user=evaluator, scores=_scores(scoring["lot"]))
    assert "régulières" in refusal.value.messages[0]
    assert not ScoreSheet.objects.exists()


def test_a_submitted_sheet_changes_only_after_the_coordinator_reopens_it(world, scoring):
    evaluator = world.user("M1", Role.EVALUATEUR)
    services.declaration_sign(panel_member=scoring["member"], user=evaluator)
    lot, bid = scoring["lot"], scoring["bids"][0]
    sheet = services.sheet_save(bid=bid, user=evaluator, scores=_scores(lot))
    services.sheet_submit(sheet=sheet, user=evaluator)
    with pytest.raises(BusinessRuleError):
        services.sheet_save(bid=bid, user=evaluator, scores=_scores(lot, value=D(9)))
    assert set(Score.objects.values_list("value", flat=True)) == {D("7.00")}
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(sheet=sheet, user=evaluator, reason="Je veux changer.")
    services.sheet_reopen(sheet=sheet, user=world.coordinator(), reason="Erreur de saisie.")
    services.sheet_save(bid=bid, user=evaluator, scores=_scores(lot, value=D(9)))
    assert set(Score.objects.values_list("value", flat=True)) == {D("9.00")}


def test_only_evaluators_of_members_sit_on_the_panel(world, scoring):
    with pytest.raises(BusinessRuleError):
        services.panel_name(
            lot=scoring["lot"],
            user=world.coordinator(),
            evaluator=world.user("OUT1", Role.EVALUATEUR),
        )
    with pytest.raises(BusinessRuleError):
        services.panel_name(
            lot=scoring["lot"], user=world.coordinator(), evaluator=world.user("M2", Role.LECTEUR)
        )


def test_a_declared_evaluator_reads_the_bids_of_the_lot(client, world, scoring):
    from django.urls import reverse

    evaluator = world.user("M1", Role.EVALUATEUR)
    url = reverse("procurement:bid_document", args=[scoring["bids"][0].documents.get().pk])
    client.force_login(evaluator)
    assert client.get(url).status_code == 403
    services.declaration_sign(panel_member=scoring["member"], user=evaluator)
    assert client.get(url).status_code == 200
