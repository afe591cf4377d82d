import pytest
from playwright.sync_api import expect

from config.demo import seed_demo
from config.demo.organisations import DEMO_PASSWORD, MOBILITE
from groupement.models import Groupement, GroupementState, MembershipState, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def deliberation_pdf(tmp_path):
    path = tmp_path / "deliberation-PMA.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return path


def test_the_last_members_deliberate_and_sign_then_the_coordinator_puts_the_groupement_in_force(
    page_for, screenshot, deliberation_pdf
):
    people = seed_demo()
    groupement = Groupement.objects.get(name=MOBILITE)
    detail_url = f"/groupements/{groupement.pk}/"
    membership = {m.organisation.short_name: m for m in groupement.memberships.all()}

    def open_detail(page, shot):
        page.goto(detail_url)
        screenshot(page, shot)

    def submit(page, shot):
        """Submits the action form, which must bring us back to the detail page."""
        screenshot(page, shot)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"**{detail_url}")
        expect(page.locator(".message.error")).to_have_count(0)

    # PMA, only invited so far, records its deliberation then signs.
    pma = page_for(people[("PMA", Role.REFERENT)], DEMO_PASSWORD)
    screenshot(pma, "dashboard-pma")
    open_detail(pma, "detail-pma")
    pma.click(f"a[href$='/adhesions/{membership['PMA'].pk}/deliberation/']")
    pma.fill("input[name=number]", "PMA-2021-042")
    pma.fill("input[name=date]", "2021-10-04")
    pma.set_input_files("input[name=document]", deliberation_pdf)
    submit(pma, "deliberation-pma")
    screenshot(pma, "detail-pma-deliberated")
    pma.click(f"a[href$='/adhesions/{membership['PMA'].pk}/signature/']")
    pma.fill("input[name=signed_on]", "2021-10-12")
    submit(pma, "signature-pma")
    screenshot(pma, "detail-pma-signed")

    # CAHC deliberated on 2021-09-20 in the demo: it signs after that.
    cahc = page_for(people[("CAHC", Role.REFERENT)], DEMO_PASSWORD)
    open_detail(cahc, "detail-cahc")
    cahc.click(f"a[href$='/adhesions/{membership['CAHC'].pk}/signature/']")
    cahc.fill("input[name=signed_on]", "2021-10-12")
    submit(cahc, "signature-cahc")
    screenshot(cahc, "detail-cahc-signed")

    call = page_for(people[("CALL", Role.GESTIONNAIRE)], DEMO_PASSWORD)
    open_detail(call, "detail-call")
    call.click("form[action$='/mettre-en-vigueur/'] button")
    call.wait_for_url(f"**{detail_url}")
    screenshot(call, "detail-in-force")

    groupement.refresh_from_db()
    assert groupement.state == GroupementState.IN_FORCE
    assert set(groupement.memberships.values_list("state", flat=True)) == {MembershipState.SIGNED}
    expect(call.locator("h1 + p .state")).to_have_class("state state-in_force")
    expect(call.locator("form[action$='/mettre-en-vigueur/']")).to_have_count(0)
