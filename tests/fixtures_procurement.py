"""Consultations in each state, built through the services, and a clock that can move."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from config.demo.consultations import FORMAL_DOCUMENTS
from config.demo.organisations import minimal_pdf
from groupement.models import Role
from procurement import services
from procurement.models import ConsultationState

REFERENTS = ["COORD", "M1", "M2"]


def terms(**overrides):
    now = timezone.now()
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
    """Moves the server's clock forward, the one thing outside our code that tests control."""

    def __init__(self):
        self.offset = datetime.timedelta()
        self._real_now = timezone.now
        self._patch = mock.patch("django.utils.timezone.now", self.now)

    def now(self):
        return self._real_now() + self.offset

    def move(self, **kwargs):
        self.offset += datetime.timedelta(**kwargs)


@pytest.fixture
def clock():
    clock = Clock()
    with clock._patch:
        yield clock


@pytest.fixture
def consultation_in(world):
    """consultation_in(state, groupement=ours) builds a consultation in that state."""
    world.ours_in("in_force")

    def build(state, *, groupement=None, grid=None, **overrides):
        groupement = groupement or world.ours
        coordinator = world.coordinator_of(groupement)
        consultation = services.consultation_create(
            groupement=groupement, user=coordinator, terms=terms(**overrides)
        )
        if grid is not None:
            from scoring.services import grid_define

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

    return build


def _fresh(consultation):
    consultation.refresh_from_db()
    return consultation


def bid_pdf(name="offre.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n% offre scellee\n%%EOF\n")


@pytest.fixture
def register_bid(world):
    """register_bid(consultation, name, siret_prefix, price) records a deposit now."""
    from groupement.identifiers import with_luhn_key

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
