"""The award, contract and open-data pages: what each person sees and what bad input gets."""

import datetime
import json
from decimal import Decimal

from django.urls import reverse

from contracts import services
from contracts.models import Award, Contract, Letter, Signature
from core import clock as server_clock
from groupement.models import Role
from procurement.models import Lot
from tests.helpers import query_counts


def test_proposing_anyone_but_the_first_without_a_reason_shows_the_rule(client, award_flow):
    flow = award_flow()
    client.force_login(flow.coordinator)
    url = reverse("contracts:award_propose", args=[flow.lot.pk])
    response = client.post(url, {"bid": flow.bid("Charlie").pk, "reason": ""})
    assert response.status_code == 200
    assert "motif écrit" in response.content.decode()
    assert not Award.objects.exists()
    response = client.post(url, {"bid": flow.bid("Alpha").pk, "reason": ""})
    assert response.status_code == 302
    assert Award.objects.get().bid == flow.bid("Alpha")


def test_a_bid_outside_the_ranking_is_a_form_error(client, award_flow):
    flow = award_flow()
    client.force_login(flow.coordinator)
    response = client.post(
        reverse("contracts:award_propose", args=[flow.lot.pk]), {"bid": "999999"}
    )
    assert response.status_code == 200
    assert not Award.objects.exists()


def test_the_award_page_by_role(client, award_flow, world):
    flow = award_flow()
    flow.until_letters()
    url = reverse("contracts:award", args=[flow.lot.consultation_id])
    expected = {
        ("COORD", Role.GESTIONNAIRE): 200,
        ("M1", Role.REFERENT): 200,
        ("M1", Role.LECTEUR): 200,
        ("COORD", Role.MEMBRE_CAO): 200,
        ("M1", Role.EVALUATEUR): 403,
        ("OUT1", Role.GESTIONNAIRE): 404,
    }
    for role, status in expected.items():
        client.force_login(world.user(*role))
        assert client.get(url).status_code == status, role
    client.force_login(world.user("M1", Role.REFERENT))
    body = client.get(url).content.decode()
    assert "Délai de suspension" in body and "Encore 12 jours" in body


def test_signing_during_the_standstill_by_the_form_names_r2182_1(client, award_flow, world):
    flow = award_flow()
    contract = flow.until_letters()
    client.force_login(world.user("M1", Role.REFERENT))
    response = client.post(
        reverse("contracts:contract_sign", args=[contract.pk]),
        {"on": server_clock.today().isoformat()},
    )
    assert response.status_code == 200
    assert "R2182-1" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_notification_date_before_the_signature_by_the_form(client, award_flow):
    flow = award_flow()
    flow.until_letters()
    flow.clock.move(days=13)
    contract = flow.sign_all()
    client.force_login(flow.coordinator)
    response = client.post(
        reverse("contracts:contract_notify", args=[contract.pk]),
        {"on": (server_clock.today() - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 200
    assert "signature" in response.content.decode()
    assert Contract.objects.get().state == "signed"


def test_shares_that_do_not_add_up_by_the_form(client, award_flow, world):
    flow = award_flow()
    contract = flow.until_letters()
    client.force_login(flow.coordinator)
    data = {f"share_{world.orgs[k].pk}": v for k, v in (("COORD", "50"), ("M1", "30"), ("M2", "5"))}
    response = client.post(reverse("contracts:contract_shares", args=[contract.pk]), data)
    assert response.status_code == 200
    assert "au lieu de 100" in response.content.decode()
    assert not Contract.objects.get().shares_overridden


def test_an_amendment_above_its_limit_by_the_form(client, notified):
    client.force_login(notified.coordinator)
    response = client.post(
        reverse("contracts:amendment_propose", args=[notified.contract().pk]),
        {
            "ground": "additional",
            "description": "Extension du périmètre.",
            "amount_change": "300 000,00",
            "duration_change_months": "0",
            "committee_opinion_on": server_clock.today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "R2194-3" in response.content.decode()
    assert not notified.contract().amendments.exists()


def test_letters_are_read_by_the_groupement_only(client, award_flow, world):
    flow = award_flow()
    flow.until_letters()
    letter = Letter.objects.get(kind="rejection", bid__bidder__name="Bravo")
    url = reverse("contracts:letter", args=[letter.pk])
    client.force_login(world.user("M1", Role.REFERENT))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(world.user("OUT1", Role.GESTIONNAIRE))
    assert client.get(url).status_code == 404


def test_the_decp_file_of_an_outsider_is_not_found(client, notified, world):
    groupement = world.ours
    client.force_login(world.user("OUT1", Role.GESTIONNAIRE))
    assert client.get(reverse("contracts:decp", args=[groupement.pk])).status_code == 404
    assert (
        client.get(reverse("contracts:ocds", args=[notified.lot.consultation_id])).status_code
        == 404
    )
    client.force_login(world.user("M1", Role.LECTEUR))
    response = client.get(reverse("contracts:decp", args=[groupement.pk]))
    document = json.loads(response.content)
    [marche] = document["marches"]["marche"]
    assert marche["id"] == notified.contract().number
    assert marche["acheteur"]["id"] == world.orgs["COORD"].siret


def test_the_dashboard_reminds_what_waits(client, award_flow, world):
    flow = award_flow()
    award = flow.propose()
    flow.certificates(award)
    flow.submit_proposal()
    client.force_login(world.user("COORD", Role.MEMBRE_CAO))
    assert "Enregistrer la décision d’attribution" in client.get("/").content.decode()
    flow.decide()
    client.force_login(world.user("M1", Role.REFERENT))
    assert "Approuver l’attribution" in client.get("/").content.decode()
    flow.approve_all()
    client.force_login(flow.coordinator)
    assert "Envoyer les courriers" in client.get("/").content.decode()
    flow.send_letters()
    flow.clock.move(days=12)
    client.force_login(world.user("M1", Role.REFERENT))
    assert "Signer le marché" in client.get("/").content.decode()
    flow.sign_all()
    services.contract_notify(
        contract=flow.contract(), user=flow.coordinator, on=server_clock.today()
    )
    client.force_login(flow.coordinator)
    body = client.get("/").content.decode()
    assert "Publier avant le" in body and flow.contract().number in body


def test_recording_the_publication_ends_the_reminder(client, notified):
    client.force_login(notified.coordinator)
    url = reverse("contracts:publication", args=[notified.world.ours.pk])
    tomorrow = server_clock.today() + datetime.timedelta(days=1)
    response = client.post(url, {"on": tomorrow.isoformat()})
    assert response.status_code == 200 and "futur" in response.content.decode()
    response = client.post(url, {"on": server_clock.today().isoformat()})
    assert response.status_code == 302
    assert Contract.objects.get().data_published_on == server_clock.today()
    assert "Publier avant le" not in client.get("/").content.decode()
    response = client.post(url, {"on": server_clock.today().isoformat()})
    assert "Aucune donnée essentielle" in response.content.decode()


def test_the_contract_page_reads_as_many_queries_for_1_amendment_as_for_4(client, notified):
    def propose(number):
        services.amendment_propose(
            contract=notified.contract(),
            user=notified.coordinator,
            ground="review_clause",
            description=f"Révision n° {number}.",
            amount_change=Decimal("1000"),
        )

    client.force_login(notified.coordinator)
    url = reverse("contracts:contract", args=[notified.contract().pk])

    def page(expected):
        assert client.get(url).content.decode().count("Révision n°") == expected

    propose(1)
    (one,) = query_counts(lambda: page(1))
    for number in (2, 3, 4):
        propose(number)
    (four,) = query_counts(lambda: page(4))
    assert one == four <= 21, (one, four)


def test_the_award_page_reads_as_many_queries_for_1_lot_as_for_3(client, award_flow):
    flow = award_flow()
    flow.until_letters()
    client.force_login(flow.coordinator)
    url = reverse("contracts:award", args=[flow.lot.consultation_id])
    (one,) = query_counts(lambda: client.get(url))
    for number in (2, 3):
        Lot.objects.create(
            consultation_id=flow.lot.consultation_id,
            number=number,
            title=f"Lot {number}",
            estimated_value=1000,
            outcome="unsuccessful",
            outcome_reason="Aucune offre.",
        )
    (three,) = query_counts(lambda: client.get(url))
    assert one == three, (one, three)


def test_the_dashboard_reads_as_many_queries_for_one_contract_as_for_three(client, notified):
    """Contracts made directly: the dashboard's cost must not grow with them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from procurement.models import Lot

    def queries(user):
        client.force_login(user)
        client.get("/")
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
        return len(captured)

    people = [notified.coordinator, notified.world.user("M1", Role.REFERENT)]
    before = [queries(user) for user in people]
    award = notified.contract().award
    for number in (2, 3):
        lot = Lot.objects.create(
            consultation_id=notified.lot.consultation_id,
            number=number,
            title=f"Lot {number}",
            estimated_value=1000,
        )
        extra = Award.objects.create(
            lot=lot,
            bid=award.bid,
            rank=1,
            total=award.total,
            proposed_by=notified.coordinator,
            proposed_at=server_clock.now(),
            letters_sent_at=award.letters_sent_at,
        )
        Contract.objects.create(
            lot=lot,
            award=extra,
            holder=award.bid.bidder,
            number=f"EXTRA-{number}",
            title=lot.title,
            amount=1000,
            duration_months=12,
        )
    body = client.get("/").content.decode()
    assert "Signer le marché" in body and "EXTRA-3" in body
    assert [queries(user) for user in people] == before


def test_certificates_are_no_longer_judged_once_the_letters_are_sent(client, notified):
    notified.clock.move(days=200)
    client.force_login(notified.coordinator)
    body = client.get(reverse("contracts:award", args=[notified.lot.consultation_id]))
    assert "D8222-5" not in body.content.decode()


def test_the_contract_page_shows_its_amendments_a_page_at_a_time_the_latest_first(
    client, world, notified, monkeypatch
):
    """Dozens of amendments: one page of them, and one waiting for an answer on a later page
    still waits on the référent's « Mes actions »."""
    from contracts import contract_views

    monkeypatch.setattr(contract_views, "AMENDMENTS_PAGE_SIZE", 2)
    for number in (1, 2, 3):
        services.amendment_propose(
            contract=notified.contract(),
            user=notified.coordinator,
            ground="review_clause",
            description=f"Révision n° {number}.",
            amount_change=Decimal("1000"),
        )
    url = reverse("contracts:contract", args=[notified.contract().pk])
    client.force_login(notified.coordinator)
    first = client.get(url).content.decode()
    assert "Révision n° 3." in first and "Révision n° 2." in first
    assert "Révision n° 1." not in first and "?avenants=2" in first
    second = client.get(url, {"avenants": 2}).content.decode()
    assert "Révision n° 1." in second and "Révision n° 3." not in second
    referent = world.user("M1", Role.REFERENT)
    client.force_login(referent)
    oldest = notified.contract().amendments.get(number=1)
    review = reverse("contracts:amendment_review", args=[oldest.pk])
    assert review in client.get(url, {"avenants": 2}).content.decode()
    assert review in client.get("/").content.decode()
    assert client.get(url, {"avenants": "x" * 200}).status_code == 200
