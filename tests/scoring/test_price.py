"""Price scores against results computed by hand."""

from decimal import Decimal as D

import pytest

from scoring.price import LINEAR, PROPORTIONAL, RELATIVE_GAP, price_scores, round_score

TEN = D(10)


def test_proportional_by_hand():
    # 10 × 80 000 / 100 000 = 8 ; 10 × 80 000 / 120 000 = 6,666… → 6,67
    scores = price_scores(
        {"a": D("80000"), "b": D("100000"), "c": D("120000")}, formula=PROPORTIONAL, best=TEN
    )
    assert scores["c"] == D(20) / D(3)  # kept exact, rounded where shown
    assert {k: round_score(v) for k, v in scores.items()} == {
        "a": D("10.00"),
        "b": D("8.00"),
        "c": D("6.67"),
    }


def test_linear_by_hand():
    # 10 × (120 000 − 100 000) / (120 000 − 80 000) = 5
    scores = price_scores(
        {"a": D("80000"), "b": D("100000"), "c": D("120000")}, formula=LINEAR, best=TEN
    )
    assert scores == {"a": D("10.00"), "b": D("5.00"), "c": D("0.00")}


def test_relative_gap_by_hand():
    # 10 × (1 − 20 000 / 80 000) = 7,5 ; 10 × (1 − 40 000 / 80 000) = 5 ; twice the lowest → 0
    scores = price_scores(
        {"a": D("80000"), "b": D("100000"), "c": D("120000"), "d": D("170000")},
        formula=RELATIVE_GAP,
        best=TEN,
    )
    assert scores == {"a": D("10.00"), "b": D("7.50"), "c": D("5.00"), "d": D("0.00")}


@pytest.mark.parametrize("formula", [PROPORTIONAL, LINEAR, RELATIVE_GAP])
def test_equal_prices_all_get_the_best_score(formula):
    scores = price_scores({"a": D("5000"), "b": D("5000")}, formula=formula, best=TEN)
    assert scores == {"a": D("10.00"), "b": D("10.00")}


@pytest.mark.parametrize("formula", [PROPORTIONAL, LINEAR, RELATIVE_GAP])
def test_a_single_bid_gets_the_best_score(formula):
    assert price_scores({"a": D("123456.78")}, formula=formula, best=D(40)) == {"a": D("40.00")}


def test_a_very_low_outlier_crushes_the_others_proportionally():
    # 10 × 10 000 / 100 000 = 1 ; 10 × 10 000 / 95 000 = 1,0526… → 1,05
    scores = price_scores(
        {"low": D("10000"), "a": D("100000"), "b": D("95000")}, formula=PROPORTIONAL, best=TEN
    )
    assert {k: round_score(v) for k, v in scores.items()} == {
        "low": D("10.00"),
        "a": D("1.00"),
        "b": D("1.05"),
    }


def test_rounding_is_half_up_at_the_hundredth():
    # 10 × 9 / 80 = 1,125 exactly → 1,13 (half up; half-even would give 1,12)
    score = price_scores({"a": D(9), "b": D(80)}, formula=PROPORTIONAL, best=TEN)["b"]
    assert score == D("1.125") and round_score(score) == D("1.13")
    # 10 × 2 / 2,96 = 6,7567… → 6,76
    score = price_scores({"a": D(2), "b": D("2.96")}, formula=PROPORTIONAL, best=TEN)["b"]
    assert round_score(score) == D("6.76")


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(D("1.124999"), D("1.12")), (D("1.125"), D("1.13")), (D("1.125001"), D("1.13"))],
)
def test_round_score_at_just_below_and_just_above_the_half(value, rounded):
    assert round_score(value) == rounded


def test_zero_prices_are_refused():
    with pytest.raises(ValueError):
        price_scores({"a": D(0), "b": D(10)}, formula=PROPORTIONAL, best=TEN)


@pytest.mark.parametrize("formula", [PROPORTIONAL, LINEAR, RELATIVE_GAP])
def test_a_price_of_one_euro_or_less_is_still_compared(formula):
    # Only a nil or negative price is refused: unit prices below 1 € HT exist.
    scores = price_scores({"a": D("0.50"), "b": D(1)}, formula=formula, best=TEN)
    assert scores["a"] == TEN and scores["b"] < TEN


@pytest.mark.parametrize("price", [D(0), D("-0.01"), None])
def test_a_nil_negative_or_missing_price_is_refused_with_the_reason(price):
    with pytest.raises(ValueError, match=r"^Every compared price is greater than 0\.$"):
        price_scores({"a": price, "b": D(10)}, formula=PROPORTIONAL, best=TEN)


def test_an_unknown_formula_is_refused_by_name():
    with pytest.raises(ValueError, match=r"^Unknown price formula: cheapest$"):
        price_scores({"a": D(10)}, formula="cheapest", best=TEN)
