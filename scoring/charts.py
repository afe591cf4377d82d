"""The pictures of a lot's evaluation, each with its text alternative (the same figures as a
table): the ranking as bars stacked by top-level criterion, the evaluators' marks of each
criterion beside the consolidated score, and each offer's total against the price weight.

The figures are those of the ranking (scoring.ranking): the pictures compute nothing of their
own but the totals under another price weight, which rerank() would give (tested).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing

from core import charts
from core.formats import format_number
from scoring.models import Score, SheetState
from scoring.ranking import spread_alert, top_of

CHART_BIDS = 20  # the offers drawn: the best ranked; the tables of the page give them all
LINES = 5  # the offers drawn against the price weight, and whoever would take the first place
HUNDRED = Decimal(100)


RANKING, MARKS, PRICE_WEIGHT = "ranking", "marks", "price weight"


@dataclass
class Figure:
    kind: str
    title: str
    summary: str  # what the picture shows, in one sentence: the image's alternative text
    columns: list[str]
    rows: list[list[str]]  # the same figures as the picture, formatted
    draw: Callable[[str], Drawing]  # the picture, its words in the given font
    values: list  # the numbers drawn, for those who check them against the ranking


def _number(value) -> str:
    return "—" if value is None else format_number(value, 2)


def _drawn(evaluation) -> list:
    return [row for row in evaluation.rows if row.total is not None][:CHART_BIDS]


def _names(rows) -> list[str]:
    return [f"{row.rank}. {row.bid.bidder.name}" for row in rows]


def ranking_figure(evaluation) -> Figure | None:
    rows = _drawn(evaluation)
    if not rows:
        return None
    tops = [c for c in evaluation.criteria if c.parent_id is None]
    series = [(f"{c.name} ({c.weight.normalize():f})", [r.parts[c.pk] for r in rows]) for c in tops]
    totals = [row.total for row in rows]
    return Figure(
        kind=RANKING,
        title=_("Ranking by top-level criterion"),
        summary=_(
            "Horizontal bars, one per offer in ranking order, stacked by top-level criterion; "
            "the total out of 100 at the end of each bar."
        ),
        columns=[_("Rank"), _("Bidder"), *(name for name, _values in series), _("Total")],
        rows=[
            [
                str(row.rank),
                row.bid.bidder.name,
                *(_number(row.parts[c.pk]) for c in tops),
                _number(row.total),
            ]
            for row in rows
        ],
        draw=lambda font: charts.stacked_bars(
            _names(rows), series, maximum=HUNDRED, totals=totals, font=font
        ),
        values=[(row.bid.pk, [row.parts[c.pk] for c in tops], row.total) for row in rows],
    )


def _marks(evaluation, rows, criteria) -> dict:
    """(bid pk, criterion pk) -> the marks of the submitted sheets, evaluator by evaluator,
    never naming them."""
    marks: dict = defaultdict(list)
    scores = (
        Score.objects.filter(
            sheet__bid__in=[row.bid for row in rows],
            sheet__state=SheetState.SUBMITTED,
            criterion__in=criteria,
        )
        .order_by("sheet__panel_member_id")
        .values_list("sheet__bid_id", "criterion_id", "value")
    )
    for bid, criterion, value in scores:
        marks[bid, criterion].append(value)
    return marks


def _dots(labels, marks, centres, maximum, flagged) -> Callable[[str], Drawing]:
    def draw(font: str) -> Drawing:
        names = (_("an evaluator’s mark"), _("consolidated score"))
        return charts.dot_rows(
            labels, marks, centres, maximum=maximum, flagged=flagged, names=names, font=font
        )

    return draw


def marks_figures(evaluation) -> list[Figure]:
    """One picture per criterion scored by the evaluators: a spread above the alert is
    written in red."""
    rows = _drawn(evaluation)
    criteria = [leaf for leaf in evaluation.leaves if not leaf.is_price]
    if not rows or not criteria:
        return []
    marks = _marks(evaluation, rows, criteria)
    alert = spread_alert()
    figures = []
    for criterion in criteria:
        drawn = [marks[row.bid.pk, criterion.pk] for row in rows]
        centres = [
            note.value
            if (note := evaluation.consolidated.get((row.bid.pk, criterion.pk)))
            else None
            for row in rows
        ]
        spreads = [max(m) - min(m) if m else None for m in drawn]
        flagged = [spread is not None and spread > alert for spread in spreads]
        figures.append(
            Figure(
                kind=MARKS,
                title=_("Marks of the evaluators: %(criterion)s (out of %(scale)s)")
                % {"criterion": criterion.name, "scale": f"{criterion.scale_max.normalize():f}"},
                summary=_(
                    "For each offer, a dot per evaluator's mark and a bar at the consolidated "
                    "score; an offer whose marks spread by more than %(alert)s points is "
                    "written in red."
                )
                % {"alert": format_number(alert, 1)},
                columns=[
                    _("Bidder"),
                    _("Marks of the evaluators"),
                    _("Spread"),
                    _("Consolidated score"),
                ],
                rows=[
                    [
                        row.bid.bidder.name,
                        " ; ".join(_number(v) for v in m) or "—",
                        _number(spread),
                        _number(centre),
                    ]
                    for row, m, spread, centre in zip(rows, drawn, spreads, centres, strict=True)
                ],
                draw=_dots(_names(rows), drawn, centres, criterion.scale_max, flagged),
                values=[
                    (row.bid.pk, m, centre)
                    for row, m, centre in zip(rows, drawn, centres, strict=True)
                ],
            )
        )
    return figures


@dataclass(frozen=True)
class PriceWeight:
    """Each ranked offer's total as the price weight goes from 0 to 100, the other top-level
    weights rescaled to the rest (as the sensitivity rescales them): a straight line through
    its total at the grid's weight, since each part is proportional to its weight."""

    weight: Decimal  # the price criterion's weight in the grid
    price: dict  # bid pk -> the points of the price criterion at that weight
    other: dict  # bid pk -> the points of the other criteria

    def total(self, bid_pk, weight) -> Decimal:
        return self.price[bid_pk] * weight / self.weight + self.other[bid_pk] * (
            HUNDRED - weight
        ) / (HUNDRED - self.weight)

    def crossing(self, first, other) -> Decimal | None:
        """The weight at which `other`'s total equals `first`'s, if their lines cross."""
        slope = (self.price[first] - self.price[other]) / self.weight
        rest = (self.other[first] - self.other[other]) / (HUNDRED - self.weight)
        if slope == rest:
            return None
        return HUNDRED * rest / (rest - slope)

    def changes(self, first) -> tuple[tuple | None, tuple | None]:
        """The nearest weights below and above the grid's at which another offer's line
        crosses the first's, each as (weight, that offer's pk): where the first place
        changes."""
        below = above = None
        for other in self.price:
            at = self.crossing(first, other) if other != first else None
            if at is None:
                continue
            if self.weight < at <= HUNDRED and (above is None or at < above[0]):
                above = (at, other)
            if 0 <= at < self.weight and (below is None or at > below[0]):
                below = (at, other)
        return below, above


def price_weight(evaluation) -> PriceWeight | None:
    price_leaf = next((c for c in evaluation.leaves if c.is_price), None)
    rows = [row for row in evaluation.rows if row.total is not None]
    if price_leaf is None or len(rows) < 2:
        return None
    top = top_of(evaluation.criteria)(price_leaf)
    if not 0 < top.weight < HUNDRED:
        return None
    return PriceWeight(
        top.weight,
        {row.bid.pk: row.parts[top.pk] for row in rows},
        {row.bid.pk: row.total - row.parts[top.pk] for row in rows},
    )


def sensitivity_figure(evaluation) -> Figure | None:
    model = price_weight(evaluation)
    if model is None:
        return None
    ranked = [row for row in evaluation.rows if row.total is not None]
    first = ranked[0]
    names = {row.bid.pk: row.bid.bidder.name for row in ranked}
    below, above = model.changes(first.bid.pk)
    shown = [row.bid.pk for row in ranked[:LINES]]
    shown += [change[1] for change in (below, above) if change and change[1] not in shown]
    weights = sorted(
        {Decimal(w) for w in range(0, 101, 10)}
        | {model.weight}
        | {change[0] for change in (below, above) if change}
    )
    markers = [(model.weight, _("grid: %(w)s %%") % {"w": _number(model.weight)}, False)]
    for change in (below, above):
        if change:
            markers.append(
                (
                    change[0],
                    _("%(w)s %%: %(bidder)s first")
                    % {"w": _number(change[0]), "bidder": names[change[1]][:24]},
                    True,
                )
            )
    values = [[model.total(pk, w) for w in weights] for pk in shown]
    ends = [model.total(pk, w) for pk in shown for w in (Decimal(0), HUNDRED)]
    low = Decimal(int(min(ends) // 10 * 10))
    high = Decimal(int(-(-max(ends) // 10) * 10)) or HUNDRED
    if below is None and above is None:
        reading = _("The first place holds whatever the price weight.")
    else:
        reading = _("The first place changes at: %(changes)s.") % {
            "changes": " ; ".join(label for _w, label, alert in markers if alert)
        }
    return Figure(
        kind=PRICE_WEIGHT,
        title=_("Totals against the price weight"),
        summary=_(
            "Lines of the total out of 100 of the best ranked offers as the price weight goes "
            "from 0 to 100 points, the other weights rescaled to the rest; a vertical line at "
            "the grid’s weight and at each weight where the first place changes."
        )
        + " "
        + reading,
        columns=[_("Price weight (%)"), *(names[pk] for pk in shown)],
        rows=[
            [_number(w), *(_number(values[i][j]) for i in range(len(shown)))]
            for j, w in enumerate(weights)
        ],
        draw=lambda font: charts.lines(
            weights,
            [(names[pk], line) for pk, line in zip(shown, values, strict=True)],
            low=low,
            high=high,
            markers=markers,
            font=font,
        ),
        values=[
            (pk, dict(zip(weights, line, strict=True)))
            for pk, line in zip(shown, values, strict=True)
        ],
    )


def figures(evaluation, *, individual: bool) -> list[Figure]:
    """The pictures of the evaluation; the evaluators' marks only for who may read the
    individual sheets."""
    found = [ranking_figure(evaluation)]
    if individual:
        found += marks_figures(evaluation)
    found.append(sensitivity_figure(evaluation))
    return [figure for figure in found if figure is not None]
