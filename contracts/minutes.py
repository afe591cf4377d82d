"""The procès-verbal of the award decision, as PDF (core.documents): the meeting of the tender
committee (date, members present, quorum) or the coordinator's decision, and what was decided
for each lot, with a signature block."""

from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from contracts.choices import DecidingBody
from core.documents import Heading, para, render, styles, table
from core.formats import format_day, format_moment, format_points
from procurement.choices import LotOutcome

OUTCOMES = {
    LotOutcome.UNSUCCESSFUL: "déclaré infructueux",
    LotOutcome.CANCELLED: "déclaré sans suite",
}


def title_of(decision) -> str:
    if decision.body == DecidingBody.COMMITTEE:
        return "Procès-verbal de la commission d’appel d’offres"
    return "Procès-verbal de la décision d’attribution du coordonnateur"


def _lots(consultation, s) -> list:
    rows = [["Lot", "Décision", "Rang", "Note (sur 100)"]]
    for lot in consultation.lots.select_related("award__bid__bidder").order_by("number"):
        award = getattr(lot, "award", None)
        name = para(f"{lot.number}. {lot.title}", s["BodyText"])
        if award is not None:
            decided = f"attribué à {award.bid.bidder} ({award.bid.bidder.identifier})"
            if award.reason:
                decided += f" — motif du choix d’une offre autre que la première : {award.reason}"
            rows.append(
                [name, para(decided, s["BodyText"]), str(award.rank), format_points(award.total)]
            )
        else:
            outcome = OUTCOMES.get(lot.outcome, "sans décision")
            reason = f" : {lot.outcome_reason}" if lot.outcome_reason else ""
            rows.append([name, para(outcome + reason, s["BodyText"]), "—", "—"])
    return [table(rows, widths=[5 * cm, 8.5 * cm, 1.3 * cm, 2.2 * cm], numbers=(2, 3))]


def _count(n, one, many):
    return f"{n} {one if n <= 1 else many}"


def _vote(decision, body):
    if decision.votes_for is None:  # recorded before the votes were
        return []
    how = (
        "le partage égal des voix étant tranché par la voix prépondérante du président"
        if decision.casting_vote
        else "à la majorité des voix des membres présents"
    )
    return [
        para(
            f"Vote : {decision.votes_for} voix pour, {decision.votes_against} voix contre, "
            f"{_count(decision.abstentions, 'abstention', 'abstentions')}. "
            f"La décision d’attribution est adoptée, {how}.",
            body,
        )
    ]


def render_minutes(consultation, decision) -> bytes:
    s = styles()
    body = s["BodyText"]
    groupement = consultation.groupement
    title = title_of(decision)
    committee = decision.body == DecidingBody.COMMITTEE
    story = [
        Paragraph(title, s["Title"]),
        para(f"{consultation.reference} — {consultation.title}", s["Heading2"]),
        para(
            f"Groupement de commandes « {groupement.name} » — coordonnateur : "
            f"{groupement.coordinator}",
            body,
        ),
        para(
            f"{'Séance' if committee else 'Décision'} du {format_day(decision.decided_on)}"
            + (
                f" (tour d’attribution n° {decision.award_round})"
                if decision.award_round > 1
                else ""
            ),
            body,
        ),
    ]
    # Each named « Prénom Nom (ORG) »: their organisations read with them, in one query.
    present = sorted(
        decision.present.select_related("organisation"), key=lambda u: (u.last_name, u.first_name)
    )
    if committee:
        reached = len(present) >= (decision.quorum or 0)
        story += [
            Paragraph("Membres présents", s["Heading3"]),
            *[para(f"– {member}", body) for member in present],
            para(
                f"Quorum : {_count(decision.quorum, 'membre requis', 'membres requis')}, "
                f"{_count(len(present), 'présent', 'présents')} : "
                + (
                    "le quorum est atteint, la commission peut valablement délibérer."
                    if reached
                    else "le quorum n’est pas atteint."
                ),
                body,
            ),
            *_vote(decision, body),
        ]
    story += [Paragraph("Décision", s["Heading3"]), *_lots(consultation, s)]
    if decision.minutes:
        story += [Paragraph("Observations", s["Heading3"]), para(decision.minutes, body)]
    story.append(
        para(
            f"Enregistré par {decision.recorded_by}, le {format_moment(decision.recorded_at)}.",
            s["Italic"],
        )
    )
    if committee:
        # The chair signs only if present; otherwise whoever presided writes their name.
        chair = groupement.committee_chair if groupement.committee_chair in present else None
        signers = [
            ["Le président de la commission", "Les membres présents"],
            [
                para(str(chair) if chair else "Nom :", body),
                para(" ; ".join(str(m) for m in present) or "—", body),
            ],
            ["Signature :", "Signatures :"],
        ]
    else:
        signers = [
            ["Pour le coordonnateur", ""],
            [para(", ".join(groupement.signatory) or "Nom et qualité :", body), ""],
            ["Signature :", ""],
        ]
    story += [
        Spacer(1, 0.5 * cm),
        KeepTogether(
            [
                table(
                    signers,
                    widths=[8.5 * cm, 8.5 * cm],
                    extra=[("BOTTOMPADDING", (0, 2), (-1, 2), 40)],
                )
            ]
        ),
    ]
    return render(
        story,
        title=title,
        author=groupement.coordinator.name,
        subject=f"{consultation.reference} — décision d’attribution",
        heading=Heading.of(consultation),
    )
