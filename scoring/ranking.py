"""Consolidation proposals, weighted totals, ranking and its sensitivity, computed in a fixed
number of queries whatever the number of bids and evaluators.

Rounding: a criterion's weighted points (score / best score × weight) are kept exact; the total
out of 100 is rounded half up to the hundredth. Equal rounded totals are ties and share a rank.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import Count, DecimalField, Max, Min, Sum

from journal.memo import remembered
from procurement.models import Bid, CandidatureState, Lot, OfferState
from procurement.selectors import unjudged_low_prices
from scoring.models import (
    Consolidated,
    Criterion,
    Grid,
    PanelMember,
    PriceFormula,
    Score,
    ScoreSheet,
    SheetState,
)
from scoring.price import FORMULAS, price_scores, round_score

SENSITIVITY_POINTS = Decimal(5)


@dataclass
class Row:
    bid: Bid
    scores: dict = field(default_factory=dict)  # criterion pk -> exact score on its scale
    # top-level criterion pk -> its points, rounded once: the figures every document shows
    parts: dict = field(default_factory=dict)
    total: Decimal | None = None  # the sum of the parts, once every leaf is scored
    rank: int | None = None


@dataclass(frozen=True)
class Note:
    """A consolidated score, as the pages and documents read it."""

    value: Decimal
    justification: str


@dataclass
class LotEvaluation:
    lot: Lot
    criteria: list  # all criteria, in order
    leaves: list  # scored criteria, the price one included
    rows: list  # Row, ranked
    consolidated: dict  # (bid pk, criterion pk) -> Note
    expected_sheets: int  # one per evaluator and ranked bid
    submitted_sheets: int  # of the ranked bids
    complete: bool  # every sheet submitted and every score consolidated
    # Flagged abnormally low, its justification not judged yet: the ranking may still move.
    pending_justifications: list = field(default_factory=list)

    @cached_property
    def means(self) -> dict:
        """(bid pk, criterion pk) -> (mean, spread, count) of the submitted sheets, read when
        asked: the ranking does not need them."""
        return means_of(self.lot)

    @cached_property
    def changes(self) -> list[str]:
        """sensitivity() of this evaluation, computed once for all who read it."""
        return sensitivity(self.lot, self)

    @property
    def final(self) -> bool:
        """Complete, and nothing left to judge that could take an offer out."""
        return self.complete and not self.pending_justifications


def scorable_bids_of(lots):
    """The offers of `lots` that are scored and ranked: on time, admitted candidates, regular
    offers."""
    return Bid.objects.filter(
        lot__in=lots, late=False, candidature=CandidatureState.ADMITTED, offer=OfferState.REGULAR
    )


def scorable_bids(lot):
    return list(
        scorable_bids_of([lot]).select_related("bidder", "lot").order_by("bidder__name", "pk")
    )


def _leaves(criteria):
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


def top_of(criteria):
    """top(criterion) -> the top-level criterion it belongs to, among `criteria`."""
    by_pk = {c.pk: c for c in criteria}

    def top(criterion):
        while criterion.parent_id:
            criterion = by_pk[criterion.parent_id]
        return criterion

    return top


def effective_weights(criteria, overrides=None) -> dict:
    """Each leaf's points, after a top-level weight change rescaling the others to 100."""
    overrides = overrides or {}
    top = top_of(criteria)
    top_weights = {c.pk: c.weight for c in criteria if c.parent_id is None}
    top_weights.update(overrides)
    weights = {}
    for leaf in _leaves(criteria):
        root = top(leaf)
        # A leaf keeps its share of its top-level ancestor's points.
        weights[leaf.pk] = leaf.weight * top_weights[root.pk] / root.weight
    return weights


def rescaled(criteria, moved, delta) -> dict:
    top = [c for c in criteria if c.parent_id is None]
    new = moved.weight + delta
    others = sum((c.weight for c in top if c.pk != moved.pk), Decimal(0))
    factor = (Decimal(100) - new) / others if others else Decimal(0)
    return {c.pk: new if c.pk == moved.pk else c.weight * factor for c in top}


def _rank(rows):
    ranked = sorted(
        rows, key=lambda r: (-(r.total if r.total is not None else Decimal(-1)), r.bid.bidder.name)
    )
    previous, rank = None, 0
    for position, row in enumerate(ranked, start=1):
        if row.total is None:
            row.rank = None
            continue
        if row.total != previous:
            rank, previous = position, row.total
        row.rank = rank
    return ranked


def _totals(rows, criteria, leaves, weights):
    """Each row's points per top-level criterion, computed exactly and rounded once; the total
    is their sum, so that every row of every document adds up."""
    top = top_of(criteria)
    tops = [c for c in criteria if c.parent_id is None]
    # Looked up once, not once per bid: a large lot has hundreds of bids and dozens of leaves.
    terms = [(leaf.pk, top(leaf).pk, leaf.scale_max, weights[leaf.pk]) for leaf in leaves]
    for row in rows:
        points = {c.pk: Decimal(0) for c in tops}
        complete = True
        for leaf_pk, top_pk, scale_max, weight in terms:
            score = row.scores.get(leaf_pk)
            if score is None:
                complete = False
                continue
            points[top_pk] += score / scale_max * weight
        row.parts = {pk: round_score(value) for pk, value in points.items()}
        row.total = sum(row.parts.values(), Decimal(0)) if complete and leaves else None
    return _rank(rows)


def means_of(lot, bid=None) -> dict:
    """(bid pk, criterion pk) -> (mean, spread, count) of the submitted sheets' scores, of the
    lot or of one of its bids, added up by the database: a large lot holds tens of thousands of
    scores, and a few thousand pairs."""
    scores = Score.objects.filter(sheet__bid__lot=lot, sheet__state=SheetState.SUBMITTED)
    if bid is not None:
        scores = scores.filter(sheet__bid=bid)
    pairs = (
        scores.order_by()
        .values_list("sheet__bid_id", "criterion_id")
        # Wide enough for the sum of many scores of up to 999,99.
        .annotate(
            Sum("value", output_field=DecimalField(max_digits=12, decimal_places=2)),
            Count("pk"),
            Max("value"),
            Min("value"),
        )
    )
    return {
        (bid, criterion): (round_score(total / count), high - low, count)
        for bid, criterion, total, count, high, low in pairs
    }


def evaluate(lot) -> LotEvaluation:
    """The lot's ranking from its consolidated scores and prices (see evaluate_lots)."""
    evaluations = evaluate_lots([lot])
    if lot.pk not in evaluations:
        raise Grid.DoesNotExist(f"{lot} has no criteria grid.")
    return evaluations[lot.pk]


def _by_lot(pairs) -> dict:
    grouped: dict = defaultdict(list)
    for lot_pk, item in pairs:
        grouped[lot_pk].append(item)
    return grouped


def evaluate_lots(lots) -> dict:
    """lot pk -> the evaluation of each of `lots` that has a grid, in a fixed number of queries
    whatever the number of lots, bids, criteria and evaluators: the individual scores are not
    read (means_of and individual_scores read them where they are shown).

    Kept until the journal's next entry (journal.memo): the pages of a lot read the same
    evaluation, which its readers never change."""
    lots = list(lots)
    return remembered(("evaluations", *sorted(lot.pk for lot in lots)), lambda: _evaluate(lots))


def final_lots(lots) -> frozenset:
    """The pks of `lots` whose ranking is final: every sheet submitted, every score
    consolidated, no abnormally low price left to judge. Their winner may be proposed."""
    lots = list(lots)
    if not lots:
        return frozenset()
    return frozenset(pk for pk, evaluation in evaluate_lots(lots).items() if evaluation.final)


def _evaluate(lots) -> dict:
    grids = {grid.lot_id: grid for grid in Grid.objects.filter(lot__in=lots)}
    lot_of_grid = {grid.pk: lot_pk for lot_pk, grid in grids.items()}
    criteria = _by_lot(
        (lot_of_grid[c.grid_id], c)
        for c in Criterion.objects.filter(grid__in=list(grids.values())).order_by("position")
    )
    bids = _by_lot(
        (bid.lot_id, bid)
        for bid in scorable_bids_of(lots).select_related("bidder", "lot").order_by("bidder__name")
    )
    consolidated = _by_lot(
        (lot_pk, ((bid, criterion), Note(value, justification)))
        for lot_pk, bid, criterion, value, justification in Consolidated.objects.filter(
            bid__lot__in=lots
        ).values_list("bid__lot_id", "bid_id", "criterion_id", "value", "justification")
    )
    panels = dict(
        PanelMember.objects.filter(lot__in=lots)
        .order_by()
        .values("lot")
        .annotate(seats=Count("pk"))
        .values_list("lot", "seats")
    )
    # An offer excluded after it was scored (abnormally low, irregular...) keeps its sheets in
    # the record, and no longer counts: only the sheets of the ranked offers are awaited.
    submitted = dict(
        ScoreSheet.objects.filter(bid__in=scorable_bids_of(lots), state=SheetState.SUBMITTED)
        .order_by()
        .values("bid__lot")
        .annotate(sheets=Count("pk"))
        .values_list("bid__lot", "sheets")
    )
    pending = _pending_justifications(lots)
    evaluations = {}
    for lot in lots:
        if lot.pk not in grids:
            continue
        lot.grid = grids[lot.pk]
        evaluations[lot.pk] = _evaluation(
            lot,
            criteria[lot.pk],
            bids[lot.pk],
            dict(consolidated[lot.pk]),
            expected_sheets=panels.get(lot.pk, 0) * len(bids[lot.pk]),
            submitted_sheets=submitted.get(lot.pk, 0),
            pending=pending[lot.pk],
        )
    return evaluations


def _evaluation(lot, criteria, bids, consolidated, *, expected_sheets, submitted_sheets, pending):
    leaves = _leaves(criteria)
    price_leaf = next((c for c in leaves if c.is_price), None)
    prices = price_scores(
        {b.pk: b.price for b in bids if b.price is not None},
        formula=lot.grid.price_formula,
        best=price_leaf.scale_max if price_leaf else Decimal(10),
    )
    rows = [Row(bid=b) for b in bids]
    scored = [leaf.pk for leaf in leaves if not leaf.is_price]
    for row in rows:
        bid = row.bid.pk
        for leaf in scored:
            note = consolidated.get((bid, leaf))
            if note is not None:
                row.scores[leaf] = note.value
        if price_leaf and bid in prices:
            row.scores[price_leaf.pk] = prices[bid]
    ranked = _totals(rows, criteria, leaves, effective_weights(criteria))
    complete = (
        expected_sheets > 0
        and submitted_sheets == expected_sheets
        and all(r.total is not None for r in ranked)
    )
    return LotEvaluation(
        lot,
        criteria,
        leaves,
        ranked,
        consolidated,
        expected_sheets,
        submitted_sheets,
        complete,
        pending,
    )


def individual_scores(lot, *, only_for=None) -> list[tuple]:
    """Every score of every sheet of the lot, drafts included, or only `only_for`'s, as
    (evaluator, bidder, criterion pk, value, justification, sheet state), in the order of the
    evaluators, the bidders and the criteria: read only by the exports that show them."""
    panel = PanelMember.objects.filter(lot=lot).select_related("evaluator__organisation")
    if only_for is not None:
        panel = panel.filter(evaluator=only_for)
    evaluators = {seat.pk: str(seat.evaluator) for seat in panel}
    # Translated once, not once per score.
    states = {value: str(label) for value, label in SheetState.choices}
    scores = (
        Score.objects.filter(sheet__panel_member__in=list(evaluators))
        .order_by("sheet__panel_member", "sheet__bid__bidder__name", "criterion__position")
        .values_list(
            "sheet__panel_member_id",
            "sheet__bid__bidder__name",
            "criterion_id",
            "value",
            "justification",
            "sheet__state",
        )
    )
    return [
        (evaluators[seat], bidder, criterion, value, justification, states[state])
        for seat, bidder, criterion, value, justification, state in scores.iterator(chunk_size=5000)
    ]


def _pending_justifications(lots) -> dict:
    """lot pk -> its offers flagged abnormally low whose justification is not judged yet."""
    return _by_lot((bid.lot_id, bid) for bid in unjudged_low_prices(lots))


def rerank(base: LotEvaluation, *, formula=None, overrides=None) -> list:
    """The ranking of an evaluation under other weights or another price formula, without
    reading the database again."""
    price_leaf = next((c for c in base.leaves if c.is_price), None)
    rows = [Row(bid=r.bid, scores=dict(r.scores)) for r in base.rows]
    # Under the lot's own formula the price scores are the evaluation's: not computed again.
    if price_leaf is not None and formula not in (None, base.lot.grid.price_formula):
        prices = price_scores(
            {r.bid.pk: r.bid.price for r in rows if r.bid.price is not None},
            formula=formula,
            best=price_leaf.scale_max,
        )
        for row in rows:
            if row.bid.pk in prices:
                row.scores[price_leaf.pk] = prices[row.bid.pk]
    weights = effective_weights(base.criteria, overrides)
    return _totals(rows, base.criteria, base.leaves, weights)


def spread_alert() -> Decimal:
    return Decimal(settings.SCORE_SPREAD_ALERT)


def winners(rows) -> set:
    return {r.bid.pk for r in rows if r.rank == 1}


def sensitivity(lot, evaluation=None) -> list[str]:
    """The scenarios under which the first place changes; empty when it holds.

    Totals are linear in a weight change, so the first place holds for every change between
    −5 and +5 points as soon as it holds at both ends: only the ends are computed.
    """
    base = evaluation or evaluate(lot)
    first = winners(base.rows)
    if not first:
        return []
    changes = []
    top = [c for c in base.criteria if c.parent_id is None]
    for criterion in top:
        for delta in (-SENSITIVITY_POINTS, SENSITIVITY_POINTS):
            if not 0 < criterion.weight + delta < 100:
                continue
            moved = rerank(base, overrides=rescaled(base.criteria, criterion, delta))
            if winners(moved) != first:
                changes.append(f"{criterion.name} {'+' if delta > 0 else '−'}5 points")
    for formula in FORMULAS:
        if formula != lot.grid.price_formula and winners(rerank(base, formula=formula)) != first:
            changes.append(str(PriceFormula(formula).label))
    return changes


@dataclass
class RankedBid:
    """A bid as the award reads the evaluation."""

    bid: Bid
    rank: int | None
    total: Decimal | None
    details: list  # (top-level criterion name, points, out of)


def lot_ranking(lot) -> tuple[bool, list[RankedBid]]:
    """For the award: whether the evaluation is complete, and the bids in ranking order with
    their points per top-level criterion."""
    return lots_ranking([lot])[lot.pk]


def lots_ranking(lots) -> dict[int, tuple[bool, list[RankedBid]]]:
    """lot_ranking of each of `lots`, in a fixed number of queries; a lot without a grid is
    incomplete and ranks nothing."""
    lots = list(lots)
    evaluations = evaluate_lots(lots)
    rankings: dict[int, tuple[bool, list[RankedBid]]] = {}
    for lot in lots:
        evaluation = evaluations.get(lot.pk)
        if evaluation is None:
            rankings[lot.pk] = (False, [])
            continue
        rankings[lot.pk] = (evaluation.complete, ranked_bids(evaluation))
    return rankings


def ranked_bids(evaluation) -> list[RankedBid]:
    """The bids of an evaluation in ranking order, with their points per top-level criterion."""
    top = [c for c in evaluation.criteria if c.parent_id is None]
    return [
        RankedBid(row.bid, row.rank, row.total, [(c.name, row.parts[c.pk], c.weight) for c in top])
        for row in evaluation.rows
    ]
