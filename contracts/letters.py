"""The award and rejection letters, drawn as PDF with reportlab's standard fonts.

A rejection letter gives what art. R2181-3 CCP requires: the reasons for the rejection, the
bidder's own scores, the winner's name and scores, and the date before which the contract will
not be signed.
"""

import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from contracts.choices import LetterKind
from core.formats import format_day, format_points
from procurement.choices import CandidatureState, OfferState
from procurement.models import Bid, Consultation, Lot
from scoring.ranking import RankedBid


@dataclass
class LetterContent:
    """Everything a letter says; the PDF and the e-mail are drawn from the same content."""

    kind: str
    consultation: Consultation
    lot: Lot
    bid: Bid
    winner: RankedBid
    own: RankedBid | None  # None when the offer was not scored
    reasons: list[str]
    competitors: int
    earliest_signature: datetime.date | None  # None without standstill
    sent_on: datetime.date

    @property
    def subject(self) -> str:
        what = "attribution" if self.kind == LetterKind.AWARD else "rejet de votre offre"
        return f"{self.consultation.reference} — lot {self.lot.number} : {what}"


def _points(value) -> str:
    if value is None:
        return "—"
    return format_points(value)


def rejection_reasons(bid, own: RankedBid | None, competitors: int) -> list[str]:
    if bid.candidature == CandidatureState.REJECTED:
        return [f"Votre candidature n’a pas été admise : {bid.candidature_reason}"]
    if bid.offer != OfferState.REGULAR:
        label = OfferState(bid.offer).label
        return [f"Votre offre a été jugée « {label} » : {bid.offer_reason}".strip(" :")]
    if own is not None and own.rank is not None:
        return [
            f"Votre offre est classée au rang {own.rank} sur {competitors} offres classées, "
            f"avec une note de {_points(own.total)} sur 100 ; une autre offre est "
            "économiquement plus avantageuse au regard des critères annoncés."
        ]
    return ["Votre offre n’est pas l’offre économiquement la plus avantageuse."]


def render_pdf(content: LetterContent) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    consultation = content.consultation
    groupement = consultation.groupement

    def para(text, style=body):
        return Paragraph(escape(str(text)).replace("\u202f", "\u00a0"), style)

    story = [
        para(groupement.coordinator.name, styles["Heading3"]),
        para(f"Coordonnateur du groupement de commandes « {groupement.name} »"),
        Spacer(1, 0.4 * cm),
        para(f"Le {format_day(content.sent_on)}"),
        para(f"À : {content.bid.bidder.name} ({content.bid.bidder.identifier})"),
        Spacer(1, 0.4 * cm),
        para(f"Objet : {content.subject}", styles["Heading4"]),
        para(
            f"Consultation : {consultation.title} — lot {content.lot.number} : {content.lot.title}"
        ),
        Spacer(1, 0.3 * cm),
    ]
    if content.kind == LetterKind.AWARD:
        story.append(
            para(
                "Nous avons le plaisir de vous informer que votre offre est retenue pour ce "
                f"lot, avec une note de {_points(content.winner.total)} sur 100."
            )
        )
    else:
        story.append(
            para("Nous avons le regret de vous informer que votre offre n’est pas retenue.")
        )
        story += [para(reason) for reason in content.reasons]
    rows = [
        ["Critère", "Offre retenue"] + ([] if content.kind == LetterKind.AWARD else ["Votre offre"])
    ]
    own_details = dict(
        (name, points) for name, points, _ in (content.own.details if content.own else [])
    )
    for name, points, out_of in content.winner.details:
        row = [f"{name} (sur {_points(out_of)})", _points(points)]
        if content.kind != LetterKind.AWARD:
            row.append(_points(own_details.get(name)))
        rows.append(row)
    total = ["Total (sur 100)", _points(content.winner.total)]
    if content.kind != LetterKind.AWARD:
        total.append(_points(content.own.total if content.own else None))
    rows.append(total)
    story += [
        Spacer(1, 0.3 * cm),
        para(f"Attributaire : {content.winner.bid.bidder.name}"),
        Table(
            rows,
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("FONT", (0, -1), (-1, -1), "Helvetica-Bold"),
                    ("GRID", (0, 0), (-1, -1), 0.5, "#888888"),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ]
            ),
        ),
        Spacer(1, 0.4 * cm),
    ]
    if content.earliest_signature:
        story.append(
            para(
                "Conformément à l’article R2182-1 du code de la commande publique, le marché ne "
                f"sera pas signé avant le {format_day(content.earliest_signature)}."
            )
        )
    else:
        story.append(para("Aucun délai de suspension de la signature ne s’applique à ce lot."))
    if content.kind == LetterKind.REJECTION:
        story.append(
            para(
                "Vous pouvez demander des précisions sur ces motifs ; un référé précontractuel "
                "peut être introduit devant le tribunal administratif avant la signature du "
                "marché (art. L551-1 du code de justice administrative)."
            )
        )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=content.subject,
        author=groupement.coordinator.name,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    ).build(story)
    return buffer.getvalue()


def render_email(content: LetterContent) -> str:
    return render_to_string("emails/award_letter.txt", {"letter": content})
