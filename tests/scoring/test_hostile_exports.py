"""Names and justifications typed by people, or imported from another platform's register, are
text in every export: never a formula in a spreadsheet, never markup in a PDF."""

import io

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from core.spreadsheets import neutralise
from scoring import exports
from tests.scoring.conftest import score_all
from tests.scoring.test_ranking import _consolidate_means

HOSTILE = [
    ('=HYPERLINK("http://pirate.invalid","clic")', "500000"),
    ("Atelier <Nord> SARL", "550000"),
    ("@SUM(1+1)<b>", "600000"),
    ("+33 Conseil", "610000"),
    ("-2+3 Études", "620000"),
]


@pytest.fixture
def hostile_lot(world, lot_in_analysis):
    lot, bids, _seats = lot_in_analysis(HOSTILE)
    for bid in bids:
        for key in ("M1", "M2"):
            score_all(world, lot, bid, key, (7, 7, 7), justification="=1+1 selon le CCTP")
    _consolidate_means(world, lot)
    return lot


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Alpha", "Alpha"),
        ("a=b", "a=b"),
        (-1.5, -1.5),
        (3, 3),
        (None, None),
    ],
)
def test_only_text_that_starts_like_a_formula_is_neutralised(value, written):
    assert neutralise(value) == written


def test_no_cell_of_the_xlsx_is_a_formula(world, hostile_lot):
    content = exports.export_xlsx(hostile_lot, user=world.coordinator())
    book = openpyxl.load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert "'" + HOSTILE[0][0] in texts
    assert "Atelier <Nord> SARL" in texts
    assert "'=1+1 selon le CCTP" in texts
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    # The figures stay numbers.
    synthesis = pd.read_excel(io.BytesIO(content), sheet_name="Synthèse")
    assert synthesis["Total (/100)"].dtype.kind == "f"


def test_no_cell_of_the_csv_starts_like_a_formula(world, hostile_lot):
    content = exports.export_csv(hostile_lot, user=world.coordinator())
    frame = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")
    names = list(frame["Soumissionnaire"])
    assert "'" + HOSTILE[0][0] in names and "'+33 Conseil" in names and "'-2+3 Études" in names
    for column in frame.columns:
        for value in frame[column]:
            assert not (isinstance(value, str) and value.startswith(("=", "+", "-", "@")))
    assert frame["Total (/100)"].dtype.kind == "f"


def test_the_pdf_report_draws_names_as_they_are_written(world, hostile_lot):
    content = exports.export_pdf(hostile_lot, user=world.coordinator())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Atelier <Nord> SARL" in text
    assert "@SUM(1+1)<b>" in text
