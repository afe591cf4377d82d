import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import clock as server_clock
from core.workflow import BusinessRuleError
from groupement.identifiers import with_luhn_key
from groupement.models import Role
from journal.models import Entry
from procurement import services
from procurement.models import Bid, Bidder, BidDocument, ConsultationState, Opening
from tests.fixtures_procurement import bid_pdf
from tests.helpers import messages_of

PRICE = Decimal("512345.67")
# The sections of the consultation page, after its summary (procurement/urls.py).
SECTIONS = ("documents", "questions", "bids", "history")


@pytest.fixture
def published(consultation_in):
    return consultation_in(ConsultationState.PUBLISHED)


def test_before_the_opening_nobody_sees_a_price_or_reads_a_document(
    client, admin_client, world, published, register_bid
):
    bid = register_bid(published, "Innov'Artois", 1, price=PRICE)
    document = bid.documents.get()
    url = reverse("procurement:bid_document", args=[document.pk])
    detail = reverse("procurement:detail", args=[published.pk])
    sections = [reverse(f"procurement:detail_{s}", args=[published.pk]) for s in SECTIONS]
    for who in (world.coordinator(), world.user("M1", Role.REFERENT)):
        client.force_login(who)
        page = client.get(sections[2]).content.decode()
        assert "Innov'Artois" in page or "Innov&#x27;Artois" in page
        for url_of_section in (detail, *sections):
            assert "512" not in client.get(url_of_section).content.decode(), url_of_section
        response = client.get(url)
        assert response.status_code == 403
        assert "scellé" in response.content.decode()
    # A superuser holds no business role here: outside the groupement, like anybody else.
    assert admin_client.get(detail).status_code == 404
    assert admin_client.get(url).status_code == 404
    refusals = Entry.objects.filter(action="lecture d'un pli scellé refusée")
    assert refusals.count() == 2


def test_the_opening_unseals_the_bids_for_the_referents(
    client, world, published, register_bid, clock
):
    bid = register_bid(published, "Innov'Artois", 1, price=PRICE)
    clock.move(days=41)
    opening = services.consultation_open_bids(consultation=published, user=world.coordinator())
    assert (opening.bids_count, opening.late_count) == (1, 0)
    assert "Innov'Artois" in opening.minutes and "512" in opening.minutes
    client.force_login(world.user("M1", Role.REFERENT))
    page = client.get(reverse("procurement:detail_bids", args=[published.pk])).content.decode()
    assert "512\u00a0345,67" in page or "512 345,67" in page
    response = client.get(reverse("procurement:bid_document", args=[bid.documents.get().pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Entry.objects.filter(action="lecture d'un document du pli").count() == 1


def test_an_evaluator_cannot_read_bids_before_scoring_is_set_up(
    client, world, published, register_bid, clock
):
    bid = register_bid(published, "Innov'Artois", 1)
    clock.move(days=41)
    services.consultation_open_bids(consultation=published, user=world.coordinator())
    client.force_login(world.user("M1", Role.EVALUATEUR))
    url = reverse("procurement:bid_document", args=[bid.documents.get().pk])
    assert client.get(url).status_code == 403


def test_a_deposit_after_the_deadline_is_late_and_never_opened(
    client, world, published, register_bid, clock
):
    on_time = register_bid(published, "A l'heure", 1)
    clock.move(days=40, minutes=1)
    late = register_bid(published, "En retard", 2)
    assert (on_time.late, late.late) == (False, True)
    opening = services.consultation_open_bids(consultation=published, user=world.coordinator())
    assert (opening.bids_count, opening.late_count) == (1, 1)
    assert "En retard" not in opening.minutes
    client.force_login(world.coordinator())
    url = reverse("procurement:bid_document", args=[late.documents.get().pk])
    assert client.get(url).status_code == 403


def test_opening_before_the_deadline_is_refused(client, world, published, register_bid):
    register_bid(published, "Innov'Artois", 1)
    client.force_login(world.coordinator())
    response = client.post(reverse("procurement:opening", args=[published.pk]), follow=True)
    assert any("après la date limite" in m for m in messages_of(response))
    assert not Opening.objects.exists()
    published.refresh_from_db()
    assert published.state == ConsultationState.PUBLISHED


def test_a_second_opening_is_refused(world, published, register_bid, clock):
    register_bid(published, "Innov'Artois", 1)
    clock.move(days=41)
    services.consultation_open_bids(consultation=published, user=world.coordinator())
    with pytest.raises(BusinessRuleError):
        services.consultation_open_bids(consultation=published, user=world.coordinator())
    assert Opening.objects.count() == 1
    assert Entry.objects.filter(action="ouverture des plis").count() == 1


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"price": Decimal("0")}, "supérieur à 0"),
        ({"price": Decimal("-10")}, "supérieur à 0"),
        ({"received_at": "future"}, "futur"),
    ],
    ids=["zero-price", "negative-price", "future-deposit"],
)
def test_bad_deposits_are_refused_and_nothing_is_saved(
    world, published, register_bid, overrides, expected
):
    if overrides.get("received_at") == "future":
        overrides["received_at"] = server_clock.now() + datetime.timedelta(hours=1)
    before = (Bid.objects.count(), Entry.objects.count())
    with pytest.raises(BusinessRuleError) as refusal:
        register_bid(published, "Innov'Artois", 1, **overrides)
    assert expected in " ".join(refusal.value.messages)
    assert (Bid.objects.count(), Entry.objects.count()) == before


def test_the_same_bidder_twice_on_a_lot_is_refused(world, published, register_bid):
    register_bid(published, "Innov'Artois", 1)
    with pytest.raises(BusinessRuleError) as refusal:
        register_bid(published, "Innov'Artois", 1)
    assert "déjà déposé" in refusal.value.messages[0]
    assert Bid.objects.count() == 1


def test_deposits_wait_for_the_publication(world, consultation_in, register_bid):
    ready = consultation_in(ConsultationState.READY)
    with pytest.raises(BusinessRuleError):
        register_bid(ready, "Innov'Artois", 1)
    assert not Bid.objects.exists()


def test_a_joint_bid_with_subcontractors_through_the_form(client, world, published):
    client.force_login(world.coordinator())
    response = client.post(
        reverse("procurement:bid_register", args=[published.pk]),
        {
            "lot": published.lots.get().pk,
            "name": "Groupement Artois Innovation",
            "siret": "73282932000074",
            "country": "FR",
            "email": "mandataire@operateur.invalid",
            "grouping": "joint_several",
            "members": "Partenaire Lens; 35600000000048",
            "subcontractors": "Graphiste SARL; ; conception graphique",
            "receipt_number": "PLACE-2027-0042",
            "price": "498 000,00",
            "documents": [bid_pdf("candidature.pdf"), bid_pdf("offre.pdf")],
        },
    )
    assert response.status_code == 302, response.content.decode()
    bid = Bid.objects.get()
    assert bid.grouping == "joint_several"
    assert [m.bidder.name for m in bid.members.all()] == ["Partenaire Lens"]
    assert bid.subcontractors.get().services == "conception graphique"
    assert bid.price == Decimal("498000.00")
    assert bid.documents.count() == 2
    assert all(len(d.sha256) == 64 for d in bid.documents.all())


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("siret", "73282932000075", "Luhn"),
        ("price", "0", "supérieur à 0"),
        ("members", "Sans siret", "nom ; SIRET"),
    ],
    ids=["bad-siret", "zero-price", "malformed-member"],
)
def test_a_bad_deposit_form_is_refused(client, world, published, field, value, expected):
    import html

    data = {
        "lot": published.lots.get().pk,
        "name": "Opérateur",
        "siret": "73282932000074",
        "country": "FR",
        "grouping": "joint" if field == "members" else "single",
        "price": "1000",
    }
    data[field] = value
    client.force_login(world.coordinator())
    response = client.post(reverse("procurement:bid_register", args=[published.pk]), data)
    assert response.status_code == 200
    assert expected in html.unescape(response.content.decode())
    assert not Bid.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("offre.exe", b"MZ..."), ("vide.pdf", b"")],
    ids=["forbidden-type", "empty"],
)
def test_a_bad_bid_document_is_refused_and_nothing_is_saved(world, published, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bidder = services.bidder_for(name="Opérateur", siret="73282932000074")
    with pytest.raises(BusinessRuleError) as refusal:
        services.bid_register(
            lot=published.lots.get(),
            user=world.coordinator(),
            terms=services.BidTerms(bidder=bidder, price=PRICE),
            documents=[SimpleUploadedFile(name, content)],
        )
    assert name in refusal.value.messages[0]
    assert not Bid.objects.exists()


def test_a_deposit_refused_for_its_document_stores_no_bidder_and_no_file(client, world, published):
    client.force_login(world.coordinator())
    before = (Bidder.objects.count(), BidDocument.objects.count(), _stored_files())
    response = client.post(
        reverse("procurement:bid_register", args=[published.pk]),
        {
            "lot": published.lots.get().pk,
            "name": "Nouvel Opérateur",
            "siret": with_luhn_key("7123456780001"),
            "country": "FR",
            "grouping": "single",
            "price": "450000",
            "documents": [SimpleUploadedFile("offre.pdf", b"<html>pas un PDF</html>")],
        },
    )
    assert response.status_code == 200
    assert "quel que soit son nom" in response.content.decode()
    assert (Bidder.objects.count(), BidDocument.objects.count(), _stored_files()) == before


def _stored_files():
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(str(p) for p in root.rglob("*") if p.is_file())
