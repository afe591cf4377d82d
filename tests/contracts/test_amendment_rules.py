"""The amendments' legal caps, the members' shares and the signature's dates at their
boundaries: plain functions, the objects they read stand in, the day pinned."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from contracts import contract_rules
from contracts.choices import AmendmentGround as Ground
from contracts.choices import AmendmentState
from tests.contracts.fakes import DAY, TODAY, Org, pinned_day  # noqa: F401 (pinned_day: autouse)

CENT = D("0.01")
INITIAL = D(100000)


COORD, M1, M2 = Org(1, "COORD"), Org(2, "M1"), Org(3, "M2")


def amendment(ground, amount, *, state=AmendmentState.SIGNED, months=0):
    return SimpleNamespace(
        ground=ground, amount_change=D(amount), duration_change_months=months, state=state
    )


def contract(*amendments, nature="services", amount=INITIAL):
    return SimpleNamespace(
        amount=amount,
        duration_months=24,
        lot=SimpleNamespace(consultation=SimpleNamespace(nature=nature)),
        amendments=SimpleNamespace(all=lambda: list(amendments)),
    )


def errors(a_contract, ground, amount, *, months=0, opinion=TODAY):
    return contract_rules.amendment_errors(
        a_contract,
        ground=ground,
        amount_change=D(amount),
        duration_change=months,
        committee_opinion_on=opinion,
    )


def small_refusal(share, limit, cumulated):
    return (
        f"Les modifications de faible montant, cumulées, restent sous {share}\xa0% du montant "
        f"initial, soit {limit}\xa0€\xa0HT ; avec celle-ci elles atteignent {cumulated}\xa0€\xa0HT "
        "(art. R2194-8 CCP)."
    )


# --- Small modifications: below 10 % (15 % works) cumulated, and the EU threshold -------------


@pytest.mark.parametrize(
    ("nature", "cap", "share", "limit"),
    [("services", D(10000), "10", "10\xa0000,00"), ("works", D(15000), "15", "15\xa0000,00")],
)
def test_small_modifications_stay_strictly_below_their_share(nature, cap, share, limit):
    # Art. R2194-8 CCP: 10 % of the initial amount for services and supplies, 15 % for works.
    assert errors(contract(nature=nature), Ground.SMALL, cap - CENT) == []
    at = f"{cap:,.2f}".replace(",", "\xa0").replace(".", ",")
    assert errors(contract(nature=nature), Ground.SMALL, cap) == [small_refusal(share, limit, at)]
    assert errors(contract(nature=nature), Ground.SMALL, cap + CENT)


def test_small_modifications_are_cumulated_in_absolute_value_refused_ones_aside():
    earlier = [
        amendment(Ground.SMALL, "-4000"),
        amendment(Ground.SMALL, "3000", state=AmendmentState.PROPOSED),
        amendment(Ground.SMALL, "50000", state=AmendmentState.REFUSED),
        amendment(Ground.NON_SUBSTANTIAL, "50000"),
    ]
    assert errors(contract(*earlier), Ground.SMALL, "2999.99") == []
    assert errors(contract(*earlier), Ground.SMALL, "-3000") == [
        small_refusal("10", "10\xa0000,00", "10\xa0000,00")
    ]


@pytest.mark.parametrize(
    ("amount", "refused"), [(D(5404000) - CENT, False), (D(5404000), True), (D(5404001), True)]
)
def test_small_works_modifications_stay_below_the_eu_threshold(amount, refused):
    # 15 % of 40 M€ is 6 M€: only the European threshold of 5 404 000 € HT applies.
    big = contract(nature="works", amount=D(40 * 10**6))
    threshold = (
        "Les modifications de faible montant, cumulées, restent sous le seuil européen de "
        "5\xa0404\xa0000,00\xa0€\xa0HT (art. R2194-8 CCP)."
    )
    assert errors(big, Ground.SMALL, amount) == ([threshold] if refused else [])


# --- Additional services and unforeseeable circumstances: 50 % each (R2194-3, R2194-6) --------


@pytest.mark.parametrize("ground", [Ground.ADDITIONAL, Ground.UNFORESEEABLE])
@pytest.mark.parametrize(
    ("amount", "refused"), [(D(50000) - CENT, False), (D(50000), False), (D(50000) + CENT, True)]
)
def test_each_modification_stays_within_half_the_initial_amount(ground, amount, refused):
    # Each one on its own: an earlier one of 40 000 € does not count.
    earlier = contract(amendment(ground, "40000"))
    assert errors(earlier, ground, amount) == (
        [
            "Une modification pour prestations supplémentaires ou circonstances imprévues reste "
            "dans la limite de 50 % du montant initial, soit 50\xa0000,00\xa0€\xa0HT "
            "(art. R2194-3 et R2194-6 CCP)."
        ]
        if refused
        else []
    )


def test_other_grounds_have_no_amount_cap_of_their_own():
    for ground in (Ground.REVIEW_CLAUSE, Ground.NON_SUBSTANTIAL):
        assert errors(contract(), ground, "90000") == []


# --- The tender committee's opinion above +5 % (art. L1414-4 CGCT) ----------------------------


@pytest.mark.parametrize(
    ("amount", "refused"), [(D(5000) - CENT, False), (D(5000), False), (D(5000) + CENT, True)]
)
def test_an_increase_above_five_percent_waits_for_the_committees_opinion(amount, refused):
    assert errors(contract(), Ground.NON_SUBSTANTIAL, amount, opinion=None) == (
        [
            "Une augmentation de plus de 5 % du montant initial est d’abord soumise à l’avis de "
            "la commission d’appel d’offres (art. L1414-4 CGCT) : indiquez sa date."
        ]
        if refused
        else []
    )
    assert errors(contract(), Ground.NON_SUBSTANTIAL, amount, opinion=TODAY) == []


# --- The contract stays worth 1 € and lasts a month --------------------------------------------


@pytest.mark.parametrize(
    ("amount", "months", "expected"),
    [
        ("-99999", -23, []),
        ("-100000", -23, ["Le montant du marché reste d’au moins 1 € HT."]),
        ("-99999", -24, ["La durée du marché reste d’au moins un mois."]),
    ],
)
def test_the_contract_keeps_at_least_one_euro_and_one_month(amount, months, expected):
    # Live amendments count, refused ones do not: +1 000 € and +2 months, then refused ones.
    earlier = contract(
        amendment(Ground.NON_SUBSTANTIAL, "1000", months=2, state=AmendmentState.PROPOSED),
        amendment(Ground.NON_SUBSTANTIAL, "50000", months=12, state=AmendmentState.REFUSED),
    )
    assert errors(earlier, Ground.NON_SUBSTANTIAL, D(amount) - 1000, months=months - 2) == expected


def test_an_unknown_ground_is_refused_first():
    assert errors(contract(), "whim", "-200000") == ["Fondement juridique inconnu."]


def test_the_cumulated_change_counts_signed_amendments_only():
    change = contract_rules.cumulated_change(
        contract(
            amendment(Ground.SMALL, "3000", months=2),
            amendment(Ground.ADDITIONAL, "1234.56", months=1),
            amendment(Ground.SMALL, "9000", months=5, state=AmendmentState.APPROVED),
        )
    )
    assert change == contract_rules.CumulatedChange(
        amount=D("4234.56"),
        share=D("4.23"),
        duration_months=3,
        current_amount=D("104234.56"),
        current_duration=27,
    )


def test_the_cumulated_change_reads_the_amendments_given_or_the_contracts():
    signed = contract(amendment(Ground.SMALL, "3000", months=2))
    # Nothing signed yet: no change, a share of 0.
    unchanged = contract_rules.cumulated_change(signed, [])
    assert unchanged == contract_rules.CumulatedChange(
        amount=D(0), share=D("0.00"), duration_months=0, current_amount=INITIAL, current_duration=24
    )
    # An amount in euros, like the contract's, even when nothing changed.
    assert isinstance(unchanged.amount, D)
    assert contract_rules.cumulated_change(signed).share == D("3.00")


# --- Members' shares (convention constitutive, art. L2113-7 CCP) -------------------------------


def test_shares_are_one_per_member_each_positive_adding_up_to_100():
    assert contract_rules.share_errors({COORD: D(60), M1: D(40)}, [COORD, M1]) == []
    assert contract_rules.share_errors({COORD: D(100), M2: D(0)}, [COORD, M1]) == [
        "M2 ne sont pas membres du groupement.",
        "La part de chaque membre est supérieure à 0 %.",
    ]
    assert contract_rules.share_errors({COORD: D(50), M1: D(25), M2: D(25)}, [COORD]) == [
        "M1, M2 ne sont pas membres du groupement."
    ]


@pytest.mark.parametrize(("m1", "total"), [("39.99", "99,99"), ("40.01", "100,01")])
def test_shares_add_up_to_exactly_100_percent(m1, total):
    assert contract_rules.share_errors({COORD: D(60), M1: D(m1)}, [COORD, M1]) == [
        f"Les parts des membres totalisent {total}\xa0% au lieu de 100 % : tout le montant du "
        "marché est réparti (convention constitutive, art. L2113-7 CCP)."
    ]


@pytest.mark.parametrize(("m1", "refused"), [("0", True), ("0.01", False), ("0.5", False)])
def test_a_share_just_above_zero_is_accepted(m1, refused):
    shares = {COORD: D(100) - D(m1), M1: D(m1)}
    assert bool(contract_rules.share_errors(shares, [COORD, M1])) is refused


@pytest.mark.parametrize(
    ("total", "shares", "amounts"),
    [
        ("100.00", {"a": "50", "b": "50"}, {"a": "50.00", "b": "50.00"}),
        # 0.05 € in 60/40: 0.03 and 0.02 exactly.
        ("0.05", {"a": "60", "b": "40"}, {"a": "0.03", "b": "0.02"}),
        # 1.00 € in thirds: 0.33 each, the cent left to the first of the largest remainders.
        ("1", {"a": "33.33", "b": "33.33", "c": "33.34"}, {"a": "0.33", "b": "0.33", "c": "0.34"}),
        # 10.01 € at 90/10: 9.009 and 1.001, the cent to the largest remainder (a: 0.009).
        ("10.01", {"a": "90", "b": "10"}, {"a": "9.01", "b": "1.00"}),
        # 1.00 € at 10.7/89.3: 0.107 and 0.893, the cent to the larger remainder, not amount.
        ("1", {"a": "10.7", "b": "89.3"}, {"a": "0.11", "b": "0.89"}),
        # Half a cent each way: every amount rounded down first, the cent to the first given.
        ("1", {"a": "0.5", "b": "99.5"}, {"a": "0.01", "b": "0.99"}),
    ],
)
def test_an_amount_is_split_to_the_cent_without_losing_one(total, shares, amounts):
    split = contract_rules.split_amount(D(total), {k: D(v) for k, v in shares.items()})
    assert split == {k: D(v) for k, v in amounts.items()}
