"""Consultations in each state, built through the services, and a clock that can move."""

import datetime
import functools
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.demo.consultations import FORMAL_DOCUMENTS
from config.demo.organisations import minimal_pdf
from core import clock as server_clock
from groupement.identifiers import with_luhn_key
from groupement.models import Role
from procurement import services
from procurement.models import ConsultationState
from scoring.services import grid_define

REFERENTS = ["COORD", "M1", "M2"]


def terms(**overrides):
    now = server_clock.now()
    values = {
        "reference": "2027-001",
        "title": "Animation du parc",
        "procedure": "open",
        "nature": "services",
        "cpv_code": "79411100-9",
        "electronic_submission": True,
        "urgency": False,
        "offer_validity_days": 120,
        "questions_deadline": now + datetime.timedelta(days=33),
        "offers_deadline": now + datetime.timedelta(days=40),
        "lots": [services.LotTerms(title="Animation", estimated_value=Decimal("600000"))],
    }
    values.update(overrides)
    return services.ConsultationTerms(**values)


class Clock:
    """The application's clock (core.clock), moved forward by the tests."""

    now = staticmethod(server_clock.now)
    move = staticmethod(server_clock.move)


@pytest.fixture
def clock():
    """Moves made by the test are undone at its end."""
    with server_clock.restored():
        yield Clock()


@pytest.fixture
def consultation_in(world):
    """consultation_in(state, groupement=ours) builds a consultation in that state."""
    world.ours_in("in_force")
    return functools.partial(build_consultation, world)


def build_consultation(world, state, *, groupement=None, grid=None, **overrides):
    """A consultation of `groupement` (ours by default, in force) in `state`, through the
    services."""
    groupement = groupement or world.ours
    coordinator = world.coordinator_of(groupement)
    # The first consultation of a groupement is 2027-001, the next 2027-002...
    overrides.setdefault("reference", f"2027-{groupement.consultations.count() + 1:03d}")
    consultation = services.consultation_create(
        groupement=groupement, user=coordinator, terms=terms(**overrides)
    )
    if grid is not None:
        for lot in consultation.lots.all():
            grid_define(lot=lot, user=coordinator, price_formula="proportional", criteria=grid)
    if state == ConsultationState.DRAFT:
        return consultation
    for kind, title in FORMAL_DOCUMENTS:
        services.document_add(
            consultation=consultation,
            user=coordinator,
            kind=kind,
            title=title,
            upload=minimal_pdf(title),
        )
    if state == "draft_with_documents":
        return consultation
    if state == ConsultationState.CANCELLED:
        return services.consultation_cancel(
            consultation=consultation, user=coordinator, reason="Besoin disparu."
        )
    services.consultation_submit_for_review(consultation=consultation, user=coordinator)
    if state == ConsultationState.MEMBER_REVIEW:
        return _fresh(consultation)
    keys = [
        k
        for k, org in world.orgs.items()
        if groupement.memberships.filter(organisation=org).exists()
    ]
    for key in keys:
        services.consultation_review(
            consultation=consultation, user=world.user(key, Role.REFERENT), approve=True
        )
    if state == ConsultationState.READY:
        return _fresh(consultation)
    services.consultation_publish(consultation=consultation, user=coordinator)
    return _fresh(consultation)


def _fresh(consultation):
    consultation.refresh_from_db()
    return consultation


def bid_pdf(name="offre.pdf"):

    return SimpleUploadedFile(name, b"%PDF-1.4\n% offre scellee\n%%EOF\n")


@pytest.fixture
def register_bid(world):
    """register_bid(consultation, name, number, price) records a deposit now."""
    return register_with(world)


def register_with(world):
    def register(consultation, name, number, price=Decimal("500000"), **terms_overrides):
        bidder = services.bidder_for(
            name=name,
            siret=with_luhn_key(f"{800000000 + number:09d}0001"),
            email=f"contact{number}@operateur.invalid",
        )
        return services.bid_register(
            lot=consultation.lots.first(),
            user=world.coordinator_of(consultation.groupement),
            terms=services.BidTerms(bidder=bidder, price=price, **terms_overrides),
            documents=[bid_pdf(f"offre-{number}.pdf")],
        )

    return register


@pytest.fixture
def published(consultation_in, register_bid):
    """A published consultation of ours with two known candidates."""
    consultation = consultation_in(ConsultationState.PUBLISHED)
    register_bid(consultation, "Innov'Artois", 1)
    register_bid(consultation, "Territoires Conseil", 2)
    return consultation
