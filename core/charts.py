"""Charts drawn on the server with reportlab's graphics: the same drawing is a vector picture
in a PDF and an SVG image on a page. No JavaScript: a page shows the SVG as an image (it can
run nothing) beside a table of the same figures, its text alternative.

Each function draws from plain figures (labels and numbers); what the figures mean is the
business of the caller. Colours are the Okabe-Ito palette, told apart by colour-blind readers.
"""

import base64
from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors

from core.formats import format_number

PALETTE = [
    colors.HexColor(code)
    for code in ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
]
GRID = colors.HexColor("#BBBBBB")
MARK = colors.HexColor("#555555")
ALERT = colors.HexColor("#B00020")
WIDTH = 720
LABELS = 210  # the column of row labels, on the left
ROW = 20
FONT_SIZE = 8


def _short(label: str, size: int = 38) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def _number(value, places: int = 2) -> str:
    return format_number(value, places).replace("\u202f", "\u00a0")


class _Canvas:
    """A drawing and the font its words are written in (embedded in a PDF, a family the
    browser has for an SVG)."""

    def __init__(self, height: float, font: str):
        # Its initial font too: a PDF would otherwise carry a Helvetica it never writes in.
        self.drawing = Drawing(WIDTH, height, initialFontName=font)
        self.font = font

    def text(self, x, y, value, *, anchor="start", size=FONT_SIZE, color=colors.black):
        self.drawing.add(
            String(
                x,
                y,
                value,
                fontName=self.font,
                fontSize=size,
                textAnchor=anchor,
                fillColor=color,
            )
        )

    def line(self, x1, y1, x2, y2, *, color=GRID, width=0.5, dash=None):
        self.drawing.add(
            Line(x1, y1, x2, y2, strokeColor=color, strokeWidth=width, strokeDashArray=dash)
        )

    def legend(self, y, entries):
        """A row of (colour, name) swatches at height `y`."""
        x = LABELS
        for color, name in entries:
            self.drawing.add(Rect(x, y, 8, 8, fillColor=color, strokeColor=None))
            self.text(x + 11, y + 1, _short(name, 30))
            x += 24 + 5 * len(_short(name, 30))

    def scale(self, x0, x1, y, top, maximum, *, step, suffix=""):
        """Vertical grid lines from `y` to `top` and their values under the axis."""
        value = Decimal(0)
        while value <= maximum:
            x = x0 + (x1 - x0) * float(value / maximum)
            self.line(x, y, x, top)
            self.text(x, y - 10, _number(value, 0) + suffix, anchor="middle")
            value += step


def stacked_bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    *,
    maximum,
    totals: Sequence,
    font: str,
) -> Drawing:
    """One horizontal bar per label, stacked from the values of each series, its total written
    at its end. `series` is [(name, [value per label])]."""
    height = 50 + ROW * len(labels) + 20
    canvas = _Canvas(height, font)
    x0, x1 = LABELS, WIDTH - 50
    top = height - 30
    canvas.legend(height - 14, [(PALETTE[i % 7], name) for i, (name, _) in enumerate(series)])
    canvas.scale(x0, x1, 20, top, Decimal(maximum), step=Decimal(maximum) / 10)
    for index, label in enumerate(labels):
        y = top - ROW * (index + 1) + 4
        canvas.text(x0 - 6, y + 4, _short(label), anchor="end")
        x: float = x0
        for number, (_, values) in enumerate(series):
            width = (x1 - x0) * float(values[index] / maximum)
            canvas.drawing.add(
                Rect(x, y, width, ROW - 8, fillColor=PALETTE[number % 7], strokeColor=None)
            )
            x += width
        canvas.text(x + 4, y + 4, _number(totals[index]))
    return canvas.drawing


def dot_rows(
    labels: Sequence[str],
    marks: Sequence[Sequence],
    centres: Sequence,
    *,
    maximum,
    flagged: Sequence[bool],
    names: tuple[str, str],
    font: str,
) -> Drawing:
    """Per label, a dot for each of its marks and a bar at its centre value, on a scale from 0
    to `maximum`; a flagged row is written in red. `names` names the dots and the bar."""
    height = 50 + ROW * len(labels) + 20
    canvas = _Canvas(height, font)
    x0, x1 = LABELS, WIDTH - 50
    top = height - 30
    canvas.drawing.add(Circle(x0 + 4, height - 10, 3, fillColor=MARK, strokeColor=None))
    canvas.text(x0 + 11, height - 13, names[0])
    canvas.line(x0 + 150, height - 16, x0 + 150, height - 4, color=colors.black, width=2)
    canvas.text(x0 + 156, height - 13, names[1])
    step = Decimal(1) if maximum <= 20 else Decimal(maximum) / 10
    canvas.scale(x0, x1, 20, top, Decimal(maximum), step=step)
    for index, label in enumerate(labels):
        y = top - ROW * (index + 1) + 10
        color = ALERT if flagged[index] else colors.black
        canvas.text(x0 - 6, y - 3, _short(label), anchor="end", color=color)
        seen: dict = {}
        for value in marks[index]:
            # Equal marks are drawn one above the other, so that each is seen.
            offset = seen.get(value, 0)
            seen[value] = offset + 1
            x = x0 + (x1 - x0) * float(value / maximum)
            canvas.drawing.add(Circle(x, y - 4 + 4 * offset, 2.5, fillColor=MARK, strokeColor=None))
        if centres[index] is not None:
            x = x0 + (x1 - x0) * float(centres[index] / maximum)
            canvas.line(x, y - 7, x, y + 7, color=colors.black, width=2)
    return canvas.drawing


def lines(
    xs: Sequence,
    series: Sequence[tuple[str, Sequence]],
    *,
    low,
    high,
    markers: Sequence[tuple[Decimal, str, bool]],
    font: str,
) -> Drawing:
    """A line per series over `xs` (from 0 to 100), values between `low` and `high`; each
    marker is a vertical line at (x, its label, whether it is an alert)."""
    height = 300
    canvas = _Canvas(height, font)
    x0, x1, y0, y1 = 60, WIDTH - 180, 30, height - 40
    canvas.legend(height - 14, [(PALETTE[i % 7], name) for i, (name, _) in enumerate(series)])
    canvas.scale(x0, x1, y0, y1, Decimal(100), step=Decimal(10), suffix=" %")
    span = float(high - low) or 1.0

    def at(x, y):
        return x0 + (x1 - x0) * float(x) / 100, y0 + (y1 - y0) * float(y - low) / span

    for tick in range(5):
        value = low + (high - low) * tick / 4
        _, y = at(0, value)
        canvas.line(x0, y, x1, y)
        canvas.text(x0 - 4, y - 3, _number(value, 0), anchor="end")
    for number, (_, values) in enumerate(series):
        points = [at(x, y) for x, y in zip(xs, values, strict=True)]
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            canvas.line(ax, ay, bx, by, color=PALETTE[number % 7], width=1.5)
    for place, (x, label, alert) in enumerate(markers):
        px, _ = at(x, low)
        color = ALERT if alert else colors.black
        canvas.line(px, y0, px, y1, color=color, width=1, dash=[3, 2])
        canvas.text(x1 + 8, y1 - 12 * place, label, color=color)
    return canvas.drawing


def svg_source(drawing: Drawing) -> str:
    """The drawing as an SVG image for an <img>: a data URI (the policy allows data: images),
    its words in the browser's sans-serif when it has no Helvetica."""
    svg = renderSVG.drawToString(drawing).replace(
        "font-family: Helvetica;", "font-family: Helvetica, Arial, sans-serif;"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
