"""The PDF « rapport d'analyse des offres » of a lot, ready to sign (core.documents).

Every offer received, with what became of it and why; the criteria and their weights; the
consolidated scores with their justifications (never an evaluator's individual sheet: the
coordinator's report draws their marks, unnamed); the ranking, its charts, its sensitivity and
the offer proposed; the date and a signature block. While the ranking may still move, every
page says « PROVISOIRE ».
"""

from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from core import clock
from core.documents import REGULAR, Heading, para, render, styles, table, text
from core.formats import format_amount, format_day, format_moment, format_number
from procurement.choices import CandidatureState, OfferState
from procurement.models import Bid
from scoring import charts
from scoring.models import PriceFormula
from scoring.ranking import evaluate
from scoring.tables import provisional_reasons, synthesis

TITLE = "Rapport d’analyse des offres"

# What became of an offer that is not ranked, with the article of the code that says so.
OFFER_FATES = {
    OfferState.PENDING: "Offre en cours d’examen",
    OfferState.REGULARISATION_REQUESTED: "Régularisation demandée (art. R2152-2 CCP)",
    OfferState.IRREGULAR: "Offre irrégulière, éliminée (art. L2152-2 et R2152-1 CCP)",
    OfferState.UNACCEPTABLE: "Offre inacceptable, éliminée (art. L2152-3 et R2152-1 CCP)",
    OfferState.INAPPROPRIATE: "Offre inappropriée, éliminée (art. L2152-4 et R2152-1 CCP)",
    OfferState.ABNORMALLY_LOW: "Offre anormalement basse, rejetée (art. L2152-6 et R2152-4 CCP)",
}
LOW_PRICE = {"accepted": "acceptée", "rejected": "rejetée"}


def _number(value, places=2) -> str:
    if value is None or value != value:
        return "—"
    return text(format_number(value, places))


def fate(bid, rank) -> tuple[str, str]:
    """(what became of the offer, the reason written for it)."""
    if bid.late:
        return "Pli reçu hors délai : éliminé sans être ouvert (art. R2151-5 CCP)", ""
    if bid.candidature == CandidatureState.REJECTED:
        return "Candidature non admise (art. R2144-7 CCP)", bid.candidature_reason
    if bid.candidature != CandidatureState.ADMITTED:
        return "Candidature en cours d’examen", bid.candidature_reason
    if bid.offer == OfferState.REGULAR:
        ranked = f"Offre régulière, classée au rang {rank}" if rank else "Offre régulière"
        return ranked, bid.offer_reason
    return OFFER_FATES[OfferState(bid.offer)], bid.offer_reason


def _low_price(bid) -> str:
    if not bid.low_price_decision:
        return ""
    decision = LOW_PRICE.get(bid.low_price_decision, bid.low_price_decision)
    return f" Justification du prix {decision} : {bid.low_price_reason}"


def _offers(lot, evaluation, s) -> list:
    ranks = {row.bid.pk: row.rank for row in evaluation.rows}
    rows = [["Soumissionnaire", "Reçu le", "Prix (€ HT)", "Suite donnée", "Motif"]]
    bids = Bid.objects.filter(lot=lot).select_related("bidder").order_by("received_at", "pk")
    for bid in bids:
        outcome, reason = fate(bid, ranks.get(bid.pk))
        rows.append(
            [
                para(f"{bid.bidder} ({bid.bidder.identifier})", s["BodyText"]),
                para(format_moment(bid.received_at), s["BodyText"]),
                "—" if bid.price is None or bid.late else text(format_amount(bid.price)),
                para(outcome, s["BodyText"]),
                para((reason or "—") + _low_price(bid), s["BodyText"]),
            ]
        )
    return [
        Paragraph("1. Offres reçues et suite donnée", s["Heading2"]),
        table(rows, widths=[6 * cm, 3.4 * cm, 3.3 * cm, 6.3 * cm, 7.7 * cm], numbers=(2,)),
    ]


def _criteria(lot, evaluation, s) -> list:
    formula = str(PriceFormula(lot.grid.price_formula).label)
    rows = [["Critère", "Pondération (points)", "Notation"]]
    for criterion in evaluation.criteria:
        indent = "\u00a0" * 6 if criterion.parent_id else ""
        rows.append(
            [
                para(indent + criterion.name, s["BodyText"]),
                _number(criterion.weight),
                para(
                    f"prix, formule « {formula} »"
                    if criterion.is_price
                    else f"note sur {criterion.scale_max.normalize():f}",
                    s["BodyText"],
                ),
            ]
        )
    return [
        Paragraph("2. Critères d’attribution et pondérations", s["Heading2"]),
        para(
            "Critères et pondérations annoncés dans les documents de la consultation "
            f"(art. R2152-7 et R2152-11 CCP) ; empreinte de la grille (SHA-256) : "
            f"{lot.grid.content_hash or 'grille non figée'}.",
            s["BodyText"],
        ),
        table(rows, widths=[11 * cm, 4 * cm, 11.7 * cm], numbers=(1,)),
    ]


def _ranking(evaluation, s) -> list:
    frame = synthesis(evaluation)
    story = [Paragraph("3. Classement", s["Heading2"])]
    if len(frame):
        rows = [[para(c, s["BodyText"]) for c in frame.columns]]
        for record in frame.itertuples(index=False):
            rows.append(
                [
                    text(v) if i in (0, 1) and v == v and v is not None else _number(v)
                    for i, v in enumerate(record)
                ]
            )
        story.append(table(rows, numbers=range(2, len(frame.columns))))
    else:
        story.append(
            Paragraph("Aucune offre admise et régulière n’est classée à ce jour.", s["BodyText"])
        )
    for reason in provisional_reasons(evaluation):
        story.append(para(f"Classement provisoire : {reason}.", s["Heading4"]))
    first = [row for row in evaluation.rows if row.rank == 1]
    if evaluation.final and first:
        # The same computed result as every role's spreadsheet (scoring.exports).
        changes = evaluation.changes
        story.append(
            para(
                "Sensibilité : le premier rang change avec " + " ; ".join(changes) + "."
                if changes
                else "Sensibilité : le premier rang tient quand une pondération de premier "
                "niveau varie de 5 points au plus, et avec chacune des autres formules de prix.",
                s["BodyText"],
            )
        )
    else:
        story.append(para("Sensibilité : étudiée une fois le classement définitif.", s["BodyText"]))
    return story


def _charts(evaluation, individual, s) -> list:
    """The pictures of the ranking page, drawn as vectors; the price weight's figures as a
    table too (the other pictures draw the tables above)."""
    story = [Paragraph("Graphiques", s["Heading3"])]
    for figure in charts.figures(evaluation, individual=individual):
        parts = [para(figure.title, s["Heading4"]), figure.draw(REGULAR)]
        parts.append(para(figure.summary, s["Italic"]))
        story.append(KeepTogether(parts))
        if figure.kind == charts.PRICE_WEIGHT:
            rows = [[para(c, s["BodyText"]) for c in figure.columns], *figure.rows]
            story.append(table(rows, numbers=range(len(figure.columns))))
        story.append(Spacer(1, 0.3 * cm))
    return story


def _appreciation(evaluation, s) -> list:
    story = [Paragraph("4. Appréciation de chaque offre classée", s["Heading2"])]
    for row in evaluation.rows:
        bid = row.bid
        price = f" — {format_amount(bid.price)}" if bid.price is not None else ""
        lines = [["Critère", "Note", "Justification"]]
        for leaf in evaluation.leaves:
            consolidated = evaluation.consolidated.get((bid.pk, leaf.pk))
            justification = (
                "note calculée par la formule de prix"
                if leaf.is_price
                else (consolidated.justification if consolidated else "")
            )
            lines.append(
                [
                    para(leaf.name, s["BodyText"]),
                    _number(row.scores.get(leaf.pk)) + text(f" / {leaf.scale_max.normalize():f}"),
                    para(justification or "non renseignée", s["BodyText"]),
                ]
            )
        heading = para(
            f"{row.rank or '—'}. {bid.bidder} ({bid.bidder.identifier}){price}", s["Heading3"]
        )
        story.append(KeepTogether([heading, table(lines, widths=[7 * cm, 3 * cm, 16 * cm])]))
        story.append(Spacer(1, 0.3 * cm))
    return story


def _proposal_and_signature(evaluation, user, s) -> list:
    story = [Paragraph("5. Proposition", s["Heading2"])]
    first = [row for row in evaluation.rows if row.rank == 1]
    if evaluation.final and first:
        names = ", ".join(str(row.bid.bidder) for row in first)
        which = (
            f"l’offre classée première est celle de {names}"
            if len(first) == 1
            else f"les offres classées premières ex aequo sont celles de {names}"
        )
        story.append(
            para(
                f"Au regard des critères annoncés (art. R2152-7 CCP), {which}, avec une note de "
                f"{_number(first[0].total)} sur 100 : c’est l’offre économiquement la plus "
                "avantageuse, proposée à l’attribution du lot (le choix d’une autre offre est "
                "motivé dans la proposition d’attribution).",
                s["BodyText"],
            )
        )
    else:
        story.append(
            para(
                "Aucune attribution n’est proposée tant que le classement est provisoire.",
                s["BodyText"],
            )
        )
    today = format_day(clock.today())
    signatures = table(
        [
            ["Établi par", "Vu, le représentant du coordonnateur"],
            [
                para(f"{user}, le {today}" if user else f"Le {today}", s["BodyText"]),
                para("Nom, qualité, date et signature :", s["BodyText"]),
            ],
            ["", ""],
        ],
        widths=[12.5 * cm, 12.5 * cm],
        extra=[
            ("ROWBACKGROUNDS", (0, 2), (-1, 2), ["#FFFFFF"]),
            ("TOPPADDING", (0, 2), (-1, 2), 40),
        ],
    )
    return story + [Spacer(1, 0.4 * cm), KeepTogether([signatures])]


def render_report(lot, *, user=None, individual=False) -> bytes:
    """The report of `lot`, with the evaluators' individual marks drawn only if `individual`
    (the coordinator's)."""
    evaluation = evaluate(lot)
    consultation = lot.consultation
    s = styles()
    story = [
        Paragraph(TITLE, s["Title"]),
        para(f"{consultation.reference} — {consultation.title}", s["Heading2"]),
        para(
            f"Lot {lot.number} : {lot.title} — estimation {format_amount(lot.estimated_value)}",
            s["BodyText"],
        ),
        para(f"Édité le {format_moment(clock.now())}", s["Italic"]),
        *_offers(lot, evaluation, s),
        *_criteria(lot, evaluation, s),
        *_ranking(evaluation, s),
        *_charts(evaluation, individual, s),
        *_appreciation(evaluation, s),
        *_proposal_and_signature(evaluation, user, s),
    ]
    return render(
        story,
        title=TITLE,
        author=consultation.groupement.coordinator.name,
        subject=f"{consultation.reference} — lot {lot.number} : {lot.title}",
        heading=Heading.of(consultation),
        provisional=not evaluation.final,
        wide=True,
    )
