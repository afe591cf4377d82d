import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; without this, Django's ORM
# refuses to run in the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
def chromium_browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium must be installed on CI: apt install chromium")
        pytest.skip("Debian's chromium is not installed: apt install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Full-page screenshots cost more than the steps they show: taken when asked for
# (`SCREENSHOTS=1 make test`), to review the pages by eye.
SCREENSHOTS = os.environ.get("SCREENSHOTS") == "1"


@pytest.fixture
def screenshot(request):
    """screenshot(page, "login") saves test-artifacts/browser/<test>/01-login.png, 02-… when
    SCREENSHOTS=1."""
    folder = ARTIFACTS / request.node.name
    taken = []
    if SCREENSHOTS:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def take(page, name):
        taken.append(name)
        if SCREENSHOTS:
            page.screenshot(path=folder / f"{len(taken):02d}-{name}.png", full_page=True)

    return take


@pytest.fixture
def page_for(chromium_browser, live_server, screenshot):
    """page_for(user) opens a fresh browser context logged in as that user."""
    contexts = []

    def log_in(user, password):
        context = chromium_browser.new_context(base_url=live_server.url, locale="fr-FR")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/connexion/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        screenshot(page, f"login-{user.username}")
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_url(lambda url: "/connexion/" not in url)
        return page

    yield log_in
    for context in contexts:
        context.close()
