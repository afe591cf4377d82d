"""Who sees which page: the README's table of roles × pages, enforced; and every link a page
shows opens a page its reader may see.

The table is read from the README, so that what the users read is what the site does. It is
checked on the crawl's world (tests/test_crawl.py): a consultation in analysis with an opened
bid, a panel whose evaluator has signed the declaration, an award, its letter, a notified
contract and a proposed amendment.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from core.routes import all_routes, fill
from groupement.models import Role
from tests.test_crawl import crawled, kwarg_values  # noqa: F401 (the module's world)

README = Path(__file__).resolve().parent.parent / "README.md"
# The columns of the README's table, in order, and who holds each role in the crawl's world:
# the coordinator's manager, a member's référent, the evaluator seated on the lot, the tender
# committee's member, a member's reader.
COLUMNS = {
    "gestionnaire": ("COORD", Role.GESTIONNAIRE),
    "référent": ("M1", Role.REFERENT),
    "évaluateur": ("M1", Role.EVALUATEUR),
    "membre CAO": ("COORD", Role.MEMBRE_CAO),
    "lecteur": ("M1", Role.LECTEUR),
}
ROW = re.compile(r"^\|[^|]*\|\s*`(?P<route>[\w:]+)`\s*\|(?P<marks>.*)\|\s*$")
# Not pages of the application: authentication, the language switch, the health page, the
# Django admin.
OUTSIDE = {
    ":login",
    ":logout",
    ":second_factor_verify",
    ":second_factor_setup",
    ":set_language",
    ":health",
}
HREF = re.compile(r'href="(/[^"#]*)')


@pytest.fixture
def world(shared_world):
    return shared_world


def readme_table() -> dict[str, dict[str, bool]]:
    """route name -> {role: sees the page}, from the README's table (✓ sees, ✗ refused)."""
    table = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        if match := ROW.match(line):
            marks = [cell.strip() for cell in match["marks"].split("|")]
            assert len(marks) == len(COLUMNS) and set(marks) <= {"✓", "✗"}, line
            table[match["route"]] = dict(zip(COLUMNS, [m == "✓" for m in marks], strict=True))
    return table


@pytest.fixture(scope="module")
def pages(crawled, module_world, django_db_blocker):  # noqa: F811 (the crawl's world first)
    """(route name, URL) of every page answered to a GET (the steps are POST only), found once
    for the module by the coordinator."""
    world = module_world.fresh()
    # A member's own membership, that its référent answers for.
    values = {**kwarg_values(world, world.ours), "membership_pk": world.membership("M1").pk}
    client = Client()
    found = []
    with django_db_blocker.unblock():
        client.force_login(world.coordinator())
        for namespace, name, route in all_routes():
            key = f"{namespace}:{name}"
            # The public notices answer anyone alike, account or not: tests/bidders.
            if namespace in ("admin", "bidders") or route.startswith("admin/") or key in OUTSIDE:
                continue
            url = fill(route, values)
            if client.get(url).status_code != 405:
                found.append((key, url))
    return found


def test_the_readme_table_lists_every_page_once(pages):
    assert sorted(readme_table()) == sorted(key for key, _url in pages)


@pytest.mark.parametrize("role", COLUMNS)
def test_each_role_sees_the_pages_the_readme_says_and_every_link_shown_opens(
    client, world, pages, role
):
    table = readme_table()
    user = world.user(*COLUMNS[role])
    client.force_login(user)
    wrong = []
    links: dict[str, str] = {}
    for key, url in [("", "/"), *pages]:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), (key, url, response.status_code)
        if key and (response.status_code != 403) != table[key][role]:
            wrong.append(f"{key} {url}: {response.status_code}")
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            for href in HREF.findall(response.content.decode()):
                if not href.startswith(("/static/", "/admin/")):
                    links.setdefault(href.replace("&amp;", "&"), key or url)
    assert not wrong, f"{role}: " + ", ".join(wrong)
    assert len(links) > 20
    broken = []
    for href, shown_on in sorted(links.items()):
        status = client.get(href).status_code
        if status not in (200, 302):
            broken.append(f"{href} ({status}, shown on {shown_on})")
    assert not broken, f"{role}: " + ", ".join(broken)
    assert SESSION_KEY in client.session, "a page ended the session: the rest went anonymous"


def test_a_refusal_explains_itself_and_offers_a_way_back(client, world):
    values = kwarg_values(world, world.ours)
    grid = f"http://testserver/lots/{values['lot_pk']}/grille/"
    client.force_login(world.user("M1", Role.EVALUATEUR))
    response = client.get(f"/lots/{values['lot_pk']}/classement/", headers={"referer": grid})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Accès refusé" in body and "réservée à d’autres rôles" in body
    assert "Évaluateur" in body and str(world.user("M1", Role.EVALUATEUR)) in body
    assert f'href="{grid}"' in body and 'href="/"' in body
    # Another site's address is never offered as the way back.
    hostile = "https://ailleurs.example/piege"
    response = client.get(f"/lots/{values['lot_pk']}/classement/", headers={"referer": hostile})
    assert response.status_code == 403 and hostile not in response.content.decode()


def test_my_evaluations_is_in_the_menu_of_those_who_sit_on_a_panel_only(client, world):
    for person, shown in [
        (("M1", Role.EVALUATEUR), True),  # seated on the lot's panel
        (("M2", Role.EVALUATEUR), False),  # an evaluator named on no panel
        (("COORD", Role.GESTIONNAIRE), False),
        (("M1", Role.LECTEUR), False),
    ]:
        client.force_login(world.user(*person))
        body = client.get("/").content.decode()
        assert ('href="/evaluation/"' in body) is shown, person
