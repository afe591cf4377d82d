"""Every exported file is opened again and its figures compared with the database."""

import io
from decimal import Decimal as D

import pandas as pd
import pytest

from groupement.models import Role
from journal.models import Entry
from scoring import exports
from scoring.ranking import evaluate
from tests.scoring.test_ranking import _consolidate_means, evaluated  # noqa: F401 (fixture)


@pytest.fixture
def consolidated(world, evaluated):  # noqa: F811
    lot, bids = evaluated
    _consolidate_means(world, lot)
    return lot


def test_the_xlsx_export_matches_the_database(world, consolidated):
    lot = consolidated
    content = exports.export_xlsx(lot, user=world.coordinator())
    book = pd.read_excel(io.BytesIO(content), sheet_name=None)
    assert list(book) == [
        "Synthèse",
        "Détail par critère",
        "Notes individuelles",
        "Prix",
        "Paramètres",
    ]
    synthesis = book["Synthèse"]
    evaluation = evaluate(lot)
    assert list(synthesis["Soumissionnaire"]) == [r.bid.bidder.name for r in evaluation.rows]
    assert [D(str(t)).quantize(D("0.01")) for t in synthesis["Total (/100)"]] == [
        r.total for r in evaluation.rows
    ]
    assert list(synthesis["Rang"]) == [1, 2, 3]
    assert [D(str(p)) for p in synthesis["Prix (€ HT)"]] == [r.bid.price for r in evaluation.rows]
    assert len(book["Notes individuelles"]) == 2 * 3 * 3  # evaluators × bids × criteria
    wide = pd.read_excel(
        io.BytesIO(content), sheet_name="Détail par critère", header=[0, 1, 2], index_col=0
    )
    charlie = wide.loc["Charlie"]
    assert charlie[("Valeur technique", "Moyens humains", "Note")] == 9
    assert charlie[("Prix", "Prix", "Note")] == 8.33
    parameters = dict(
        zip(book["Paramètres"]["Paramètre"], book["Paramètres"]["Valeur"], strict=True)
    )
    assert parameters["Empreinte de la grille (SHA-256)"] == lot.grid.content_hash
    assert "Linéaire" in parameters["Sensibilité du premier rang"]
    assert Entry.objects.filter(action="export de la grille (xlsx)").count() == 1


def test_the_csv_export_reads_back_in_a_french_spreadsheet(world, consolidated):
    content = exports.export_csv(consolidated, user=world.coordinator())
    assert content.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(frame["Total (/100)"]) == [87.33, 84.36, 82.00]
    assert "87,33" in content.decode("utf-8-sig")


def test_an_evaluators_csv_holds_his_own_scores_only(world, consolidated):
    evaluator = world.user("M1", Role.EVALUATEUR)
    content = exports.export_csv(consolidated, user=evaluator, visibility=exports.OWN)
    frame = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")
    assert set(frame["Évaluateur"]) == {str(evaluator)}
    assert len(frame) == 3 * 3  # bids × criteria
    assert "Total (/100)" not in frame.columns


def test_members_staff_get_no_individual_scores(world, consolidated):
    content = exports.export_xlsx(
        consolidated, user=world.coordinator(), visibility=exports.CONSOLIDATED
    )
    assert "Notes individuelles" not in pd.read_excel(io.BytesIO(content), sheet_name=None)


def test_an_evaluator_gets_only_their_own_scores(world, consolidated):
    from groupement.models import Role

    evaluator = world.user("M1", Role.EVALUATEUR)
    content = exports.export_xlsx(consolidated, user=evaluator, visibility=exports.OWN)
    book = pd.read_excel(io.BytesIO(content), sheet_name=None)
    assert "Synthèse" not in book
    assert set(book["Notes individuelles"]["Évaluateur"]) == {str(evaluator)}


def test_the_individual_scores_sheet_holds_every_score_of_every_sheet(world, consolidated):
    """Written row by row (no pandas frame): each row is one score, as the database has it."""
    from scoring.models import Score

    content = exports.export_xlsx(consolidated, user=world.coordinator())
    sheet = pd.read_excel(io.BytesIO(content), sheet_name="Notes individuelles")
    assert list(sheet.columns) == [
        "Évaluateur",
        "Soumissionnaire",
        "Critère",
        "Note",
        "Justification",
        "Fiche",
    ]
    written = {
        (row["Évaluateur"], row["Soumissionnaire"], row["Critère"], D(str(row["Note"])))
        for _, row in sheet.iterrows()
    }
    stored = {
        (str(s.sheet.panel_member.evaluator), s.sheet.bid.bidder.name, s.criterion.name, s.value)
        for s in Score.objects.filter(sheet__bid__lot=consolidated)
    }
    assert written == stored and len(sheet) == len(stored)
    assert set(sheet["Fiche"]) == {"Remise"}


def test_every_role_reads_the_same_sensitivity(world, consolidated):
    """What each role may see differs; the computed result does not."""

    def sensitivity(user, visibility):
        content = exports.export_xlsx(consolidated, user=user, visibility=visibility)
        parameters = pd.read_excel(io.BytesIO(content), sheet_name="Paramètres")
        values = dict(zip(parameters["Paramètre"], parameters["Valeur"], strict=True))
        return values["Sensibilité du premier rang"]

    coordinator = sensitivity(world.coordinator(), exports.FULL)
    assert "Linéaire" in coordinator
    assert sensitivity(world.user("M1", Role.EVALUATEUR), exports.OWN) == coordinator
    assert sensitivity(world.user("M1", Role.REFERENT), exports.CONSOLIDATED) == coordinator


def test_the_export_command_writes_the_same_figures(world, consolidated, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    output = tmp_path / "grille.csv"
    reference = consolidated.consultation.reference
    call_command("export_grid", reference, "--format", "csv", "--output", str(output))
    frame = pd.read_csv(output, sep=";", decimal=",", encoding="utf-8-sig")
    assert list(frame["Rang"]) == [1, 2, 3]
    with pytest.raises(CommandError):
        call_command(
            "export_grid",
            reference,
            "--lot",
            "9",
            "--format",
            "xlsx",
            "--output",
            str(tmp_path / "x.xlsx"),
        )


def test_the_pdf_report_shows_the_ranking_and_the_reasons(world, consolidated):
    from pypdf import PdfReader

    content = exports.export_pdf(consolidated, user=world.coordinator())
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Rapport d’analyse des offres" in text
    for name in ("Charlie", "Bravo", "Alpha"):
        assert name in text
    ranking = text[text.index("3. Classement") :]
    assert ranking.index("Charlie") < ranking.index("Bravo") < ranking.index("Alpha")
    assert "87,33" in text and "Linéaire" in text
    assert Entry.objects.filter(action="export de la grille (pdf)").count() == 1


def test_an_evaluator_gets_no_pdf_report(client, world, consolidated):
    from django.urls import reverse

    from groupement.models import Role

    client.force_login(world.user("M1", Role.EVALUATEUR))
    url = reverse("scoring:export", args=[consolidated.pk, "pdf"])
    assert client.get(url).status_code == 403
