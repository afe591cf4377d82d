"""The rapport d'analyse des offres, read back page by page (pypdf): every offer and its fate,
the weights, the scores, the proposal, the signature block, the page numbers, the embedded
fonts and the metadata; « PROVISOIRE » on every page while the ranking may move."""

import io
import re
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from groupement.models import Role
from procurement import services as procurement
from procurement.models import ConsultationState
from scoring import exports, services
from scoring.ranking import evaluate
from scoring.rules import scored_criteria
from tests.scoring.conftest import example_grid, score_all

IRREGULAR_REASON = "Le mémoire technique exigé par l'article 5 du règlement manque."
LOW_PRICE_REASON = "Les moyens humains décrits ne couvrent pas le volume d'animation exigé."


def read(content: bytes):
    reader = PdfReader(io.BytesIO(content))
    return reader, [page.extract_text() for page in reader.pages]


def fonts_of(reader) -> dict[str, bool]:
    """Each font of the document: whether its glyphs are embedded in the file."""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            described = font
            if "/DescendantFonts" in font:
                described = font["/DescendantFonts"][0].get_object()
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return found


@pytest.fixture
def analysed(world, consultation_in, register_bid, clock):
    """A lot in analysis: three regular offers scored by two evaluators, an irregular one, one
    rejected as abnormally low after its justification, and one received after the deadline."""
    coordinator = world.coordinator()
    consultation = consultation_in(ConsultationState.PUBLISHED, grid=example_grid())
    prices = {"Alpha": "500000", "Bravo": "550000", "Charlie": "600000"}
    regular = [
        register_bid(consultation, n, i, price=D(p)) for i, (n, p) in enumerate(prices.items(), 1)
    ]
    irregular = register_bid(consultation, "Delta <Conseil>", 4, price=D("520000"))
    low = register_bid(consultation, "Echo Discount", 5, price=D("190000"))
    clock.move(days=41)
    register_bid(consultation, "Foxtrot Retard", 6, price=D("450000"))
    procurement.consultation_open_bids(consultation=consultation, user=coordinator)
    procurement.consultation_start_analysis(consultation=consultation, user=coordinator)
    for bid in [*regular, irregular, low]:
        procurement.bid_decide(bid=bid, user=coordinator, decision="admit")
    for bid in regular:
        procurement.bid_decide(
            bid=bid, user=coordinator, decision="mark_regular", reason="Conforme."
        )
    procurement.bid_decide(
        bid=irregular, user=coordinator, decision="mark_irregular", reason=IRREGULAR_REASON
    )
    procurement.bid_request_price_justification(bid=low, user=coordinator)
    procurement.bid_judge_price_justification(
        bid=low, user=coordinator, accepted=False, reason=LOW_PRICE_REASON
    )
    lot = consultation.lots.get()
    for key in ("M1", "M2"):
        evaluator = world.user(key, Role.EVALUATEUR)
        seat = services.panel_name(lot=lot, user=coordinator, evaluator=evaluator)
        services.declaration_sign(panel_member=seat, user=evaluator)
    marks = {"Alpha": (6, 6, 6), "Bravo": (8, 8, 8), "Charlie": (9, 9, 9)}
    for bid in regular:
        for key in ("M1", "M2"):
            score_all(world, lot, bid, key, marks[bid.bidder.name])
    lot.refresh_from_db()
    return lot


def consolidate(world, lot, justification="Démarche précise et chiffrée."):
    evaluation = evaluate(lot)
    for row in evaluation.rows:
        for criterion in scored_criteria(lot.grid):
            services.consolidate(
                bid=row.bid,
                criterion=criterion,
                user=world.coordinator(),
                value=evaluation.means[(row.bid.pk, criterion.pk)][0],
                justification=justification,
            )


def test_the_report_names_every_offer_its_fate_the_weights_and_the_proposal(world, analysed):
    consolidate(world, analysed)
    reader, pages = read(exports.export_pdf(analysed, user=world.coordinator()))
    text = "\n".join(pages)
    flat = re.sub(r"\s+", " ", text)
    # Every offer received, with what became of it and why.
    for name in ("Alpha", "Bravo", "Charlie", "Delta <Conseil>", "Echo Discount", "Foxtrot"):
        assert name in flat, name
    assert "Offre irrégulière, éliminée (art. L2152-2 et R2152-1 CCP)" in flat
    assert IRREGULAR_REASON.replace("'", "’") in flat or IRREGULAR_REASON in flat
    assert "Offre anormalement basse, rejetée (art. L2152-6 et R2152-4 CCP)" in flat
    assert "Justification du prix rejetée" in flat and "volume d'animation" in flat
    assert "hors délai" in flat and "R2151-5" in flat
    # The criteria with their weights, sub-criteria included.
    for criterion in analysed.grid.criteria.all():
        assert criterion.name in flat
    assert "Pondération (points)" in flat and "40,00" in flat and "60,00" in flat
    # Ranking, justifications, sensitivity and the proposal; ranked Charlie, Bravo, Alpha.
    ranking = flat[flat.index("3. Classement") :]
    assert ranking.index("Charlie") < ranking.index("Bravo") < ranking.index("Alpha")
    assert "Démarche précise et chiffrée." in flat and "non renseignée" not in flat
    assert "Sensibilité : le premier rang" in flat
    assert "l’offre classée première est celle de Charlie" in flat
    assert (
        "Vu, le représentant du coordonnateur" in flat and "Nom, qualité, date et signature" in flat
    )
    # Page numbers, heading, no « PROVISOIRE » once the ranking is final.
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page
        assert analysed.consultation.reference in page
        assert "PROVISOIRE" not in page
    # Embedded fonts and metadata.
    fonts = fonts_of(reader)
    assert fonts and all(fonts.values()), fonts
    assert reader.metadata.title == "Rapport d’analyse des offres"
    assert reader.metadata.author == analysed.consultation.groupement.coordinator.name
    assert analysed.consultation.reference in reader.metadata.subject


def test_the_report_says_provisoire_on_every_page_while_scores_are_missing(world, analysed):
    _reader, pages = read(exports.export_pdf(analysed, user=world.coordinator()))
    assert pages and all("PROVISOIRE" in page for page in pages)
    flat = re.sub(r"\s+", " ", "\n".join(pages))
    assert "Aucune attribution n’est proposée tant que le classement est provisoire." in flat


def test_a_missing_justification_is_said_not_left_blank(world, analysed):
    consolidate(world, analysed, justification="")
    _reader, pages = read(exports.export_pdf(analysed, user=world.coordinator()))
    assert "non renseignée" in "\n".join(pages)


def test_every_sheet_of_the_workbook_prints_on_a4_landscape_as_wide_as_the_page(world, analysed):
    from openpyxl import load_workbook

    consolidate(world, analysed)
    book = load_workbook(io.BytesIO(exports.export_xlsx(analysed, user=world.coordinator())))
    reference = analysed.consultation.reference
    assert len(book.worksheets) == 5
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9"), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # One page wide (1 is the default, which the file leaves out), as many pages long as needed.
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), sheet.title
        header_rows = "$1:$4" if sheet.title == "Détail par critère" else "$1:$1"
        assert sheet.print_title_rows == header_rows, sheet.title
        assert reference in sheet.oddHeader.left.text
        assert sheet.oddFooter.right.text == "page &P / &N"
