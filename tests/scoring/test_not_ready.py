"""The ranking and the exports of a lot answer a clear page in every state, never a 500: a
sealed lot is not ranked (its prices must not even feed a score), a lot without a grid has
nothing to rank, an opened lot with no sheet yet exports its empty tables."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from groupement.models import Role
from procurement import services
from procurement.models import ConsultationState
from tests.scoring.conftest import example_grid

ROLES = [("COORD", Role.GESTIONNAIRE), ("M1", Role.REFERENT), ("M2", Role.LECTEUR)]
PAGES = [("scoring:ranking", {}), *[("scoring:export", {"fmt": f}) for f in ("xlsx", "csv", "pdf")]]


def _urls(lot):
    return [reverse(name, kwargs={"lot_pk": lot.pk, **extra}) for name, extra in PAGES]


def _opened(world, consultation, register_bid, clock):
    register_bid(consultation, "Alpha", 1)
    clock.move(days=41)
    services.consultation_open_bids(consultation=consultation, user=world.coordinator())
    return consultation.lots.get()


@pytest.mark.parametrize("role", ROLES)
def test_a_sealed_lot_is_neither_ranked_nor_exported(
    client, world, consultation_in, register_bid, role
):
    consultation = consultation_in(ConsultationState.PUBLISHED, grid=example_grid())
    register_bid(consultation, "Alpha", 1)
    client.force_login(world.user(*role))
    for url in _urls(consultation.lots.get()):
        response = client.get(url)
        assert response.status_code == 409, url
        assert "pas encore ouverts" in response.content.decode()


def test_an_opened_lot_without_a_grid_says_so(client, world, consultation_in, register_bid, clock):
    lot = _opened(world, consultation_in(ConsultationState.PUBLISHED), register_bid, clock)
    client.force_login(world.coordinator())
    for url in _urls(lot):
        response = client.get(url)
        assert response.status_code == 409, url
        assert "grille" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_an_opened_lot_without_any_sheet_exports_its_empty_tables(
    client, world, consultation_in, register_bid, clock, role
):
    consultation = consultation_in(ConsultationState.PUBLISHED, grid=example_grid())
    lot = _opened(world, consultation, register_bid, clock)
    client.force_login(world.user(*role))
    ranking, xlsx, csv, pdf = (client.get(url) for url in _urls(lot))
    assert ranking.status_code == 200
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    assert pdf.status_code == 200
    assert "Rapport d" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
