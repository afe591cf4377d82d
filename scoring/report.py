"""The PDF "rapport d'analyse des offres": the ranking, the reasons and the scores of a lot.

Drawn with reportlab's standard fonts (no system font needed); the consolidated scores only,
never an evaluator's individual sheet.
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core import clock
from core.formats import format_amount, format_moment, format_number
from scoring.models import PriceFormula
from scoring.ranking import evaluate, sensitivity
from scoring.tables import provisional_reasons, synthesis


def _text(value) -> str:
    # The narrow no-break space of French number formats is missing from the standard fonts.
    return str(value).replace("\u202f", "\u00a0")


def _para(value, style) -> Paragraph:
    """A paragraph of text as typed by people (a bidder's name, a reason): Paragraph reads
    markup, so « Atelier <Nord> » must be escaped to be drawn as it is written."""
    return Paragraph(escape(_text(value)), style)


def _number(value, places=2) -> str:
    if value is None or value != value:
        return "—"
    return _text(format_number(value, places))


def render_report(lot, *, user=None) -> bytes:
    evaluation = evaluate(lot)
    consultation = lot.consultation
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["Italic"]
    story = [
        Paragraph("Rapport d’analyse des offres", styles["Title"]),
        _para(f"{consultation.reference} — {consultation.title}", styles["Heading2"]),
        _para(
            (
                f"Groupement de commandes : {consultation.groupement.name} — "
                f"coordonnateur : {consultation.groupement.coordinator}"
            ),
            body,
        ),
        _para(
            (f"Lot {lot.number} : {lot.title} — estimation {format_amount(lot.estimated_value)}"),
            body,
        ),
        _para("Formule de prix : " + str(PriceFormula(lot.grid.price_formula).label), body),
        _para(f"Empreinte de la grille (SHA-256) : {lot.grid.content_hash or '—'}", small),
        Spacer(1, 0.4 * cm),
        Paragraph("Classement", styles["Heading2"]),
    ]
    frame = synthesis(evaluation)
    header = [_para(c, small) for c in frame.columns]
    rows = [header]
    for record in frame.itertuples(index=False):
        rows.append(
            [
                _text(v)
                if i in (0, 1) and v == v and v is not None
                else "—"
                if v is None or v != v
                else _number(v)
                for i, v in enumerate(record)
            ]
        )
    if len(frame):
        table = Table(rows, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F1")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, Spacer(1, 0.3 * cm)]
    else:
        story.append(Paragraph("Aucune offre admise et régulière n’est classée à ce jour.", body))
    for reason in provisional_reasons(evaluation):
        story.append(_para(f"PROVISOIRE : {reason}", styles["Heading3"]))
    changes = sensitivity(lot, evaluation) if evaluation.complete else None
    if changes:
        story.append(
            _para(
                ("Sensibilité : le premier rang change avec " + " ; ".join(changes) + "."),
                body,
            )
        )
    elif changes is not None:
        story.append(
            Paragraph(
                "Sensibilité : le premier rang tient quand une pondération de "
                "premier niveau varie de 5 points au plus, et avec chacune des "
                "autres formules de prix.",
                body,
            )
        )

    story.append(Paragraph("Appréciation de chaque offre", styles["Heading2"]))
    for row in evaluation.rows:
        bid = row.bid
        story.append(
            _para(
                (
                    f"{row.rank or '—'}. {bid.bidder} ({bid.bidder.identifier})"
                    f" — {format_amount(bid.price)}"
                    if bid.price is not None
                    else str(bid.bidder)
                ),
                styles["Heading3"],
            )
        )
        if bid.offer_reason:
            story.append(_para(f"Analyse de l’offre : {bid.offer_reason}", body))
        lines = [["Critère", "Note", "Justification"]]
        for leaf in evaluation.leaves:
            consolidated = evaluation.consolidated.get((bid.pk, leaf.pk))
            lines.append(
                [
                    _para(leaf.name, body),
                    _number(row.scores.get(leaf.pk)) + _text(f" / {leaf.scale_max.normalize():f}"),
                    _para(
                        (
                            "formule de prix"
                            if leaf.is_price
                            else (consolidated.justification if consolidated else "")
                        ),
                        body,
                    ),
                ]
            )
        detail = Table(lines, colWidths=[7 * cm, 3 * cm, 15 * cm], repeatRows=1)
        detail.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F3F5F8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [detail, Spacer(1, 0.3 * cm)]
    story.append(
        _para(
            f"Édité le {format_moment(clock.now())}" + (f" par {user}" if user else ""),
            small,
        )
    )

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title="Rapport d’analyse des offres",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
    ).build(story)
    return buffer.getvalue()
