"""The evaluation grid as a spreadsheet (xlsx), a French CSV and a PDF report.

Built from one evaluation of the lot (a fixed number of queries), through the tables of
scoring.tables; each export shows only what its reader may see, and is journaled.
"""

import io
from dataclasses import dataclass

import pandas as pd
from django.utils import translation

from core import clock
from core.spreadsheets import neutralise
from journal.services import journal_record
from scoring.models import Grid
from scoring.ranking import evaluate, individual_scores
from scoring.report import render_report
from scoring.tables import detail, parameters, prices, synthesis

FULL = "full"  # the coordinator: everything, individual sheets included
CONSOLIDATED = "consolidated"  # members' staff: consolidated scores, no individual sheet
OWN = "own"  # an evaluator: their own sheets only


LONG_SHEET = "Notes individuelles"
INDIVIDUAL_COLUMNS = ("Évaluateur", "Soumissionnaire", "Critère", "Note", "Justification", "Fiche")


@dataclass
class Rows:
    """A sheet of tens of thousands of rows (every evaluator's every score), written by
    xlsxwriter row by row: a pandas frame of it would cost more than the writing itself."""

    columns: list
    rows: list  # tuples, each cell neutralised


def _individual_rows(evaluation, *, only_for=None) -> Rows:
    names = {c.pk: neutralise(c.name) for c in evaluation.criteria}
    people: dict = {}  # each name neutralised once, not once per score

    def safe(text):
        if text not in people:
            people[text] = neutralise(text)
        return people[text]

    return Rows(
        list(INDIVIDUAL_COLUMNS),
        [
            (safe(evaluator), safe(bidder), names[criterion], float(value), neutralise(text), state)
            for evaluator, bidder, criterion, value, text, state in individual_scores(
                evaluation.lot, only_for=only_for
            )
        ],
    )


def _sheets(lot, *, user, visibility) -> dict:
    """The sheets of the workbook in order, each a frame, or Rows for the long one. The
    sensitivity is the same in every role's workbook: what a role may see differs, the
    computed result does not."""
    evaluation = evaluate(lot)
    at = clock.now()
    changes = evaluation.changes
    sheets: dict = {}
    if visibility != OWN:
        sheets["Synthèse"] = _safe(_synthesis(evaluation))
        sheets["Détail par critère"] = _safe(detail(evaluation))
    if visibility in (FULL, OWN):
        only_for = user if visibility == OWN else None
        sheets[LONG_SHEET] = _individual_rows(evaluation, only_for=only_for)
    if visibility != OWN:
        sheets["Prix"] = _safe(prices(evaluation))
    sheets["Paramètres"] = _safe(
        parameters(evaluation, user=user, at=at, sensitivity_changes=changes)
    )
    return sheets


def _synthesis(evaluation) -> pd.DataFrame:
    frame = synthesis(evaluation)
    # A spreadsheet travels alone: each row says whether the ranking may still move.
    frame["Classement"] = "définitif" if evaluation.final else "provisoire"
    return frame


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell, row label and column label neutralised (core.spreadsheets)."""
    safe = frame.map(neutralise)
    if isinstance(frame.columns, pd.MultiIndex):
        safe.columns = pd.MultiIndex.from_tuples(
            [tuple(neutralise(part) for part in key) for key in frame.columns]
        )
    else:
        safe.columns = [neutralise(c) for c in frame.columns]
    safe.index = safe.index.map(neutralise)
    return safe


def _format_wide(writer, name, frame, score):
    """The merged headers are pandas' own; widths, number format and colours are ours."""
    sheet = writer.sheets[name]
    sheet.set_column(0, 0, 28)
    for col, key in enumerate(frame.columns, start=1):
        is_score = key[-1] == "Note"
        sheet.set_column(col, col, 10 if is_score else 40, score if is_score else None)
        if is_score and len(frame):
            first = frame.columns.nlevels + 1
            sheet.conditional_format(
                first, col, first + len(frame) - 1, col, {"type": "3_color_scale"}
            )
    sheet.freeze_panes(frame.columns.nlevels + 1, 1)


def _write_rows(book, name, table: Rows, header, score):
    """The long sheet, as the frames are formatted: header, widths, scores, colours."""
    sheet = book.add_worksheet(name)
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, column, header)
        texts = {row[col] for row in table.rows if isinstance(row[col], str)}
        width = max(map(len, texts), default=0)
        sheet.set_column(
            col, col, min(60, max(width, len(column)) + 2), score if column == "Note" else None
        )
    for number, row in enumerate(table.rows, start=1):
        sheet.write_row(number, 0, row)
    sheet.freeze_panes(1, 2)
    if table.rows:
        note = table.columns.index("Note")
        sheet.conditional_format(1, note, len(table.rows), note, {"type": "3_color_scale"})


def _format_xlsx(writer, frames, header, score):
    money = writer.book.add_format({"num_format": "#,##0.00 €"})
    for name, frame in frames.items():
        if isinstance(frame, Rows):
            continue
        if isinstance(frame.columns, pd.MultiIndex):
            _format_wide(writer, name, frame, score)
            continue
        sheet = writer.sheets[name]
        for col, column in enumerate(frame.columns):
            sheet.write(0, col, column, header)
            longest = frame[column].astype(str).str.len().max() if len(frame) else 0
            width = min(60, max(len(str(column)), 0 if pd.isna(longest) else int(longest)) + 2)
            fmt = money if "€" in column else score if frame[column].dtype.kind == "f" else None
            sheet.set_column(col, col, width, fmt)
        sheet.freeze_panes(1, 2 if name != "Paramètres" else 1)
        if len(frame):
            for col, column in enumerate(frame.columns):
                if column.startswith(("Note", "Total")) or "/" in column:
                    sheet.conditional_format(1, col, len(frame), col, {"type": "3_color_scale"})


def _print_setup(writer, sheets, lot):
    """Each sheet prints on A4 landscape, as wide as the page, its header rows on every page,
    the consultation's reference and the page number in the margins."""
    reference = f"{lot.consultation.reference} — lot {lot.number}".replace("&", "&&")
    for name, frame in sheets.items():
        sheet = writer.book.get_worksheet_by_name(name)
        wide = not isinstance(frame, Rows) and isinstance(frame.columns, pd.MultiIndex)
        sheet.set_paper(9)  # A4
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0, frame.columns.nlevels if wide else 0)
        sheet.set_header(f"&L{reference}&R{name.replace('&', '&&')}")
        sheet.set_footer("&LÉdité le &D&Rpage &P / &N")


def export_xlsx(lot, *, user=None, visibility=FULL) -> bytes:
    sheets = _sheets(lot, user=user, visibility=visibility)
    buffer = io.BytesIO()
    # Text is text: nothing a person typed becomes a formula or a link, even unneutralised.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        header = writer.book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DCE6F1", "border": 1}
        )
        score = writer.book.add_format({"num_format": "0.00"})
        for name, sheet in sheets.items():
            if isinstance(sheet, Rows):
                _write_rows(writer.book, name, sheet, header, score)
            else:
                wide = isinstance(sheet.columns, pd.MultiIndex)
                sheet.to_excel(writer, sheet_name=name, index=wide)
        _format_xlsx(writer, sheets, header, score)
        _print_setup(writer, sheets, lot)
    _journal(lot, user, "xlsx", visibility)
    return buffer.getvalue()


def export_csv(lot, *, user=None, visibility=FULL) -> bytes:
    """The synthesis (or the evaluator's own scores) for French spreadsheets. Only the table it
    writes is built: no sensitivity analysis, no individual scores of the others."""
    evaluation = evaluate(lot)
    if visibility == OWN:
        own = _individual_rows(evaluation, only_for=user)  # a few hundred rows
        frame = pd.DataFrame(own.rows, columns=own.columns)
    else:
        frame = _synthesis(evaluation)
    text = _safe(frame).to_csv(sep=";", decimal=",", index=False, float_format="%.2f")
    _journal(lot, user, "csv", visibility)
    return ("\ufeff" + text).encode("utf-8")


def _journal(lot, user, fmt, visibility):
    journal_record(
        actor=user,
        obj=Grid.objects.get(lot=lot),
        action=f"export de la grille ({fmt})",
        reason={FULL: "complet", CONSOLIDATED: "notes consolidées", OWN: "notes de l'évaluateur"}[
            visibility
        ],
    )


def export_pdf(lot, *, user=None, visibility=FULL) -> bytes:
    """The rapport d'analyse des offres: consolidated scores only, for those who read bids."""
    if visibility == OWN:
        raise PermissionError("The report shows every bid's scores.")
    with translation.override("fr"):  # a French official document, whatever the reader's language
        content = render_report(lot, user=user, individual=visibility == FULL)
    _journal(lot, user, "pdf", visibility)
    return content
