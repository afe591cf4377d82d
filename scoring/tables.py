"""The tables of a lot's evaluation, as pandas frames: what the spreadsheet, the CSV, the PDF
report and the ranking page show."""

from decimal import Decimal

import pandas as pd
from django.utils import timezone

from core.formats import round_half_up
from procurement import rules as procurement_rules
from scoring.models import PriceFormula
from scoring.price import round_score
from scoring.ranking import top_of


def synthesis(evaluation) -> pd.DataFrame:
    """One row per bid: its points per top-level criterion, as rounded once by the ranking,
    and its total, their sum."""
    tops = [c for c in evaluation.criteria if c.parent_id is None]
    records = []
    for row in evaluation.rows:
        record = {
            "Rang": row.rank,
            "Soumissionnaire": row.bid.bidder.name,
            "Prix (€ HT)": float(row.bid.price) if row.bid.price is not None else None,
        }
        for criterion in tops:
            record[f"{criterion.name} (/{criterion.weight.normalize():f})"] = float(
                row.parts[criterion.pk]
            )
        record["Total (/100)"] = float(row.total) if row.total is not None else None
        records.append(record)
    return pd.DataFrame.from_records(records)


def detail(evaluation) -> pd.DataFrame:
    """One row per bid; per scored criterion its consolidated score and justification, under
    merged headers: top-level criterion, criterion, then score / justification."""
    top = top_of(evaluation.criteria)
    columns = []
    for leaf in evaluation.leaves:
        group = top(leaf).name
        columns += [(group, leaf.name, "Note"), (group, leaf.name, "Justification")]
    data = []
    for row in evaluation.rows:
        values: list[float | str | None] = []
        for leaf in evaluation.leaves:
            consolidated = evaluation.consolidated.get((row.bid.pk, leaf.pk))
            score = row.scores.get(leaf.pk)
            values.append(float(round_score(score)) if score is not None else None)
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


def prices(evaluation) -> pd.DataFrame:
    bids = [r.bid for r in evaluation.rows if r.bid.price is not None]
    mean = sum((b.price for b in bids), Decimal(0)) / len(bids) if bids else None
    records = []
    regular = procurement_rules.RegularPrices.of(bids)
    for bid in bids:
        flags = procurement_rules.abnormally_low_reasons(bid, regular)
        records.append(
            {
                "Soumissionnaire": bid.bidder.name,
                "Prix (€ HT)": float(bid.price),
                "Écart à la moyenne (%)": float(round_half_up((bid.price - mean) / mean * 100, 2)),
                "Anormalement bas": "oui : " + " ; ".join(flags) if flags else "non",
            }
        )
    return pd.DataFrame.from_records(records)


def provisional_reasons(evaluation) -> list[str]:
    """Why the ranking may still move, in French (empty: it is final)."""
    reasons = []
    if not evaluation.complete:
        reasons.append("des fiches ou des notes consolidées manquent")
    if evaluation.pending_justifications:
        reasons.append(
            "la justification d'un prix anormalement bas reste à juger ("
            + ", ".join(str(bid.bidder) for bid in evaluation.pending_justifications)
            + ")"
        )
    return reasons


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
    provisional = provisional_reasons(evaluation)
    rows += [
        (
            "Statut du classement",
            "provisoire : " + " ; ".join(provisional) if provisional else "définitif",
        ),
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
