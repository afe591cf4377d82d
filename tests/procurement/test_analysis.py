import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from core import clock as server_clock
from core.workflow import BusinessRuleError
from groupement.models import Role
from journal.models import Entry
from procurement import rules, selectors, services
from procurement.models import Bid, ConsultationState

ESTIMATE = Decimal("600000")


@pytest.fixture
def in_analysis(world, consultation_in, register_bid, clock):
    """An open call for tenders in analysis with four bids, one of them very cheap."""
    consultation = consultation_in(ConsultationState.PUBLISHED)
    bids = [
        register_bid(consultation, "Innov'Artois", 1, price=Decimal("560000")),
        register_bid(consultation, "Territoires Conseil", 2, price=Decimal("590000")),
        register_bid(consultation, "Parcs & Co", 3, price=Decimal("575000")),
        register_bid(consultation, "Low Cost Animation", 4, price=Decimal("300000")),
    ]
    clock.move(days=41)
    services.consultation_open_bids(consultation=consultation, user=world.coordinator())
    services.consultation_start_analysis(consultation=consultation, user=world.coordinator())
    consultation.refresh_from_db()
    return consultation, bids


def test_decisions_need_a_written_reason_and_are_journaled(world, in_analysis):
    _consultation, bids = in_analysis
    coordinator = world.coordinator()
    with pytest.raises(BusinessRuleError):
        services.bid_decide(bid=bids[0], user=coordinator, decision="mark_regular", reason="")
    services.bid_decide(bid=bids[0], user=coordinator, decision="admit")
    services.bid_decide(
        bid=bids[0], user=coordinator, decision="mark_regular", reason="Conforme au RC."
    )
    bid = Bid.objects.get(pk=bids[0].pk)
    assert (bid.candidature, bid.offer, bid.offer_reason) == (
        "admitted",
        "regular",
        "Conforme au RC.",
    )
    assert Entry.objects.filter(object_id=str(bid.pk), action="offre régulière").exists()


def test_an_irregular_offer_may_be_regularised(world, in_analysis):
    _consultation, bids = in_analysis
    coordinator = world.coordinator()
    for decision, reason in [
        ("mark_irregular", "Annexe financière non signée."),
        ("request_regularisation", "Signature demandée à tous les soumissionnaires concernés."),
        ("mark_regular", "Annexe signée reçue."),
    ]:
        services.bid_decide(bid=bids[1], user=coordinator, decision=decision, reason=reason)
    assert Bid.objects.get(pk=bids[1].pk).offer == "regular"


def test_the_abnormally_low_rules_flag_the_outlier_only(world, in_analysis):
    _consultation, bids = in_analysis
    for bid in bids[:3]:
        services.bid_decide(
            bid=bid, user=world.coordinator(), decision="mark_regular", reason="Conforme."
        )
    lot_bids = list(Bid.objects.filter(pk__in=[b.pk for b in bids]).select_related("lot"))
    flagged = {b.bidder.name: rules.abnormally_low_reasons(b, lot_bids) for b in lot_bids}
    assert flagged["Innov'Artois"] == []
    assert len(flagged["Low Cost Animation"]) == 2  # below 80 % of the mean and 70 % of estimate
    assert "80" in flagged["Low Cost Animation"][0]


def test_the_abnormally_low_mean_rule_is_configurable(world, in_analysis, settings):
    _consultation, bids = in_analysis
    for bid in bids[:3]:
        services.bid_decide(
            bid=bid, user=world.coordinator(), decision="mark_regular", reason="Conforme."
        )
    settings.ABNORMALLY_LOW_MEAN_RATIO = "0.50"
    settings.ABNORMALLY_LOW_ESTIMATE_RATIO = "0.40"
    lot_bids = list(Bid.objects.filter(pk__in=[b.pk for b in bids]).select_related("lot"))
    cheap = next(b for b in lot_bids if b.bidder.name == "Low Cost Animation")
    assert rules.abnormally_low_reasons(cheap, lot_bids) == []


def test_an_abnormally_low_offer_must_be_justified_then_judged(world, in_analysis):
    consultation, bids = in_analysis
    coordinator = world.coordinator()
    cheap = bids[3]
    assert [b.pk for b in selectors.pending_price_justifications(consultation)] == [cheap.pk]
    with pytest.raises(BusinessRuleError):
        services.bid_request_price_justification(bid=bids[0], user=coordinator)
    with pytest.raises(BusinessRuleError):
        services.bid_judge_price_justification(
            bid=cheap, user=coordinator, accepted=False, reason="Trop bas."
        )
    services.bid_request_price_justification(bid=cheap, user=coordinator)
    services.bid_judge_price_justification(
        bid=cheap,
        user=coordinator,
        accepted=False,
        reason="Les moyens humains décrits ne couvrent pas le volume d'animation exigé.",
    )
    cheap = Bid.objects.get(pk=cheap.pk)
    assert (cheap.offer, cheap.low_price_decision) == ("abnormally_low", "rejected")
    assert selectors.pending_price_justifications(consultation) == []


def test_candidates_asked_to_complete_share_one_deadline(world, in_analysis):
    consultation, bids = in_analysis
    deadline = server_clock.now() + datetime.timedelta(days=5)
    services.candidatures_request_completion(
        consultation=consultation,
        user=world.coordinator(),
        bids=bids[:2],
        deadline=deadline,
        reason="Attestation d'assurance manquante.",
    )
    assert {b.completion_deadline for b in Bid.objects.filter(pk__in=[bids[0].pk, bids[1].pk])} == {
        deadline
    }
    services.bid_decide(bid=bids[0], user=world.coordinator(), decision="admit")
    assert Bid.objects.get(pk=bids[0].pk).candidature == "admitted"


def test_prices_read_at_the_opening_and_corrected_with_a_reason(world, in_analysis, clock):
    _consultation, bids = in_analysis
    before = bids[0].price
    with pytest.raises(BusinessRuleError, match="indiquez pourquoi"):
        services.bid_record_price(bid=bids[0], user=world.coordinator(), price=Decimal("561000"))
    assert Bid.objects.get(pk=bids[0].pk).price == before
    services.bid_record_price(
        bid=bids[0], user=world.coordinator(), price=Decimal("561000"), reason="Lu 561 000 €."
    )
    assert Bid.objects.get(pk=bids[0].pk).price == Decimal("561000")
    entry = Entry.objects.filter(action="prix de l'offre corrigé").get()
    assert "561" in entry.reason and "au lieu de" in entry.reason and "Lu 561" in entry.reason
    with pytest.raises(BusinessRuleError):
        services.bid_record_price(bid=bids[0], user=world.coordinator(), price=Decimal("0"))


def test_no_price_before_the_opening(world, consultation_in, register_bid):
    consultation = consultation_in(ConsultationState.PUBLISHED)
    bid = register_bid(consultation, "Innov'Artois", 1, price=None)
    with pytest.raises(BusinessRuleError):
        services.bid_record_price(bid=bid, user=world.coordinator(), price=Decimal("1000"))
    assert Bid.objects.get(pk=bid.pk).price is None


def test_negotiation_is_refused_in_an_appel_d_offres(world, in_analysis):
    consultation, _bids = in_analysis
    with pytest.raises(BusinessRuleError) as refusal:
        services.consultation_start_negotiation(consultation=consultation, user=world.coordinator())
    assert "L2124-2" in refusal.value.messages[0]


def test_negotiation_is_allowed_in_a_procedure_avec_negociation(
    world, consultation_in, register_bid, clock
):
    consultation = consultation_in(ConsultationState.PUBLISHED, procedure="negotiated")
    register_bid(consultation, "Innov'Artois", 1)
    clock.move(days=41)
    services.consultation_open_bids(consultation=consultation, user=world.coordinator())
    services.consultation_start_analysis(consultation=consultation, user=world.coordinator())
    services.consultation_start_negotiation(consultation=consultation, user=world.coordinator())
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.NEGOTIATION


def test_unsuccessful_after_analysis_with_a_reason(world, in_analysis):
    consultation, _bids = in_analysis
    with pytest.raises(BusinessRuleError):
        services.consultation_declare_unsuccessful(
            consultation=consultation, user=world.coordinator(), reason=""
        )
    services.consultation_declare_unsuccessful(
        consultation=consultation,
        user=world.coordinator(),
        reason="Toutes les offres sont inacceptables.",
    )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.UNSUCCESSFUL


def test_the_analysis_page_for_the_coordinator_and_a_referent(client, world, in_analysis):
    consultation, bids = in_analysis
    url = reverse("procurement:analysis", args=[consultation.pk])
    client.force_login(world.coordinator())
    page = client.get(url).content.decode()
    assert "Low Cost Animation" in page and "300\u00a0000,00" in page
    assert reverse("procurement:bid_decision", args=[bids[0].pk]) in page
    response = client.post(
        reverse("procurement:bid_decision", args=[bids[0].pk]),
        {f"bid{bids[0].pk}-decision": "admit", f"bid{bids[0].pk}-reason": ""},
    )
    assert response.status_code == 302
    assert Bid.objects.get(pk=bids[0].pk).candidature == "admitted"
    client.force_login(world.user("M1", Role.REFERENT))
    page = client.get(url).content.decode()
    assert "Low Cost Animation" in page
    assert reverse("procurement:bid_decision", args=[bids[0].pk]) not in page
    client.force_login(world.user("M1", Role.EVALUATEUR))
    assert client.get(url).status_code == 403


def test_the_price_page_of_a_sealed_bid_shows_no_price(
    client, world, consultation_in, register_bid
):
    """Before the opening, nobody reads a price: not even as a form's initial value."""
    consultation = consultation_in(ConsultationState.PUBLISHED)
    bid = register_bid(consultation, "Scellé", 7, price=Decimal("487123.45"))
    client.force_login(world.coordinator())
    response = client.get(reverse("procurement:bid_price", args=[bid.pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "scellé" in body
    assert not any(v in body for v in ("487123", "487 123", "487\u202f123", "487\xa0123"))
    response = client.post(reverse("procurement:bid_price", args=[bid.pk]), {"price": "1"})
    assert response.status_code == 403
    bid.refresh_from_db()
    assert bid.price == Decimal("487123.45")


def test_the_analysis_page_shows_one_page_of_offers_judged_against_the_whole_lot(
    client, world, in_analysis, monkeypatch
):
    """A large consultation's offers come a page at a time; an offer on the second page is
    still compared with every offer of its lot, and a decision taken there comes back to it."""
    monkeypatch.setattr(selectors, "BIDS_PAGE_SIZE", 2)
    consultation, bids = in_analysis
    for bid in bids[:3]:
        services.bid_decide(
            bid=bid, user=world.coordinator(), decision="mark_regular", reason="Conforme."
        )
    url = reverse("procurement:analysis", args=[consultation.pk])
    client.force_login(world.coordinator())
    row = "{}<br>".format  # an offer's row starts with its bidder's name
    first = html.unescape(client.get(url).content.decode())
    assert row("Innov'Artois") in first and row("Low Cost Animation") not in first
    assert "?plis=2" in first
    second = html.unescape(client.get(url, {"plis": 2}).content.decode())
    assert row("Low Cost Animation") in second and row("Innov'Artois") not in second
    cheap = Bid.objects.get(pk=bids[3].pk)
    reasons = rules.abnormally_low_reasons(cheap, list(Bid.objects.filter(lot=cheap.lot)))
    assert len(reasons) == 2 and all(reason in second for reason in reasons)
    # Searched, the same offer is found on the first page.
    assert row("Low Cost Animation") in client.get(url, {"q": "low cost"}).content.decode()
    response = client.post(
        reverse("procurement:bid_decision", args=[cheap.pk]) + "?plis=2&lot=&autre=1",
        {f"bid{cheap.pk}-decision": "admit", f"bid{cheap.pk}-reason": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}?plis=2#plis"
    for hostile in ("abc", "-1", "9" * 30, "1\x00"):
        assert client.get(url, {"plis": hostile}).status_code == 200
