"""Hostile input, generated: no form and no import answers 500, and a refusal stores nothing.

Every page of the crawl (tests/test_crawl.py) is read as the coordinator's manager; each form
it shows is filled by hypothesis with hostile values (lengths, control characters, numbers
and dates that do not parse, formulas, markup, other scripts) for the names and options it
declares, and posted. The deposit register is fed generated CSV files in several encodings.
"""

import csv
import io
import os
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.routes import all_routes, fill
from groupement.models import Role
from journal.models import Entry
from procurement.models import Bid, Bidder
from tests.test_crawl import crawled, kwarg_values  # noqa: F401

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "-inf",
    "99999999999999999999999999",
    "0,005",
    "1 000 000,00",
    "12,5%",
    "2027-02-30",
    "31/02/2027",
    "2027-13-01T25:61",
    '=HYPERLINK("http://x")',
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "Atelier <Nord> SARL",
    "\x00",
    "a\x00b",
    "\u202e\u0000\ufeff",
    "é" * 300,
    "x" * 70_000,
    "'; DROP TABLE groupement_groupement; --",
    "\r\n\t",
    "١٢٣٤",
    "𝟘𝟙𝟚",
]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
SETTINGS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    # The same examples on every run, so that CI answers the same for the same code;
    # `HYPOTHESIS_EXPLORE=1 make test` draws new ones.
    derandomize=os.environ.get("HYPOTHESIS_EXPLORE") != "1",
)


@pytest.fixture
def world(shared_world):
    return shared_world


class Forms(HTMLParser):
    """The POST forms of a page: their action and, for each field, its kind and options."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.form: dict | None = None  # the POST form being read
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            post = (a.get("method") or "").lower() == "post"
            self.form = {"action": a.get("action") or "", "fields": {}} if post else None
            if self.form is not None:
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        fields = self.form["fields"]
        if tag == "input" and "name" in a and a.get("type") not in ("submit", "button", "hidden"):
            fields[a["name"]] = (a.get("type") or "text", [])
        elif tag == "textarea" and "name" in a:
            fields[a["name"]] = ("text", [])
        elif tag == "select" and "name" in a:
            self.select = a["name"]
            fields[self.select] = ("select", [])
        elif tag == "option" and self.select:
            fields[self.select][1].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.form = None


def forms_of(body: str) -> list[dict]:
    parser = Forms()
    parser.feed(body)
    return [f for f in parser.forms if f["fields"]]


def value_for(kind, options):
    if kind == "select":
        return st.one_of(st.sampled_from(options or [""]), TEXT)
    if kind == "checkbox":
        return st.sampled_from(["on", ""])
    if kind == "file":
        return st.builds(
            lambda name, content: SimpleUploadedFile(name, content),
            st.sampled_from(["offre.pdf", "../../etc/passwd", "x" * 300 + ".pdf", "a.exe"]),
            st.one_of(st.binary(max_size=64), st.just(b"%PDF-1.4\n%%EOF\n")),
        )
    return TEXT


@pytest.fixture
def pages(client, world):
    """(url, form) for every form the coordinator's manager is shown on our pages."""
    client.force_login(world.coordinator())
    values, found = kwarg_values(world, world.ours), []
    for _ns, _name, route in all_routes():
        url = fill(route, values)
        if "/admin/" in url or "deconnexion" in url:
            continue
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            found += [(form["action"] or url, form) for form in forms_of(response.content.decode())]
    assert len(found) > 20
    return found


@SETTINGS
@given(data=st.data())
def test_every_form_answers_hostile_input_without_error(client, world, pages, data):
    client.force_login(world.coordinator())
    for url, form in pages:
        payload = {
            name: data.draw(value_for(kind, options), label=name)
            for name, (kind, options) in form["fields"].items()
        }
        journal = Entry.objects.count()
        response = client.post(url, payload)
        assert response.status_code < 500, (url, payload)
        if response.status_code != 302:
            assert Entry.objects.count() == journal, f"{url} refused but changed something"


COLUMNS = ["lot", "raison_sociale", "siret", "date_depot", "numero_accuse", "pays", "courriel"]
ROW = st.fixed_dictionaries({column: TEXT for column in COLUMNS})


@SETTINGS
@given(
    rows=st.lists(ROW, min_size=1, max_size=4),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
def test_the_deposit_register_answers_hostile_files_without_error(
    client, world, rows, encoding, delimiter
):
    consultation = world.ours.consultations.get()
    client.force_login(world.coordinator())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    content = buffer.getvalue().encode(encoding, errors="replace")
    before = (Bidder.objects.count(), Bid.objects.count(), Entry.objects.count())
    response = client.post(
        reverse("procurement:bids_import", args=[consultation.pk]),
        {"register": SimpleUploadedFile("registre.csv", content, content_type="text/csv")},
    )
    assert response.status_code < 500
    if response.status_code != 302:
        assert (Bidder.objects.count(), Bid.objects.count(), Entry.objects.count()) == before


def test_the_form_reader_finds_fields_and_options():
    html = (
        '<form method="post" action="/x/"><input name="a"><input type="hidden" name="h">'
        '<select name="s"><option value="1">Un</option><option value="2">Deux</option></select>'
        '<textarea name="t"></textarea><button type="submit">OK</button></form>'
        '<form method="get"><input name="q"></form>'
    )
    assert forms_of(html) == [
        {
            "action": "/x/",
            "fields": {"a": ("text", []), "s": ("select", ["1", "2"]), "t": ("text", [])},
        }
    ]


def test_a_referent_is_refused_the_coordinators_forms(client, world, pages):
    """The forms found are the manager's: another role posting them changes nothing."""
    client.force_login(world.user("M1", Role.REFERENT))
    journal = Entry.objects.count()
    for url, _form in pages:
        assert client.post(url, {}).status_code < 500
    assert Entry.objects.count() == journal
