import datetime
import re

import pytest
from playwright.sync_api import expect

from config.demo import seed_demo
from config.demo.organisations import DEMO_PASSWORD, PARC
from core import clock as server_clock
from groupement.models import Groupement, Role
from journal.models import Entry
from procurement.models import Bid, Consultation, ConsultationState
from tests.browser.helpers import expect_no_error, local_input, pdf, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE = "PMA-2026-42"
MEMBERS = ("PMA", "CABBALR", "CALL", "CAHC")
TENDER_DOCUMENTS = [
    ("rc", "Règlement de la consultation"),
    ("ccap", "Cahier des clauses administratives particulières"),
    ("cctp", "Cahier des clauses techniques particulières"),
    ("ae", "Acte d'engagement"),
]
PRICE = "512 345,67"


def test_a_consultation_is_reviewed_published_and_its_sealed_bids_opened_after_the_deadline(
    page_for, screenshot, clock, tmp_path
):
    people = seed_demo()
    groupement = Groupement.objects.get(name=PARC)
    coordinator = people[("PMA", Role.GESTIONNAIRE)]

    def shot(page, name):
        screenshot(page, f"consultation-{name}")

    def submit(page, button, url, name):
        """Clicks the button, waits for `url` and checks that nothing was refused."""
        shot(page, name)
        page.click(button)
        page.wait_for_url(url)
        expect_no_error(page)

    # The coordinator's gestionnaire writes the consultation from the groupement's page.
    pma = page_for(coordinator, DEMO_PASSWORD)
    pma.goto(f"/groupements/{groupement.pk}/")
    shot(pma, "groupement")
    pma.click(f"a[href$='/groupements/{groupement.pk}/consultations/nouvelle/']")
    pma.wait_for_url(f"**/groupements/{groupement.pk}/consultations/nouvelle/")
    now = server_clock.now()
    pma.fill("input[name=reference]", REFERENCE)
    pma.fill("input[name=title]", "Animation du Parc d'innovation, second marché")
    pma.select_option("select[name=procedure]", "open")
    pma.select_option("select[name=nature]", "services")
    pma.fill("input[name=cpv_code]", "79411100-9")
    expect(pma.locator("input[name=electronic_submission]")).to_be_checked()
    pma.fill("input[name=offer_validity_days]", "120")
    pma.fill("input[name=questions_deadline]", local_input(now + datetime.timedelta(days=35)))
    pma.fill("input[name=offers_deadline]", local_input(now + datetime.timedelta(days=45)))
    pma.fill("input[name='lots-0-estimated_value']", "600 000,00")
    submit(pma, "main form button[type=submit]", re.compile(r"/consultations/\d+/$"), "new")
    consultation = Consultation.objects.get(reference=REFERENCE, groupement=groupement)
    detail_url = f"/consultations/{consultation.pk}/"
    assert pma.url.endswith(detail_url)
    shot(pma, "draft")

    # The four formal documents of an open procedure.
    for kind, title in TENDER_DOCUMENTS:
        pma.click(f"a[href$='{detail_url}documents/ajouter/']")
        pma.wait_for_url(f"**{detail_url}documents/ajouter/")
        pma.select_option("select[name=kind]", kind)
        pma.fill("input[name=title]", title)
        pma.set_input_files("input[name=upload]", pdf(tmp_path / f"{kind}.pdf"))
        submit(pma, "main form button[type=submit]", f"**{detail_url}dce/", f"document-{kind}")
    shot(pma, "draft-with-documents")
    assert consultation.documents.count() == len(TENDER_DOCUMENTS)

    submit(
        pma,
        "form[action$='/envoyer-aux-membres/'] button[type=submit]",
        f"**{detail_url}",
        "submitted",
    )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.MEMBER_REVIEW

    # Each member's référent approves the tender documents, the coordinator's own included.
    referents = {}
    for short in MEMBERS:
        page = referents[short] = page_for(people[(short, Role.REFERENT)], DEMO_PASSWORD)
        page.goto(detail_url)
        shot(page, f"review-{short}-detail")
        page.click(f"a[href$='{detail_url}avis/']")
        page.wait_for_url(f"**{detail_url}avis/")
        page.check("input[name=decision][value=approve]")
        submit(page, "main form button[type=submit]", f"**{detail_url}", f"review-{short}")
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.READY

    pma.goto(detail_url)
    submit(pma, "form[action$='/publier/'] button[type=submit]", f"**{detail_url}", "ready")
    shot(pma, "published")
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.PUBLISHED

    # A deposit arrives before the deadline; the coordinator registers it.
    pma.click(f"a[href$='{detail_url}plis/enregistrer/']")
    pma.wait_for_url(f"**{detail_url}plis/enregistrer/")
    pma.fill("input[name=name]", "Innov'Artois Conseil")
    pma.fill("input[name=siret]", "73282932000074")
    pma.fill("input[name=country]", "FR")
    pma.fill("input[name=email]", "offres@innov-artois.invalid")
    pma.select_option("select[name=grouping]", "single")
    pma.fill("input[name=receipt_number]", "AR-2026-0001")
    pma.fill("input[name=price]", PRICE)
    pma.set_input_files(
        "input[name=documents]",
        [pdf(tmp_path / "offre-innov-artois.pdf"), pdf(tmp_path / "memoire-technique.pdf")],
    )
    submit(pma, "main form button[type=submit]", f"**{detail_url}plis/", "bid")
    shot(pma, "bid-registered")

    # Before the opening a référent sees the deposit, sealed: no price, no reading.
    call = referents["CALL"]
    call.goto(f"{detail_url}plis/")
    shot(call, "sealed-detail-call")
    sealed_links = call.locator("a[href*='/plis/documents/']")
    expect(sealed_links).to_have_count(2)
    document_url = sealed_links.first.get_attribute("href")
    bids_table = call.locator("table:has(a[href*='/plis/documents/'])")
    assert "512" not in bids_table.inner_text()
    assert PRICE not in text_of(call)
    response = call.goto(document_url)
    assert response.status == 403
    assert "scellé" in call.inner_text("main")
    shot(call, "sealed-refused")
    assert call.request.get(document_url).status == 403
    assert Entry.objects.filter(action="lecture d'un pli scellé refusée").exists()

    # After the deadline: sessions have expired, everybody logs in again.
    clock.move(days=46)
    pma = page_for(coordinator, DEMO_PASSWORD)
    pma.goto(f"/consultations/{consultation.pk}/ouverture/")
    shot(pma, "opening")
    consultation.refresh_from_db()
    # Reading the page records nothing; the opening closes the consultation first.
    assert consultation.state == ConsultationState.PUBLISHED
    pma.click("main form button[type=submit]")
    pma.wait_for_url(f"**{detail_url}ouverture/")
    expect_no_error(pma)
    shot(pma, "opened")
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.OPENED

    call = page_for(people[("CALL", Role.REFERENT)], DEMO_PASSWORD)
    call.goto(f"{detail_url}plis/")
    shot(call, "opened-detail-call")
    assert PRICE in text_of(call)
    bids_table = call.locator("table:has(a[href*='/plis/documents/'])")
    assert "512" in bids_table.inner_text()
    document = call.request.get(document_url)
    assert document.status == 200
    assert document.body().startswith(b"%PDF")

    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.OPENED
    assert Bid.objects.filter(lot__consultation=consultation).count() == 1
    assert Entry.objects.filter(action="lecture d'un pli scellé refusée").exists()
    assert Entry.objects.filter(action="ouverture des plis").exists()
