import re
from decimal import Decimal

import pandas as pd
import pytest
from playwright.sync_api import expect

from groupement.models import Role
from journal.models import Entry
from procurement import services as procurement
from scoring import services as scoring
from scoring.models import Consolidated, Criterion, ScoreSheet
from tests.browser.helpers import expect_no_error
from tests.scoring.conftest import example_grid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory
PRICES = {"Alpha": Decimal("500000"), "Bravo": Decimal("550000")}
# The evaluator's scores out of 10, criterion by criterion: Bravo is dearer but better.
SCORES = {
    "Alpha": {
        "Méthodologie d'animation": "6",
        "Moyens humains": "5",
        "Réseau et partenariats": "7",
    },
    "Bravo": {
        "Méthodologie d'animation": "9",
        "Moyens humains": "8",
        "Réseau et partenariats": "8",
    },
}
# Expected ranking, by hand (proportional price formula, price on 40 points, technique on 60):
#   Alpha: price 10 × 500 000 / 500 000 = 10    → 40.00 points
#          technique 6/10 × 25 + 5/10 × 20 + 7/10 × 15 = 15 + 10 + 10.5 = 35.50 points
#          total 75.50
#   Bravo: price 10 × 500 000 / 550 000 = 9.0909… → 9.09 → 9.09/10 × 40 = 36.36 points
#          technique 9/10 × 25 + 8/10 × 20 + 8/10 × 15 = 22.5 + 16 + 12 = 50.50 points
#          total 86.86
# Bravo first, Alpha second.
RANKING = [
    # (bidder, rank, price points, technical points, total)
    ("Bravo", 1, 36.36, 50.50, 86.86),
    ("Alpha", 2, 40.00, 35.50, 75.50),
]


def test_an_evaluator_scores_two_bids_and_the_coordinator_exports_the_ranking(
    world, consultation_in, register_bid, clock, page_for, screenshot, tmp_path
):
    # Up to the scoring, the state is built through the services.
    world.ours_in("in_force")
    coordinator = world.coordinator()
    evaluator = world.user("M1", Role.EVALUATEUR)
    consultation = consultation_in("draft_with_documents")
    lot = consultation.lots.get()
    scoring.grid_define(
        lot=lot, user=coordinator, price_formula="proportional", criteria=example_grid()
    )
    procurement.consultation_submit_for_review(consultation=consultation, user=coordinator)
    for key in ("COORD", "M1", "M2"):
        procurement.consultation_review(
            consultation=consultation, user=world.user(key, Role.REFERENT), approve=True
        )
    procurement.consultation_publish(consultation=consultation, user=coordinator)
    bids = {
        name: register_bid(consultation, name, number, price=price)
        for number, (name, price) in enumerate(PRICES.items(), start=1)
    }
    clock.move(days=41)  # past the offers' deadline; browser sessions start after this
    procurement.consultation_open_bids(consultation=consultation, user=coordinator)
    procurement.consultation_start_analysis(consultation=consultation, user=coordinator)
    for bid in bids.values():
        procurement.bid_decide(bid=bid, user=coordinator, decision="admit")
        procurement.bid_decide(
            bid=bid, user=coordinator, decision="mark_regular", reason="Conforme."
        )
    scoring.panel_name(lot=lot, user=coordinator, evaluator=evaluator)
    criteria = {c.name: c for c in Criterion.objects.filter(grid__lot=lot)}

    def shot(page, name):
        screenshot(page, f"scoring-{name}")

    # The evaluator first declares no conflict of interest with the bidders.
    m1 = page_for(evaluator, PASSWORD)
    m1.goto("/evaluation/")
    shot(m1, "workspace-undeclared")
    expect(m1.locator("a[href$='/notation/']")).to_have_count(0)
    declaration_url = f"/lots/{lot.pk}/declaration/"
    m1.click(f"a[href$='{declaration_url}']")
    m1.wait_for_url(f"**{declaration_url}")
    for name in PRICES:
        expect(m1.locator("main")).to_contain_text(name)
    m1.check("input[name=confirm]")
    shot(m1, "declaration")
    m1.click("main form button[type=submit]")
    m1.wait_for_url("**/evaluation/")
    expect_no_error(m1)
    shot(m1, "workspace-declared")

    # Then scores each bid, a justification per criterion, and submits the sheet.
    for name, scores in SCORES.items():
        row = m1.locator("tr", has=m1.locator("th", has_text=name))
        row.locator("a[href$='/notation/']").click()
        m1.wait_for_url(f"**/lots/{lot.pk}/plis/{bids[name].pk}/notation/")
        expect(m1.locator("input[name^=score_]")).to_have_count(3)
        expect(m1.locator("textarea[name^=justification_]")).to_have_count(3)
        for criterion_name, value in scores.items():
            pk = criteria[criterion_name].pk
            m1.fill(f"input[name=score_{pk}]", value)
            m1.fill(
                f"textarea[name=justification_{pk}]",
                f"{criterion_name} : note {value}, argumentée au vu du mémoire de {name}.",
            )
        shot(m1, f"sheet-{name}")
        m1.click("button[name=action][value=submit]")
        # Back to the page of the list that holds this offer, at its panel.
        m1.wait_for_url(f"**/evaluation/?fiches{lot.pk}=1#fiches{lot.pk}")
        expect_no_error(m1)
        shot(m1, f"submitted-{name}")
    expect(m1.locator("main")).to_contain_text("2 fiches remises sur 2")
    assert ScoreSheet.objects.filter(bid__lot=lot, state="submitted").count() == 2

    # The coordinator consolidates each (bid, criterion): the proposal is the mean.
    coord = page_for(coordinator, PASSWORD)
    consolidation_url = f"/lots/{lot.pk}/consolidation/"
    coord.goto(consolidation_url)
    shot(coord, "consolidation")
    # The overview lists each offer; each is consolidated on its own page.
    expect(coord.locator("main a[href*='?offre=']")).to_have_count(len(SCORES))
    proposals = {
        (bids[name].pk, criteria[criterion_name].pk): f"{value},00"
        for name, scores in SCORES.items()
        for criterion_name, value in scores.items()
    }
    for name in SCORES:
        offer_url = f"{consolidation_url}?offre={bids[name].pk}"
        coord.goto(offer_url)
        forms = coord.locator("form[action*='/consolidation/']")
        expect(forms).to_have_count(3)
        for index in range(3):
            form = coord.locator("form[action*='/consolidation/']").nth(index)
            action = form.get_attribute("action")
            bid_pk, criterion_pk = map(int, re.search(r"/(\d+)/(\d+)/$", action).groups())
            expect(form.locator("input[name$='-value']")).to_have_value(
                proposals[(bid_pk, criterion_pk)]
            )
            with coord.expect_navigation(url=f"**{offer_url}"):
                form.locator("button[type=submit]").click()
            expect_no_error(coord)
            expect(coord.locator("main p.muted", has_text="consolidée")).to_have_count(index + 1)
    coord.goto(consolidation_url)
    shot(coord, "consolidated")
    assert Consolidated.objects.filter(bid__lot=lot).count() == 6

    # The ranking page, then the grid as a spreadsheet, reopened.
    ranking_url = f"/lots/{lot.pk}/classement/"
    coord.goto(ranking_url)
    shot(coord, "ranking")
    # Complete: no "provisional" warning, and the sensitivity is computed. Under the linear
    # formula Bravo, the dearest, would get 0 on price (50.50 points) and Alpha would lead.
    expect(coord.locator("main h2", has_text="Sensibilité")).to_be_visible()
    expect(coord.locator("main .blockers")).to_have_count(1)
    expect(coord.locator("main .blockers")).to_contain_text("Linéaire")
    body_rows = coord.locator("main table").first.locator("tbody tr")
    expect(body_rows).to_have_count(2)
    expect(body_rows.nth(0)).to_contain_text("Bravo")
    expect(body_rows.nth(1)).to_contain_text("Alpha")
    with coord.expect_download() as info:
        coord.click("a[href$='export.xlsx']")
    download = info.value
    assert download.suggested_filename == f"grille-{consultation.reference}-lot{lot.number}.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    synthesis = pd.read_excel(path, sheet_name="Synthèse")
    assert list(synthesis["Soumissionnaire"]) == [r[0] for r in RANKING]
    assert list(synthesis["Rang"]) == [r[1] for r in RANKING]
    assert [round(v, 2) for v in synthesis["Prix (/40)"]] == [r[2] for r in RANKING]
    assert [round(v, 2) for v in synthesis["Valeur technique (/60)"]] == [r[3] for r in RANKING]
    assert [round(v, 2) for v in synthesis["Total (/100)"]] == [r[4] for r in RANKING]
    assert [Decimal(str(p)) for p in synthesis["Prix (€ HT)"]] == [PRICES[r[0]] for r in RANKING]
    parameters = pd.read_excel(path, sheet_name="Paramètres")
    parameters = dict(zip(parameters["Paramètre"], parameters["Valeur"], strict=True))
    assert "Linéaire" in parameters["Sensibilité du premier rang"]

    assert ScoreSheet.objects.filter(bid__lot=lot, state="submitted").count() == 2
    assert Consolidated.objects.filter(bid__lot=lot).count() == 6
    assert Entry.objects.filter(action="export de la grille (xlsx)").count() == 1
