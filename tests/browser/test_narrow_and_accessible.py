"""The key pages of each role on a phone (390 px wide) and for assistive technologies: the
page never scrolls sideways (WCAG 1.4.10, tables scroll inside their own box) and axe-core
finds no violation (axe-playwright-python, which carries axe-core)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from groupement.models import Role
from tests.test_crawl import _build, kwarg_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory
PHONE = {"width": 390, "height": 844}
# Who reads which pages: the crawl's world (a consultation in analysis, a seated evaluator, an
# award, its letter, a notified contract).
PAGES = {
    ("COORD", Role.GESTIONNAIRE): [
        "/",
        "/consultations/",
        "/contrats/",
        "/groupements/{pk}/",
        "/consultations/{consultation_pk}/",
        "/consultations/{consultation_pk}/plis/",
        "/consultations/{consultation_pk}/historique/",
        "/consultations/{consultation_pk}/analyse/",
        "/lots/{lot_pk}/grille/",
        "/lots/{lot_pk}/classement/",
        "/contrats/{contract_pk}/",
    ],
    ("M1", Role.REFERENT): ["/", "/consultations/{consultation_pk}/"],
    ("M1", Role.EVALUATEUR): ["/evaluation/", "/lots/{lot_pk}/plis/{bid_pk}/notation/"],
}


@pytest.fixture
def pages(world, clock):
    _build(world)
    return kwarg_values(world, world.ours)


@pytest.mark.parametrize("role", PAGES, ids=lambda role: f"{role[0]}.{role[1]}")
def test_the_key_pages_fit_a_phone_and_axe_finds_no_violation(
    world, pages, role, chromium_browser, live_server
):
    context = chromium_browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/connexion/")
    page.fill("input[name=username]", world.user(*role).username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: "/connexion/" not in url)
    axe = Axe()
    problems = []
    for address in PAGES[role]:
        url = address.format(**pages)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                  .filter(e => !e.closest('.table-scroll'))
                  .filter(e => ![...e.children].some(
                      c => c.getBoundingClientRect().right > window.innerWidth + 1))
                  .slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' +
                      e.textContent.trim().slice(0, 30))"""
            )
            problems.append(f"{url}: {width} px wide ({', '.join(wide)})")
        results = axe.run(page)
        if results.violations_count:
            problems.append(f"{url}: {results.generate_report()}")
    context.close()
    assert not problems, "\n".join(problems)
