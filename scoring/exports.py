"""The evaluation grid as a spreadsheet (xlsx), a French CSV and, later, a PDF report.

Built from one evaluation of the lot (a fixed number of queries), through pandas; each export
shows only what its reader may see, and is journaled.
"""

import io
from decimal import Decimal

import pandas as pd
from django.utils import timezone

from journal.services import journal_record
from procurement import rules as procurement_rules
from scoring.models import Grid, PriceFormula
from scoring.ranking import effective_weights, evaluate, sensitivity

FULL = "full"  # the coordinator: everything, individual sheets included
CONSOLIDATED = "consolidated"  # members' staff: consolidated scores, no individual sheet
OWN = "own"  # an evaluator: their own sheets only


def _top_of(criteria):
    by_pk = {c.pk: c for c in criteria}

    def top(criterion):
        while criterion.parent_id:
            criterion = by_pk[criterion.parent_id]
        return criterion

    return top


def synthesis(evaluation) -> pd.DataFrame:
    weights = effective_weights(evaluation.criteria)
    top = _top_of(evaluation.criteria)
    tops = [c for c in evaluation.criteria if c.parent_id is None]
    records = []
    for row in evaluation.rows:
        points = {c.pk: Decimal(0) for c in tops}
        for leaf in evaluation.leaves:
            score = row.scores.get(leaf.pk)
            if score is not None:
                points[top(leaf).pk] += score / leaf.scale_max * weights[leaf.pk]
        record = {
            "Rang": row.rank,
            "Soumissionnaire": row.bid.bidder.name,
            "Prix (€ HT)": float(row.bid.price) if row.bid.price is not None else None,
        }
        for criterion in tops:
            record[f"{criterion.name} (/{criterion.weight.normalize():f})"] = float(
                round(points[criterion.pk], 2)
            )
        record["Total (/100)"] = float(row.total) if row.total is not None else None
        records.append(record)
    return pd.DataFrame.from_records(records)


def detail(evaluation) -> pd.DataFrame:
    """One row per bid; per scored criterion its consolidated score and justification, under
    merged headers: top-level criterion, criterion, then score / justification."""
    top = _top_of(evaluation.criteria)
    columns = []
    for leaf in evaluation.leaves:
        group = top(leaf).name
        columns += [(group, leaf.name, "Note"), (group, leaf.name, "Justification")]
    data = []
    for row in evaluation.rows:
        values = []
        for leaf in evaluation.leaves:
            consolidated = evaluation.consolidated.get((row.bid.pk, leaf.pk))
            score = row.scores.get(leaf.pk)
            values.append(float(score) if score is not None else None)
            values.append(
                "formule de prix"
                if leaf.is_price
                else (consolidated.justification if consolidated else "")
            )
        data.append(values)
    return pd.DataFrame(
        data,
        index=pd.Index([r.bid.bidder.name for r in evaluation.rows], name="Soumissionnaire"),
        columns=pd.MultiIndex.from_tuples(columns),
    )


def individual(evaluation, *, only_for=None) -> pd.DataFrame:
    names = {c.pk: c.name for c in evaluation.criteria}
    columns = {
        k: []
        for k in ("Évaluateur", "Soumissionnaire", "Critère", "Note", "Justification", "Fiche")
    }
    for sheet in evaluation.sheets:
        if only_for is not None and sheet.panel_member.evaluator_id != only_for.pk:
            continue
        evaluator, bidder = str(sheet.panel_member.evaluator), sheet.bid.bidder.name
        state = str(sheet.get_state_display())
        for criterion_id, value, justification in evaluation.scores_by_sheet.get(sheet.pk, []):
            columns["Évaluateur"].append(evaluator)
            columns["Soumissionnaire"].append(bidder)
            columns["Critère"].append(names[criterion_id])
            columns["Note"].append(float(value))
            columns["Justification"].append(justification)
            columns["Fiche"].append(state)
    return pd.DataFrame(columns)


def prices(evaluation) -> pd.DataFrame:
    bids = [r.bid for r in evaluation.rows if r.bid.price is not None]
    mean = sum((b.price for b in bids), Decimal(0)) / len(bids) if bids else None
    records = []
    for bid in bids:
        flags = procurement_rules.abnormally_low_reasons(bid, bids)
        records.append(
            {
                "Soumissionnaire": bid.bidder.name,
                "Prix (€ HT)": float(bid.price),
                "Écart à la moyenne (%)": float(round((bid.price - mean) / mean * 100, 2)),
                "Anormalement bas": "oui : " + " ; ".join(flags) if flags else "non",
            }
        )
    return pd.DataFrame.from_records(records)


def parameters(evaluation, *, user, at, sensitivity_changes) -> pd.DataFrame:
    grid = evaluation.lot.grid
    rows = [("Consultation", str(evaluation.lot.consultation)), ("Lot", str(evaluation.lot))]
    for criterion in evaluation.criteria:
        indent = "    " if criterion.parent_id else ""
        rows.append(
            (
                f"{indent}{criterion.name}",
                f"{criterion.weight.normalize():f} points"
                + (" (prix)" if criterion.is_price else "")
                + f", noté sur {criterion.scale_max.normalize():f}",
            )
        )
    rows += [
        ("Formule de prix", str(PriceFormula(grid.price_formula).label)),
        ("Empreinte de la grille (SHA-256)", grid.content_hash or "grille non figée"),
        (
            "Sensibilité du premier rang",
            "tient (pondérations ±5 points, autres formules)"
            if not sensitivity_changes
            else "change : " + " ; ".join(sensitivity_changes),
        ),
        ("Exporté le", timezone.localtime(at).strftime("%d/%m/%Y %H:%M")),
        ("Exporté par", str(user) if user else "commande export_grid"),
    ]
    return pd.DataFrame(rows, columns=["Paramètre", "Valeur"])


def _sheets(lot, *, user, visibility):
    evaluation = evaluate(lot)
    at = timezone.now()
    frames = {}
    if visibility != OWN:
        changes = sensitivity(lot, evaluation)
        frames["Synthèse"] = synthesis(evaluation)
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
    return frames


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
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for name, frame in frames.items():
            wide = isinstance(frame.columns, pd.MultiIndex)
            frame.to_excel(writer, sheet_name=name, index=wide)
        _format_xlsx(writer, frames)
    _journal(lot, user, "xlsx", visibility)
    return buffer.getvalue()


def export_csv(lot, *, user=None, visibility=FULL) -> bytes:
    """The synthesis (or the evaluator's own scores) for French spreadsheets."""
    frames = _sheets(lot, user=user, visibility=visibility)
    frame = frames.get("Synthèse", frames["Notes individuelles"])
    text = frame.to_csv(sep=";", decimal=",", index=False, float_format="%.2f")
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
    from scoring.report import render_report

    if visibility == OWN:
        raise PermissionError("The report shows every bid's scores.")
    content = render_report(lot, user=user)
    _journal(lot, user, "pdf", visibility)
    return content
