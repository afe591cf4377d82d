"""The lists that grow (consultations, deposits, contracts): searched, filtered and paginated
from the query string, never showing another groupement's rows, and never failing on a
hostile query string."""

import re

import pytest

from contracts.models import Contract
from core.listing import LIST_PAGE_SIZE
from groupement.models import Role
from procurement.models import Bid, Consultation
from tests.conftest import THEIR_PURPOSE
from tests.test_crawl import crawled  # noqa: F401 (the module's world)

HOSTILE = [
    "\x00",
    "a" * 5000,
    "' OR 1=1 --",
    "%",
    "_",
    "<script>alert(1)</script>",
    " ".join(["mot"] * 20),  # more words than a search reads
    "9" * 30,  # a number no database column holds
]


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.coordinator())
    return client


def rows(response, table):
    """The body rows of the page's table `table`."""
    body = response.content.decode()
    found = re.search(rf'<table id="{table}">.*?<tbody>(.*?)</tbody>', body, re.S)
    return re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S) if found else []


def copies(consultation, count, *, title="Copie"):
    """`count` consultations like `consultation`, numbered, written directly: the lists need
    rows, not the steps that lead to them (tested in tests/procurement)."""
    fields = {
        f.name: getattr(consultation, f.name)
        for f in Consultation._meta.concrete_fields
        if f.name not in ("id", "reference", "title")
    }
    Consultation.objects.bulk_create(
        Consultation(**fields, reference=f"COPIE-{n:03d}", title=f"{title} {n}")
        for n in range(count)
    )


def test_the_consultations_are_searched_by_every_word_of_the_reference_or_the_object(
    coordinator_client, world
):
    ours = world.ours.consultations.get()
    copies(ours, 3, title="Entretien des espaces verts")
    response = coordinator_client.get("/consultations/", {"q": "espaces VERTS"})
    assert response.status_code == 200
    assert len(rows(response, "consultations")) == 3
    response = coordinator_client.get("/consultations/", {"q": "NOTRE-001"})
    assert [ours.reference in row for row in rows(response, "consultations")] == [True]
    response = coordinator_client.get("/consultations/", {"q": "espaces introuvable"})
    assert rows(response, "consultations") == []
    assert "Aucune consultation ne répond à ces critères." in response.content.decode()


def test_the_consultations_are_filtered_by_state_and_procedure(coordinator_client, world):
    ours = world.ours.consultations.get()
    copies(ours, 2)
    Consultation.objects.filter(reference="COPIE-000").update(state="draft")
    response = coordinator_client.get("/consultations/", {"state": "draft"})
    assert len(rows(response, "consultations")) == 1
    response = coordinator_client.get("/consultations/", {"state": ours.state})
    assert len(rows(response, "consultations")) == 2
    other = "adapted" if ours.procedure != "adapted" else "open"
    response = coordinator_client.get("/consultations/", {"procedure": other})
    assert rows(response, "consultations") == []


def test_another_groupement_is_no_choice_and_its_consultations_never_show(client, world):
    client.force_login(world.coordinator())
    response = client.get("/consultations/", {"groupement": world.theirs.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert THEIR_PURPOSE not in body and world.theirs.name not in body
    # The unknown choice is said and left out: the reader's own consultations still show.
    assert "errorlist" in body
    assert len(rows(response, "consultations")) == 1
    response = client.get("/consultations/", {"groupement": world.ours.pk})
    assert len(rows(response, "consultations")) == 1


def test_the_consultations_come_a_page_at_a_time_and_the_pages_keep_the_filters(
    coordinator_client, world
):
    ours = world.ours.consultations.get()
    copies(ours, LIST_PAGE_SIZE + 5, title="Voirie")
    first = coordinator_client.get("/consultations/", {"q": "voirie"})
    assert len(rows(first, "consultations")) == LIST_PAGE_SIZE
    body = first.content.decode()
    assert "1 à 25 sur 30" in body
    assert 'href="?q=voirie&amp;page=2#consultations"' in body
    second = coordinator_client.get("/consultations/", {"q": "voirie", "page": 2})
    assert len(rows(second, "consultations")) == 5
    first_refs = set(re.findall(r"COPIE-\d+", "".join(rows(first, "consultations"))))
    second_refs = set(re.findall(r"COPIE-\d+", "".join(rows(second, "consultations"))))
    assert len(first_refs | second_refs) == LIST_PAGE_SIZE + 5
    # A page out of range, or not a number, gives the nearest page.
    for page in ("999", "abc", "-1", "0"):
        response = coordinator_client.get("/consultations/", {"q": "voirie", "page": page})
        assert response.status_code == 200 and rows(response, "consultations"), page


@pytest.mark.parametrize("url", ["/consultations/", "/contrats/"])
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_query_string_gets_a_page_never_an_error(coordinator_client, url, value):
    for parameter in ("q", "state", "procedure", "groupement", "page"):
        response = coordinator_client.get(url, {parameter: value})
        assert response.status_code == 200, (parameter, value)
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_list_reads_as_many_queries_for_30_consultations_as_for_1(coordinator_client, world):
    from tests.helpers import query_counts

    def page():
        assert coordinator_client.get("/consultations/").status_code == 200

    small = query_counts(page)[0]
    copies(world.ours.consultations.get(), 30)
    assert query_counts(page) == [small]


def test_the_contracts_list_shows_the_readers_groupements_only(client, world):
    for person in [("COORD", Role.GESTIONNAIRE), ("M1", Role.LECTEUR), ("M1", Role.EVALUATEUR)]:
        client.force_login(world.user(*person))
        response = client.get("/contrats/")
        assert response.status_code == 200
        shown = rows(response, "contrats")
        assert len(shown) == 1, person
        assert THEIR_PURPOSE not in response.content.decode()
    client.force_login(world.user("OUT1", Role.GESTIONNAIRE))
    response = client.get("/contrats/")
    assert [THEIR_PURPOSE in row for row in rows(response, "contrats")] == [True]


def test_the_contracts_are_searched_by_number_object_holder_or_consultation(
    coordinator_client, world
):
    contract = Contract.objects.get(lot__consultation__groupement=world.ours)
    for query in (contract.number, contract.holder.name.split()[-1], "NOTRE-001"):
        response = coordinator_client.get("/contrats/", {"q": query})
        assert len(rows(response, "contrats")) == 1, query
    response = coordinator_client.get("/contrats/", {"state": "terminated"})
    assert rows(response, "contrats") == []
    assert "Aucun marché ne répond à ces critères." in response.content.decode()


def test_the_deposits_are_searched_by_bidder_and_keep_their_page_parameter(
    coordinator_client, world
):
    consultation = world.ours.consultations.get()
    bid = Bid.objects.get(lot__consultation=consultation)
    url = f"/consultations/{consultation.pk}/plis/"
    response = coordinator_client.get(url, {"q": bid.bidder.name})
    assert len(rows(response, "plis")) == 1
    response = coordinator_client.get(url, {"q": "personne de ce nom"})
    assert rows(response, "plis") == []
    assert "Aucun pli ne répond à ces critères." in response.content.decode()
    for value in HOSTILE:
        assert coordinator_client.get(url, {"q": value, "plis": value}).status_code == 200
