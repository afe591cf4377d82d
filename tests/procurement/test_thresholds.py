"""The dated thresholds and the legal delays, each exactly at, just before and just after its
boundary: a limit moved by a day, a euro or a comparison is a different law."""

import datetime
from decimal import Decimal

import pytest

from procurement import delays
from procurement.thresholds import (
    EU_SUPPLIES_SERVICES_LOCAL,
    EU_WORKS,
    NO_PUBLICITY,
    eu_threshold,
    value_on,
)

DAY = datetime.timedelta(days=1)


def around(day):
    return day - DAY, day, day + DAY


# --- Thresholds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "before", "after"),
    [
        (datetime.date(2022, 1, 1), "214000", "215000"),
        (datetime.date(2024, 1, 1), "215000", "221000"),
        (datetime.date(2026, 1, 1), "221000", "216000"),
    ],
)
def test_the_eu_supplies_and_services_threshold_changes_on_its_date(since, before, after):
    # Art. L2124-1 CCP: the Commission revises the thresholds every two years.
    eve, day, next_day = around(since)
    assert eu_threshold(nature="services", day=eve) == Decimal(before)
    assert eu_threshold(nature="supplies", day=day) == Decimal(after)
    assert eu_threshold(nature="services", day=next_day) == Decimal(after)


@pytest.mark.parametrize(
    ("since", "before", "after"),
    [
        (datetime.date(2022, 1, 1), "5350000", "5382000"),
        (datetime.date(2024, 1, 1), "5382000", "5538000"),
        (datetime.date(2026, 1, 1), "5538000", "5404000"),
    ],
)
def test_the_eu_works_threshold_changes_on_its_date(since, before, after):
    eve, day, next_day = around(since)
    assert eu_threshold(nature="works", day=eve) == Decimal(before)
    assert eu_threshold(nature="works", day=day) == Decimal(after)
    assert eu_threshold(nature="works", day=next_day) == Decimal(after)


def test_the_no_publicity_threshold_is_40000_until_31_march_2026_then_60000():
    # Art. R2122-8 CCP, raised by décret from 1 April 2026.
    eve, day, next_day = around(datetime.date(2026, 4, 1))
    assert value_on(NO_PUBLICITY, datetime.date(2020, 1, 1)) == Decimal(40000)
    assert value_on(NO_PUBLICITY, eve) == Decimal(40000)
    assert value_on(NO_PUBLICITY, day) == Decimal(60000)
    assert value_on(NO_PUBLICITY, next_day) == Decimal(60000)


@pytest.mark.parametrize("table", [EU_SUPPLIES_SERVICES_LOCAL, EU_WORKS, NO_PUBLICITY])
def test_no_threshold_is_known_before_the_first_date(table):
    assert value_on(table, datetime.date(2020, 1, 1)) == table[0].value
    with pytest.raises(ValueError, match=r"^No threshold known before 01/01/2020\.$"):
        value_on(table, datetime.date(2019, 12, 31))


# --- Offer delays and notices ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "electronic", "urgency", "days", "rule"),
    [
        ("open", False, False, 35, "art. R2161-2 CCP"),
        ("open", True, False, 30, "art. R2161-3 2° CCP"),
        ("open", False, True, 15, "art. R2161-3 3° CCP"),
        ("open", True, True, 15, "art. R2161-3 3° CCP"),
        ("restricted", False, False, 30, "art. R2161-7 CCP"),
        ("restricted", True, False, 25, "art. R2161-8 2° CCP"),
        ("restricted", False, True, 10, "art. R2161-8 3° CCP"),
        ("negotiated", False, False, 30, "art. R2161-14 CCP"),
        ("negotiated", True, False, 25, "art. R2161-15 2° CCP"),
        ("negotiated", True, True, 10, "art. R2161-15 3° CCP"),
        ("adapted", False, True, 15, "art. R2151-1 CCP, délai raisonnable"),
    ],
)
def test_each_procedure_has_its_minimum_offer_delay_and_article(
    procedure, electronic, urgency, days, rule
):
    delay = delays.minimum_offer_delay(procedure, electronic=electronic, urgency=urgency)
    assert delay == delays.MinimumDelay(days, rule)


@pytest.mark.parametrize(
    ("procedure", "urgency", "days", "rule"),
    [
        ("open", False, 6, "art. R2132-6 CCP"),
        ("open", True, 4, "art. R2132-6 CCP"),
        ("restricted", True, 4, "art. R2132-6 CCP"),
        ("negotiated", False, 6, "art. R2132-6 CCP"),
        ("adapted", False, 5, "art. R2151-1 CCP, délai raisonnable"),
        ("adapted", True, 5, "art. R2151-1 CCP, délai raisonnable"),
    ],
)
def test_new_information_reaches_candidates_six_days_before_four_in_urgency(
    procedure, urgency, days, rule
):
    assert delays.information_notice(procedure, urgency=urgency) == delays.MinimumDelay(days, rule)


def test_the_mapa_notice_comes_from_settings(settings):
    settings.MAPA_MIN_NOTICE_DAYS = 8
    assert delays.information_notice("adapted", urgency=False).days == 8


@pytest.mark.parametrize(
    ("procedure", "electronic", "urgency", "days"),
    [("open", True, True, 15), ("restricted", True, True, 10), ("open", False, False, 35)],
)
def test_the_earliest_deadline_applies_the_urgency_and_paper_delays(
    procedure, electronic, urgency, days
):
    published = datetime.datetime(2027, 1, 4, 9, 30, tzinfo=delays.PARIS)
    deadline, delay = delays.earliest_offers_deadline(
        published, procedure, electronic=electronic, urgency=urgency
    )
    assert delay.days == days
    assert deadline == published + days * DAY


def test_the_next_minute_drops_the_microseconds_too():
    moment = datetime.datetime(2027, 1, 4, 9, 30, 0, 1, tzinfo=delays.PARIS)
    assert delays.next_minute(moment) == datetime.datetime(2027, 1, 4, 9, 31, tzinfo=delays.PARIS)
    assert delays.next_minute(moment.replace(microsecond=0)) == moment.replace(microsecond=0)
