"""What the consolidation page shows: an overview of the lot (each evaluator's progress, each
offer's consolidated scores and spreads), then one offer at a time with its evaluators' scores.

A large lot has 200 offers, 30 criteria and 15 evaluators: its 6 000 (offer, criterion) pairs
are summed up per offer, and the 90 000 individual scores are read for one offer only.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from scoring.models import PanelMember, Score, ScoreSheet, SheetState
from scoring.ranking import means_of, scorable_bids_of


@dataclass
class OfferSummary:
    row: object  # scoring.ranking.Row
    consolidated: int  # criteria consolidated, out of the scored criteria
    flagged: int  # criteria whose spread between evaluators is above the alert
    widest: Decimal | None  # the widest spread


@dataclass
class EvaluatorProgress:
    evaluator: object
    submitted: int
    expected: int


@dataclass
class Cell:
    """One criterion of the offer under consolidation."""

    criterion: object
    mean: Decimal | None
    spread: Decimal | None
    flagged: bool
    consolidated: object  # scoring.ranking.Note or None
    scores: list = field(default_factory=list)  # (evaluator, value, justification, sheet pk)


def _scored(evaluation) -> list:
    return [c for c in evaluation.leaves if not c.is_price]


def offers(evaluation, alert) -> list[OfferSummary]:
    scored = _scored(evaluation)
    summaries = []
    for row in evaluation.rows:
        spreads = [
            evaluation.means[(row.bid.pk, c.pk)][1]
            for c in scored
            if (row.bid.pk, c.pk) in evaluation.means
        ]
        summaries.append(
            OfferSummary(
                row,
                sum(1 for c in scored if (row.bid.pk, c.pk) in evaluation.consolidated),
                sum(1 for spread in spreads if spread > alert),
                max(spreads, default=None),
            )
        )
    return summaries


def submitted_by_seat(lot) -> dict:
    """panel member pk -> its sheets submitted for the ranked offers, counted by the database:
    a large lot has thousands of sheets."""
    return dict(
        ScoreSheet.objects.filter(bid__in=scorable_bids_of([lot]), state=SheetState.SUBMITTED)
        .order_by()
        .values("panel_member")
        .annotate(sheets=Count("pk"))
        .values_list("panel_member", "sheets")
    )


def evaluators(evaluation) -> list[EvaluatorProgress]:
    """Each evaluator's submitted sheets among the ranked offers'."""
    counts = submitted_by_seat(evaluation.lot)
    panel = PanelMember.objects.filter(lot=evaluation.lot).select_related("evaluator__organisation")
    return [
        EvaluatorProgress(seat.evaluator, counts.get(seat.pk, 0), len(evaluation.rows))
        for seat in panel.order_by("evaluator__last_name", "evaluator__first_name", "pk")
    ]


def offer_cells(evaluation, bid, alert) -> list[Cell]:
    """The offer's scored criteria, each with its mean, spread, consolidated score and the
    evaluators' scores and justifications (drafts included, marked by the sheet's state)."""
    cells = {}
    means = means_of(evaluation.lot, bid)
    for criterion in _scored(evaluation):
        mean = means.get((bid.pk, criterion.pk))
        cells[criterion.pk] = Cell(
            criterion,
            mean[0] if mean else None,
            mean[1] if mean else None,
            bool(mean and mean[1] > alert),
            evaluation.consolidated.get((bid.pk, criterion.pk)),
        )
    seats = {
        seat.pk: seat.evaluator
        for seat in PanelMember.objects.filter(lot=evaluation.lot).select_related(
            "evaluator__organisation"
        )
    }
    scores = (
        Score.objects.filter(sheet__bid=bid)
        .order_by("sheet__panel_member__evaluator__last_name", "sheet__panel_member")
        .values_list(
            "criterion_id",
            "sheet__panel_member_id",
            "value",
            "justification",
            "sheet_id",
            "sheet__state",
        )
    )
    for criterion, seat, value, justification, sheet, state in scores:
        if criterion in cells and seat in seats:
            cells[criterion].scores.append(
                (seats[seat], value, justification, sheet, state == SheetState.SUBMITTED)
            )
    return list(cells.values())
