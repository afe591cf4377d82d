"""Consolidation proposals, weighted totals, ranking and its sensitivity, computed in a fixed
number of queries whatever the number of bids and evaluators.

Rounding: a criterion's weighted points (score / best score × weight) are kept exact; the total
out of 100 is rounded half up to the hundredth. Equal rounded totals are ties and share a rank.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from procurement import rules as procurement_rules
from procurement.models import Bid, CandidatureState, Lot, OfferState
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


@dataclass
class LotEvaluation:
    lot: Lot
    criteria: list  # all criteria, in order
    leaves: list  # scored criteria, the price one included
    rows: list  # Row, ranked
    sheets: list  # every ScoreSheet of the lot
    means: dict  # (bid pk, criterion pk) -> (mean, spread, count)
    consolidated: dict  # (bid pk, criterion pk) -> Consolidated
    complete: bool  # every sheet submitted and every score consolidated
    # sheet pk -> [(criterion pk, value, justification)], drafts included
    scores_by_sheet: dict = field(default_factory=dict)
    # Flagged abnormally low, its justification not judged yet: the ranking may still move.
    pending_justifications: list = field(default_factory=list)

    @property
    def final(self) -> bool:
        """Complete, and nothing left to judge that could take an offer out."""
        return self.complete and not self.pending_justifications


def scorable_bids(lot):
    return list(
        Bid.objects.filter(
            lot=lot, late=False, candidature=CandidatureState.ADMITTED, offer=OfferState.REGULAR
        )
        .select_related("bidder", "lot")
        .order_by("bidder__name")
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
    for row in rows:
        points = {c.pk: Decimal(0) for c in tops}
        complete = True
        for leaf in leaves:
            score = row.scores.get(leaf.pk)
            if score is None:
                complete = False
                continue
            points[top(leaf).pk] += score / leaf.scale_max * weights[leaf.pk]
        row.parts = {pk: round_score(value) for pk, value in points.items()}
        row.total = sum(row.parts.values(), Decimal(0)) if complete and leaves else None
    return _rank(rows)


def evaluate(lot) -> LotEvaluation:
    grid = lot.grid
    criteria = list(Criterion.objects.filter(grid=grid).order_by("position"))
    leaves = _leaves(criteria)
    bids = scorable_bids(lot)
    panel = list(PanelMember.objects.filter(lot=lot))
    sheets = list(
        ScoreSheet.objects.filter(bid__lot=lot).select_related(
            "panel_member__evaluator", "bid__bidder"
        )
    )
    # Plain tuples: a lot may hold tens of thousands of scores.
    all_scores = list(
        Score.objects.filter(sheet__bid__lot=lot)
        .order_by("sheet", "criterion")
        .values_list("sheet_id", "criterion_id", "value", "justification")
    )
    submitted = {s.pk for s in sheets if s.state == SheetState.SUBMITTED}
    sheet_bid = {s.pk: s.bid_id for s in sheets}
    scores_by_sheet = defaultdict(list)
    per_pair = defaultdict(list)
    for sheet_id, criterion_id, value, justification in all_scores:
        scores_by_sheet[sheet_id].append((criterion_id, value, justification))
        if sheet_id in submitted:
            per_pair[(sheet_bid[sheet_id], criterion_id)].append(value)
    consolidated = {
        (c.bid_id, c.criterion_id): c
        for c in Consolidated.objects.filter(bid__lot=lot).select_related("set_by")
    }
    means = {
        key: (round_score(sum(vals, Decimal(0)) / len(vals)), max(vals) - min(vals), len(vals))
        for key, vals in per_pair.items()
    }
    price_leaf = next((c for c in leaves if c.is_price), None)
    prices = price_scores(
        {b.pk: b.price for b in bids if b.price is not None},
        formula=grid.price_formula,
        best=price_leaf.scale_max if price_leaf else Decimal(10),
    )
    rows = [Row(bid=b) for b in bids]
    for row in rows:
        for leaf in leaves:
            if not leaf.is_price and (row.bid.pk, leaf.pk) in consolidated:
                row.scores[leaf.pk] = consolidated[(row.bid.pk, leaf.pk)].value
        if price_leaf and row.bid.pk in prices:
            row.scores[price_leaf.pk] = prices[row.bid.pk]
    ranked = _totals(rows, criteria, leaves, effective_weights(criteria))
    # An offer excluded after it was scored (abnormally low, irregular...) keeps its sheets in
    # the record, and no longer counts: only the sheets of the ranked offers are awaited.
    ranked_bids = {b.pk for b in bids}
    expected_sheets = len(panel) * len(bids)
    submitted_sheets = sum(
        1 for s in sheets if s.state == SheetState.SUBMITTED and s.bid_id in ranked_bids
    )
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
        sheets,
        means,
        consolidated,
        complete,
        scores_by_sheet,
        _pending_justifications(lot),
    )


def _pending_justifications(lot) -> list:
    """The lot's offers flagged abnormally low whose justification is not judged yet."""
    offers = list(Bid.objects.filter(lot=lot, late=False).select_related("lot", "bidder"))
    return [
        bid
        for bid in offers
        if not bid.low_price_decision and procurement_rules.abnormally_low_reasons(bid, offers)
    ]


def rerank(base: LotEvaluation, *, formula=None, overrides=None) -> list:
    """The ranking of an evaluation under other weights or another price formula, without
    reading the database again."""
    price_leaf = next((c for c in base.leaves if c.is_price), None)
    rows = [Row(bid=r.bid, scores=dict(r.scores)) for r in base.rows]
    if price_leaf is not None:
        prices = price_scores(
            {r.bid.pk: r.bid.price for r in rows if r.bid.price is not None},
            formula=formula or base.lot.grid.price_formula,
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
    if not Grid.objects.filter(lot=lot).exists():
        return False, []
    evaluation = evaluate(lot)
    top = [c for c in evaluation.criteria if c.parent_id is None]
    rows = [
        RankedBid(row.bid, row.rank, row.total, [(c.name, row.parts[c.pk], c.weight) for c in top])
        for row in evaluation.rows
    ]
    return evaluation.complete, rows
