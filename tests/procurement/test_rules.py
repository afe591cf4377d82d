import datetime
import zoneinfo
from decimal import Decimal

import pytest

from procurement import delays
from procurement.identifiers import validate_cpv
from procurement.rules import threshold_errors
from procurement.thresholds import eu_threshold

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("procedure", "electronic", "urgency", "days", "rule"),
    [
        ("open", False, False, 35, "R2161-2"),
        ("open", True, False, 30, "R2161-3 2°"),
        ("open", True, True, 15, "R2161-3 3°"),
        ("restricted", False, False, 30, "R2161-7"),
        ("restricted", True, False, 25, "R2161-8 2°"),
        ("negotiated", True, True, 10, "R2161-15 3°"),
        ("adapted", True, False, 15, "R2151-1"),
    ],
)
def test_minimum_offer_delays_follow_the_code(procedure, electronic, urgency, days, rule):
    delay = delays.minimum_offer_delay(procedure, electronic=electronic, urgency=urgency)
    assert delay.days == days
    assert rule in delay.rule


def test_the_mapa_floor_comes_from_settings(settings):
    settings.MAPA_MIN_OFFER_DAYS = 21
    assert delays.minimum_offer_delay("adapted", electronic=True, urgency=False).days == 21


def test_calendar_days_keep_the_paris_hour_across_daylight_saving():
    published = datetime.datetime(2027, 3, 15, 10, 0, tzinfo=PARIS)  # UTC+1
    deadline, _ = delays.earliest_offers_deadline(published, "open", electronic=True, urgency=False)
    local = deadline.astimezone(PARIS)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2027, 4, 14), 10, 0)
    assert local.utcoffset() == datetime.timedelta(hours=2)  # summer time by then


@pytest.mark.parametrize(
    ("day", "threshold"),
    [
        (datetime.date(2025, 12, 31), Decimal("221000")),
        (datetime.date(2026, 1, 1), Decimal("216000")),
        (datetime.date(2027, 6, 1), Decimal("216000")),
    ],
)
def test_the_eu_threshold_is_dated(day, threshold):
    assert eu_threshold(nature="services", day=day) == threshold


def test_a_mapa_at_the_threshold_is_refused_and_just_below_is_not():
    day = datetime.date(2026, 3, 1)
    at = threshold_errors(procedure="adapted", nature="services", value=Decimal(216000), day=day)
    assert at and "L2124-1" in at[0]
    below = threshold_errors(
        procedure="adapted", nature="services", value=Decimal("215999.99"), day=day
    )
    assert below == []
    assert threshold_errors(procedure="open", nature="services", value=Decimal(9e6), day=day) == []


@pytest.mark.parametrize("code", ["79411100-9", "03113100-7", "45000000-7"])
def test_well_formed_cpv_codes_pass(code):
    validate_cpv(code)


@pytest.mark.parametrize("code", ["79411100", "7941110-09", "79411100-X", "79411100 9", ""])
def test_malformed_cpv_codes_are_refused(code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_cpv(code)


@pytest.mark.parametrize(
    ("published", "earliest"),
    [
        ((10, 0, 0), (10, 0)),
        ((10, 0, 30), (10, 1)),
        ((10, 0, 59), (10, 1)),
        ((10, 59, 1), (11, 0)),
    ],
)
def test_the_earliest_deadline_is_a_whole_minute_the_check_and_its_message_agree(
    published, earliest
):
    moment = datetime.datetime(2026, 3, 2, *published, tzinfo=delays.PARIS)
    deadline, delay = delays.earliest_offers_deadline(
        moment, "open", electronic=True, urgency=False
    )
    assert delay.days == 30
    assert deadline == datetime.datetime(2026, 4, 1, *earliest, tzinfo=delays.PARIS)
    assert deadline.second == 0 and deadline >= delays.add_days(moment, 30)
