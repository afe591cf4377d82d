"""The evaluation grid as a spreadsheet (xlsx), a French CSV and a PDF report.

Built from one evaluation of the lot (a fixed number of queries), through the tables of
scoring.tables; each export shows only what its reader may see, and is journaled.
"""

import io

import pandas as pd

from core import clock
from core.spreadsheets import neutralise
from journal.services import journal_record
from scoring.models import Grid
from scoring.ranking import evaluate, sensitivity
from scoring.report import render_report
from scoring.tables import detail, individual, parameters, prices, synthesis

FULL = "full"  # the coordinator: everything, individual sheets included
CONSOLIDATED = "consolidated"  # members' staff: consolidated scores, no individual sheet
OWN = "own"  # an evaluator: their own sheets only


def _sheets(lot, *, user, visibility):
    evaluation = evaluate(lot)
    at = clock.now()
    frames = {}
    if visibility != OWN:
        changes = sensitivity(lot, evaluation)
        frames["Synthèse"] = _synthesis(evaluation)
        frames["Détail par critère"] = detail(evaluation)
    else:
        changes = []
    if visibility == FULL:
        frames["Notes individuelles"] = individual(evaluation)
    elif visibility == OWN:
        frames["Notes individuelles"] = individual(evaluation, only_for=user)
    if visibility != OWN:
        frames["Prix"] = prices(evaluation)
    frames["Paramètres"] = parameters(evaluation, user=user, at=at, sensitivity_changes=changes)
    return {name: _safe(frame) for name, frame in frames.items()}


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


def _format_xlsx(writer, frames):
    book = writer.book
    header = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DCE6F1", "border": 1}
    )
    money = book.add_format({"num_format": "#,##0.00 €"})
    score = book.add_format({"num_format": "0.00"})
    for name, frame in frames.items():
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


def export_xlsx(lot, *, user=None, visibility=FULL) -> bytes:
    frames = _sheets(lot, user=user, visibility=visibility)
    buffer = io.BytesIO()
    # Text is text: nothing a person typed becomes a formula or a link, even unneutralised.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        for name, frame in frames.items():
            wide = isinstance(frame.columns, pd.MultiIndex)
            frame.to_excel(writer, sheet_name=name, index=wide)
        _format_xlsx(writer, frames)
    _journal(lot, user, "xlsx", visibility)
    return buffer.getvalue()


def export_csv(lot, *, user=None, visibility=FULL) -> bytes:
    """The synthesis (or the evaluator's own scores) for French spreadsheets. Only the table it
    writes is built: no sensitivity analysis, no individual scores of the others."""
    evaluation = evaluate(lot)
    if visibility == OWN:
        frame = individual(evaluation, only_for=user)
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
    content = render_report(lot, user=user)
    _journal(lot, user, "pdf", visibility)
    return content
