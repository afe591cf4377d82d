"""The official documents as PDF: one look for the report, the minutes and the letters.

Every document embeds its fonts (Bitstream Vera, shipped with reportlab: the same glyphs on
every reader, and a file that passes the checks of an archiving service), carries its title,
its author (the coordinator) and its subject in its metadata, names the groupement and the
consultation at the top of every page and numbers its pages « page n / N ». A document that
may still change says « PROVISOIRE » across every page.
"""

import io
from dataclasses import dataclass
from functools import cache, partial
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

REGULAR, BOLD, ITALIC = "Vera", "VeraBd", "VeraIt"
PROVISIONAL = "PROVISOIRE"


@cache
def _fonts() -> None:
    # reportlab finds its own font files by name: no path of the machine is involved.
    for name in (REGULAR, BOLD, ITALIC, "VeraBI"):
        pdfmetrics.registerFont(TTFont(name, f"{name}.ttf"))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic="VeraBI"
    )


def styles() -> StyleSheet1:
    """reportlab's sample styles, drawn in the embedded fonts."""
    _fonts()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        font = getattr(style, "fontName", "")
        if font:
            bold, italic = "Bold" in font, "Italic" in font or "Oblique" in font
            style.fontName = {
                (True, True): "VeraBI",
                (True, False): BOLD,
                (False, True): ITALIC,
                (False, False): REGULAR,
            }[bold, italic]
    return sheet


def text(value) -> str:
    # The narrow no-break space of French number formats is missing from the fonts.
    return str(value).replace("\u202f", "\u00a0")


def para(value, style) -> Paragraph:
    """Text as people typed it (a bidder's name, a reason): Paragraph reads markup, so
    « Atelier <Nord> » is escaped to be drawn as it is written."""
    return Paragraph(escape(text(value)), style)


def table(rows, *, widths=None, header_rows=1, numbers=(), ruled=True, extra=()) -> Table:
    """A table in the embedded fonts, ruled unless said, its header repeated on each page; the
    columns of `numbers` (their indexes) are aligned right."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.25, colors.grey))
    if header_rows:
        commands += [
            ("FONT", (0, 0), (-1, header_rows - 1), BOLD, 9),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#DCE6F1")),
        ]
    for column in numbers:
        commands.append(("ALIGN", (column, header_rows), (column, -1), "RIGHT"))
    return Table(
        rows, colWidths=widths, repeatRows=header_rows, style=TableStyle(commands + list(extra))
    )


@dataclass(frozen=True)
class Heading:
    """What the top of every page says: who buys, for which consultation."""

    groupement: str
    coordinator: str
    reference: str

    @classmethod
    def of(cls, consultation) -> "Heading":
        groupement = consultation.groupement
        return cls(groupement.name, groupement.coordinator.name, consultation.reference)


class _NumberedCanvas(canvas.Canvas):
    """Keeps every page until the end, so that each can say how many pages there are."""

    def __init__(self, *args, decorate, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept = []  # the state of each page drawn
        self._decorate = decorate

    def showPage(self):
        self._kept.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._kept)
        for state in self._kept:
            self.__dict__.update(state)
            self._decorate(self, total)
            super().showPage()
        super().save()


def _decorate(pdf, total, *, heading: Heading, title: str, provisional: bool):
    width, height = pdf._pagesize
    pdf.saveState()
    pdf.setFont(REGULAR, 7.5)
    pdf.setFillColor(colors.HexColor("#44546A"))
    pdf.drawString(
        1.5 * cm,
        height - 1 * cm,
        text(f"Groupement de commandes « {heading.groupement} » — {heading.coordinator}"),
    )
    pdf.drawRightString(width - 1.5 * cm, height - 1 * cm, text(heading.reference))
    pdf.drawString(1.5 * cm, 0.8 * cm, text(title))
    pdf.drawRightString(width - 1.5 * cm, 0.8 * cm, f"page {pdf.getPageNumber()} / {total}")
    if provisional:
        pdf.setFont(BOLD, 9)
        pdf.setFillColor(colors.HexColor("#C00000"))
        pdf.drawCentredString(width / 2, 0.8 * cm, PROVISIONAL)
        pdf.setFont(BOLD, 80)
        pdf.setFillColor(colors.Color(0.75, 0.75, 0.75, alpha=0.25))
        pdf.translate(width / 2, height / 2)
        pdf.rotate(35)
        pdf.drawCentredString(0, -25, PROVISIONAL)
    pdf.restoreState()


def render(
    story,
    *,
    title: str,
    author: str,
    subject: str,
    heading: Heading,
    provisional: bool = False,
    wide: bool = False,
) -> bytes:
    """The PDF of `story` (reportlab flowables): A4, landscape when `wide`."""
    _fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4) if wide else A4,
        title=title,
        author=author,
        subject=subject,
        creator=heading.groupement,
        # The canvas starts each page in this font: no standard, unembedded font is named.
        initialFontName=REGULAR,
        leftMargin=1.5 * cm if wide else 2 * cm,
        rightMargin=1.5 * cm if wide else 2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.6 * cm,
    )
    decorate = partial(_decorate, heading=heading, title=title, provisional=provisional)
    document.build(story, canvasmaker=partial(_NumberedCanvas, decorate=decorate))
    return buffer.getvalue()
