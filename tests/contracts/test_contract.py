"""The contract from its signature to its end, the members' shares and the amendments."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contracts import services
from contracts.contract_rules import split_amount
from contracts.models import (
    Amendment,
    AmendmentState,
    Contract,
    ContractShare,
    ContractState,
    Signature,
)
from core import clock as server_clock
from core.workflow import BusinessRuleError
from groupement.models import Mission, Role
from journal.models import Entry
from procurement.models import ConsultationState
from tests.contracts.conftest import MEMBERS


def today():
    return server_clock.today()


# --- Shares ------------------------------------------------------------------------------


def test_largest_remainder_gives_the_last_cent_to_the_largest_remainders():
    # 100.00 split in thirds: 33.33 each leaves one cent, for the first of the equal remainders.
    assert split_amount(D("100.00"), {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}) == {
        "a": D("33.34"),
        "b": D("33.33"),
        "c": D("33.33"),
    }
    # 0.10 € shared 1/3 each: 0.03 + 0.03 + 0.03 = 0.09, the last cent to the largest remainder.
    amounts = split_amount(D("0.10"), {"a": D("33.33"), "b": D("33.34"), "c": D("33.33")})
    assert sum(amounts.values()) == D("0.10")
    assert amounts["b"] == D("0.04")


@pytest.mark.parametrize(
    "total", ["499999.99", "500000.00", "0.01", "1234567.89", "100.03", "7.77"]
)
def test_member_amounts_always_add_up_to_the_total(total):
    shares = {"BBAL": D("38.50"), "CALL": D("35.20"), "CAHC": D("18.30"), "PMA": D("8.00")}
    amounts = split_amount(D(total), shares)
    assert sum(amounts.values()) == D(total)
    assert all(abs(amounts[k] - D(total) * shares[k] / 100) < D("0.01") for k in shares)


def test_the_contract_takes_the_groupement_key(award_flow, world):
    flow = award_flow()
    contract = flow.until_letters()
    shares = {s.organisation.short_name: s.share for s in contract.shares.all()}
    expected = {m.organisation.short_name: m.share for m in world.ours.memberships.all()}
    assert shares == expected
    assert sum(s.amount for s in contract.shares.all()) == contract.amount


def test_shares_set_for_the_contract_must_add_up_to_100(award_flow, world):
    flow = award_flow()
    contract = flow.until_letters()
    before = list(ContractShare.objects.values_list("organisation", "share", "amount"))
    wrong = {world.orgs["COORD"]: D("50"), world.orgs["M1"]: D("30"), world.orgs["M2"]: D("10")}
    with pytest.raises(BusinessRuleError) as refusal:
        services.contract_set_shares(contract=contract, user=flow.coordinator, shares=wrong)
    assert "90\xa0%" in refusal.value.messages[0] and "100" in refusal.value.messages[0]
    assert list(ContractShare.objects.values_list("organisation", "share", "amount")) == before
    right = {world.orgs["COORD"]: D("50"), world.orgs["M1"]: D("30"), world.orgs["M2"]: D("20")}
    services.contract_set_shares(contract=contract, user=flow.coordinator, shares=right)
    contract.refresh_from_db()
    assert contract.shares_overridden
    assert {s.organisation.short_name: s.amount for s in contract.shares.all()} == {
        "COORD": D("250000.00"),
        "M1": D("150000.00"),
        "M2": D("100000.00"),
    }


def test_a_share_for_an_outsider_is_refused(award_flow, world):
    flow = award_flow()
    contract = flow.until_letters()
    shares = {world.orgs["COORD"]: D("50"), world.orgs["M1"]: D("30"), world.orgs["OUT1"]: D("20")}
    with pytest.raises(BusinessRuleError) as refusal:
        services.contract_set_shares(contract=contract, user=flow.coordinator, shares=shares)
    assert "Organisation OUT1" in " ".join(refusal.value.messages)


# --- Standstill and signature ------------------------------------------------------------


def test_signing_during_the_standstill_is_refused_citing_r2182_1(award_flow, world):
    flow = award_flow()
    contract = flow.until_letters()
    sent = timezone.localdate(contract.award.letters_sent_at)
    referent = world.user("COORD", Role.REFERENT)
    flow.clock.move(days=11)
    with pytest.raises(BusinessRuleError) as refusal:
        services.contract_sign(contract=contract, user=referent, on=today())
    message = refusal.value.messages[0]
    assert "R2182-1" in message
    earliest = sent + datetime.timedelta(days=12)
    assert f"{earliest.day} " in message
    assert not Signature.objects.exists()
    flow.clock.move(days=1)
    services.contract_sign(contract=contract, user=referent, on=today())
    assert Signature.objects.count() == 1


def test_a_signature_cannot_be_backdated_into_the_standstill(award_flow, world):
    flow = award_flow()
    contract = flow.until_letters()
    flow.clock.move(days=30)
    with pytest.raises(BusinessRuleError) as refusal:
        services.contract_sign(
            contract=contract,
            user=world.user("M1", Role.REFERENT),
            on=today() - datetime.timedelta(days=25),
        )
    assert "R2182-1" in refusal.value.messages[0]


def test_letters_by_post_mean_16_days(award_flow, world):
    flow = award_flow()
    contract = flow.until_letters(electronic=False)
    flow.clock.move(days=16)
    with pytest.raises(BusinessRuleError):
        services.contract_sign(contract=contract, user=world.user("M1", Role.REFERENT), on=today())
    flow.clock.move(days=1)
    services.contract_sign(contract=contract, user=world.user("M1", Role.REFERENT), on=today())


def test_a_single_bidder_needs_no_standstill(award_flow, world):
    flow = award_flow(prices=[("Alpha", "500000")])
    contract = flow.until_letters()
    assert contract.award.standstill_ends_at is None
    flow.sign_all()
    assert flow.contract().state == ContractState.SIGNED


def test_mission_a_needs_every_member_to_sign(award_flow, world):
    flow = award_flow()
    contract = flow.until_letters()
    flow.clock.move(days=12)
    for key in MEMBERS[:-1]:
        services.contract_sign(contract=contract, user=world.user(key, Role.REFERENT), on=today())
        assert flow.contract().state == ContractState.TO_SIGN
    with pytest.raises(PermissionDenied):
        services.contract_sign(contract=contract, user=flow.coordinator, on=today())
    services.contract_sign(contract=contract, user=world.user("M2", Role.REFERENT), on=today())
    assert flow.contract().state == ContractState.SIGNED
    with pytest.raises(BusinessRuleError):
        services.contract_sign(contract=contract, user=world.user("M2", Role.REFERENT), on=today())


@pytest.mark.parametrize("mission", [Mission.B, Mission.C])
def test_missions_b_and_c_the_coordinator_signs_for_all(award_flow, world, mission):
    type(world.ours).objects.filter(pk=world.ours.pk).update(mission=mission)
    flow = award_flow()
    contract = flow.until_letters()
    flow.clock.move(days=12)
    with pytest.raises(PermissionDenied):
        services.contract_sign(contract=contract, user=world.user("M1", Role.REFERENT), on=today())
    services.contract_sign(contract=contract, user=flow.coordinator, on=today())
    assert flow.contract().state == ContractState.SIGNED


def test_notification_before_the_signature_is_refused(award_flow, world):
    flow = award_flow()
    flow.until_letters()
    flow.clock.move(days=14)
    contract = flow.sign_all()
    with pytest.raises(BusinessRuleError) as refusal:
        services.contract_notify(
            contract=contract, user=flow.coordinator, on=today() - datetime.timedelta(days=1)
        )
    assert "signature" in refusal.value.messages[0]
    assert Contract.objects.get().state == ContractState.SIGNED
    assert Contract.objects.get().notified_on is None


def test_the_notification_completes_the_consultation(notified):
    contract = notified.contract()
    assert contract.state == ContractState.NOTIFIED
    assert notified.consultation.state == ConsultationState.COMPLETED
    assert Entry.objects.filter(action="consultation terminée").exists()


def test_execution_then_end_or_termination(notified):
    contract = notified.contract()
    user = notified.coordinator
    services.contract_start(contract=contract, user=user, on=today())
    with pytest.raises(BusinessRuleError):
        services.contract_terminate(contract=contract, user=user, on=today(), ground="", reason="x")
    with pytest.raises(BusinessRuleError):
        services.contract_terminate(
            contract=contract, user=user, on=today(), ground="general_interest", reason=" "
        )
    services.contract_terminate(
        contract=contract,
        user=user,
        on=today(),
        ground="general_interest",
        reason="Le parc change de mode de gestion.",
    )
    contract.refresh_from_db()
    assert (contract.state, contract.termination_ground) == ("terminated", "general_interest")
    assert contract.ended_on == today()


def test_only_the_coordinator_notifies(notified, world):
    flow = notified
    with pytest.raises(PermissionDenied):
        services.contract_start(
            contract=flow.contract(), user=world.user("M1", Role.REFERENT), on=today()
        )


# --- Amendments --------------------------------------------------------------------------


def propose(flow, **kwargs):
    values = {"ground": "small", "description": "Ajout d'ateliers.", "amount_change": D("10000")}
    values.update(kwargs)
    return services.amendment_propose(contract=flow.contract(), user=flow.coordinator, **values)


def approve_and_sign(flow, amendment):
    for key in MEMBERS:
        services.amendment_review(
            amendment=amendment, user=flow.world.user(key, Role.REFERENT), approve=True
        )
    for key in MEMBERS:
        services.amendment_sign(
            amendment=amendment, user=flow.world.user(key, Role.REFERENT), on=today()
        )
    amendment.refresh_from_db()
    return amendment


def test_an_amendment_is_approved_signed_and_notified(notified):
    amendment = propose(notified)
    assert amendment.number == 1
    amendment = approve_and_sign(notified, amendment)
    assert amendment.state == AmendmentState.SIGNED
    services.amendment_notify(amendment=amendment, user=notified.coordinator, on=today())
    amendment.refresh_from_db()
    assert amendment.notified_on == today()


def test_a_member_refusal_ends_the_amendment(notified, world):
    amendment = propose(notified)
    with pytest.raises(BusinessRuleError):
        services.amendment_review(
            amendment=amendment, user=world.user("M1", Role.REFERENT), approve=False
        )
    services.amendment_review(
        amendment=amendment,
        user=world.user("M1", Role.REFERENT),
        approve=False,
        comment="Pas de budget.",
    )
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.REFUSED


def test_small_modifications_cumulated_stay_below_10_percent(notified):
    # Initial amount 500 000 € HT: 10 % is 50 000.
    approve_and_sign(notified, propose(notified, amount_change=D("24999")))
    with pytest.raises(BusinessRuleError) as refusal:
        propose(notified, amount_change=D("25001"), committee_opinion_on=today())
    assert "R2194-8" in refusal.value.messages[0]
    assert "50\xa0000,00" in refusal.value.messages[0]
    assert Amendment.objects.count() == 1
    propose(notified, amount_change=D("25000.99"), committee_opinion_on=today())


def test_additional_services_stay_within_half_the_initial_amount(notified):
    with pytest.raises(BusinessRuleError) as refusal:
        propose(
            notified,
            ground="additional",
            amount_change=D("250000.01"),
            committee_opinion_on=today(),
        )
    assert "R2194-3" in refusal.value.messages[0]
    assert not Amendment.objects.exists()
    propose(notified, ground="additional", amount_change=D("250000"), committee_opinion_on=today())


def test_above_5_percent_the_committee_opinion_is_recorded(notified):
    with pytest.raises(BusinessRuleError) as refusal:
        propose(notified, ground="unforeseeable", amount_change=D("25000.01"))
    assert "L1414-4" in refusal.value.messages[0]
    propose(notified, ground="unforeseeable", amount_change=D("25000"))


def test_an_amendment_cannot_bring_the_amount_to_zero(notified):
    with pytest.raises(BusinessRuleError):
        propose(notified, ground="review_clause", amount_change=D("-500000"))


def test_the_cumulated_change(notified):
    from contracts.contract_rules import cumulated_change

    approve_and_sign(notified, propose(notified, amount_change=D("20000")))
    approve_and_sign(
        notified,
        propose(
            notified, ground="review_clause", amount_change=D("-5000"), duration_change_months=6
        ),
    )
    change = cumulated_change(notified.contract())
    assert change.amount == D("15000")
    assert change.share == D("3.00")
    assert change.current_amount == D("515000")
    assert change.duration_months == 6
