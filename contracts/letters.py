"""The award and rejection letters, formal French administrative letters (core.documents).

A rejection letter gives what art. R2181-3 CCP requires: the reasons for the rejection, the
bidder's own scores and the winner's, criterion by criterion and sub-criterion by
sub-criterion, the name of the winner and the characteristics and relative advantages of its
offer, the date before which the contract will not be signed, and the means of redress.
"""

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from contracts.choices import LetterKind
from core.documents import BOLD, Heading, para, render, styles, table
from core.formats import format_day, format_points
from procurement.choices import CandidatureState, OfferState
from procurement.models import Bid, Consultation, Lot
from scoring.ranking import RankedBid


@dataclass
class CriterionLine:
    """One line of the letter's table of scores: a criterion, or a sub-criterion under it."""

    name: str
    sub: bool
    out_of: object
    winner: object
    own: object
    # What the committee wrote of the winner's offer under this criterion.
    winner_justification: str = ""


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
    criteria: list[CriterionLine] = field(default_factory=list)

    @property
    def subject(self) -> str:
        what = "attribution" if self.kind == LetterKind.AWARD else "rejet de votre offre"
        return f"{self.consultation.reference} — lot {self.lot.number} : {what}"

    @property
    def informed(self) -> bool:
        """Whether the addressee's offer was judged on the criteria: an offer rejected as
        irregular, unacceptable or inappropriate, or a candidature not admitted, is told why,
        not what the winning offer holds (art. R2181-4 CCP)."""
        return self.bid.candidature == CandidatureState.ADMITTED and self.bid.offer not in (
            OfferState.IRREGULAR,
            OfferState.UNACCEPTABLE,
            OfferState.INAPPROPRIATE,
        )

    @property
    def advantages(self) -> list[tuple[str, str]]:
        """The reasons for choosing the winning offer, its characteristics and relative
        advantages, as the committee wrote them criterion by criterion."""
        if not self.informed:
            return []
        return [(c.name, c.winner_justification) for c in self.criteria if c.winner_justification]

    @property
    def signatory(self) -> list[str]:
        """The lines that sign the letter, as the convention names the signatory."""
        groupement = self.consultation.groupement
        if groupement.signatory:
            return ["Pour le coordonnateur,", *groupement.signatory]
        return ["Le coordonnateur du groupement de commandes,", groupement.coordinator.name]


def criterion_lines(evaluation, winner_bid, own_bid) -> list[CriterionLine]:
    """Top-level criteria in points (out of their weight), their sub-criteria as scored (out
    of their scale), for the winning offer and the letter's addressee."""
    rows = {row.bid.pk: row for row in evaluation.rows}
    winner, own = rows.get(winner_bid.pk), rows.get(own_bid.pk)
    leaves = {c.pk for c in evaluation.leaves}
    lines = []
    for criterion in evaluation.criteria:
        sub = criterion.parent_id is not None
        if sub and criterion.pk not in leaves:
            continue

        def value(row, criterion=criterion, sub=sub):
            if row is None:
                return None
            return row.scores.get(criterion.pk) if sub else row.parts.get(criterion.pk)

        consolidated = evaluation.consolidated.get((winner_bid.pk, criterion.pk))
        justification = ""
        if consolidated is not None and not criterion.is_price:
            justification = consolidated.justification
        lines.append(
            CriterionLine(
                name=criterion.name,
                sub=sub,
                out_of=criterion.scale_max if sub else criterion.weight,
                winner=value(winner),
                own=value(own),
                winner_justification=justification,
            )
        )
    return lines


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


def redress(groupement, *, informed=True) -> list[str]:
    """The means of redress against the rejection, with the competent court and the time
    limits of each; and, for an offer judged on the criteria, the information of R2181-4."""
    court = (
        f"le tribunal administratif compétent ({groupement.tribunal})"
        if groupement.tribunal
        else "le tribunal administratif territorialement compétent"
    )
    return [
        f"Voies et délais de recours. La présente décision peut être contestée devant {court} :",
        "– par un référé précontractuel (articles L551-1 et suivants du code de justice "
        "administrative), jusqu’à la signature du marché ;",
        "– par un référé contractuel (articles L551-13 et suivants du même code), après la "
        "signature, dans un délai de trente et un jours à compter de la publication de l’avis "
        "d’attribution ou, à défaut, de six mois à compter du lendemain de la conclusion du "
        "contrat (article R551-7 du même code) ;",
        "– par un recours en contestation de la validité du contrat, dans un délai de deux mois "
        "à compter de l’accomplissement des mesures de publicité appropriées (Conseil d’État, "
        "Assemblée, 4 avril 2014, Département de Tarn-et-Garonne, n° 358994).",
    ] + (
        [
            "Sur votre demande écrite, les informations prévues à l’article R2181-4 du code de "
            "la commande publique vous seront communiquées dans un délai de quinze jours à "
            "compter de sa réception."
        ]
        if informed
        else []
    )


def _scores_table(content: LetterContent, s):
    rejection = content.kind == LetterKind.REJECTION
    header = ["Critère", "Offre retenue"] + (["Votre offre"] if rejection else [])
    rows = [header]
    bold_rows = []
    for line in content.criteria:
        name = ("\u00a0" * 6 + line.name) if line.sub else line.name
        unit = "note" if line.sub else "points"
        row = [
            para(f"{name} ({unit} sur {_points(line.out_of)})", s["BodyText"]),
            _points(line.winner),
        ]
        if rejection:
            row.append(_points(line.own))
        if not line.sub:
            bold_rows.append(len(rows))
        rows.append(row)
    total = ["Total (sur 100)", _points(content.winner.total)]
    if rejection:
        total.append(_points(content.own.total if content.own else None))
    bold_rows.append(len(rows))
    rows.append(total)
    extra = [("FONT", (1, r), (-1, r), BOLD, 9) for r in bold_rows]
    return table(
        rows, widths=[10 * cm] + [3.5 * cm] * (len(header) - 1), numbers=(1, 2), extra=extra
    )


def _signature(content: LetterContent, s) -> list:
    lines = [para(line, s["Signature"]) for line in content.signatory]
    return [KeepTogether([Spacer(1, 0.6 * cm), *lines])]


def render_pdf(content: LetterContent) -> bytes:
    s = styles()
    s.add(s["BodyText"].clone("Signature", leftIndent=9 * cm, spaceBefore=0, spaceAfter=0))
    consultation, bid = content.consultation, content.bid
    groupement = consultation.groupement
    body = s["BodyText"]
    addresses = table(
        [
            [
                [
                    para(groupement.coordinator.name, s["Heading4"]),
                    para(f"Coordonnateur du groupement de commandes « {groupement.name} »", body),
                    para(f"SIRET {groupement.coordinator.siret}", body),
                ],
                [
                    para(bid.bidder.name, s["Heading4"]),
                    *(
                        [para(f"À l’attention de {bid.bidder.contact_name}", body)]
                        if bid.bidder.contact_name
                        else []
                    ),
                    para(bid.bidder.identifier, body),
                ],
            ]
        ],
        widths=[9 * cm, 8 * cm],
        header_rows=0,
        ruled=False,
    )
    story = [
        addresses,
        Spacer(1, 0.5 * cm),
        para(f"Le {format_day(content.sent_on)}", s["Signature"]),
        Spacer(1, 0.4 * cm),
        para(f"Objet : {content.subject}", s["Heading4"]),
        para(
            f"Consultation : {consultation.reference} — {consultation.title} ; lot "
            f"{content.lot.number} : {content.lot.title}",
            body,
        ),
        Spacer(1, 0.3 * cm),
        Paragraph("Madame, Monsieur,", body),
    ]
    winner_name = content.winner.bid.bidder.name
    if content.kind == LetterKind.AWARD:
        story.append(
            para(
                "J’ai l’honneur de vous informer que votre offre est retenue pour ce lot, avec "
                f"une note de {_points(content.winner.total)} sur 100, au regard des critères "
                "annoncés dans les documents de la consultation.",
                body,
            )
        )
    else:
        story.append(
            para("J’ai le regret de vous informer que votre offre n’est pas retenue.", body)
        )
        story += [para(reason, body) for reason in content.reasons]
        story.append(
            para(
                f"Le lot est attribué à {winner_name}, avec une note de "
                f"{_points(content.winner.total)} sur 100. Les notes de l’offre retenue et de "
                "la vôtre, critère par critère et sous-critère par sous-critère :",
                body,
            )
        )
    story += [Spacer(1, 0.2 * cm), _scores_table(content, s), Spacer(1, 0.3 * cm)]
    if content.kind == LetterKind.REJECTION and content.advantages:
        story.append(
            para(
                "Motifs du choix de l’offre retenue, ses caractéristiques et avantages relatifs "
                "(articles R2181-3 et R2181-4 du code de la commande publique) :",
                body,
            )
        )
        story += [para(f"– {name} : {text}", body) for name, text in content.advantages]
    if content.earliest_signature:
        story.append(
            para(
                "Conformément à l’article R2182-1 du code de la commande publique, le marché ne "
                f"sera pas signé avant le {format_day(content.earliest_signature)}.",
                body,
            )
        )
    else:
        story.append(
            para("Aucun délai de suspension de la signature ne s’applique à ce lot.", body)
        )
    if content.kind == LetterKind.REJECTION:
        story += [para(line, body) for line in redress(groupement, informed=content.informed)]
    story.append(
        Paragraph(
            "Je vous prie d’agréer, Madame, Monsieur, l’expression de mes salutations distinguées.",
            body,
        )
    )
    story += _signature(content, s)
    return render(
        story,
        title=content.subject,
        author=groupement.coordinator.name,
        subject=f"Courrier à {bid.bidder.name}",
        heading=Heading.of(consultation),
    )


def render_email(content: LetterContent) -> str:
    return render_to_string("emails/award_letter.txt", {"letter": content})
