"""Days, hours and moments as a French buyer writes them; the other languages keep Django's."""

import datetime

import pytest
from django.template import engines
from django.utils import translation

from core.clock import paris_moment
from core.formats import format_day, format_moment, format_time


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (datetime.date(2022, 4, 1), "1er avril 2022"),
        (datetime.date(2022, 4, 2), "2 avril 2022"),
        (datetime.date(2022, 3, 31), "31 mars 2022"),
        (datetime.date(2027, 2, 1), "1er février 2027"),
    ],
)
def test_the_first_of_the_month_is_written_1er(day, written):
    with translation.override("fr"):
        assert format_day(day) == written


def test_a_moment_is_its_day_in_paris_and_its_hour_with_h():
    # 23:30 UTC on 31 March is already 1 April in Paris (summer time).
    late = datetime.datetime(2022, 3, 31, 23, 30, tzinfo=datetime.UTC)
    with translation.override("fr"):
        assert format_day(late) == "1er avril 2022"
        assert format_moment(late) == "1er avril 2022 à 1\xa0h\xa030"
        assert format_time(paris_moment(2022, 1, 14, 12, 0)) == "12\xa0h\xa000"
        assert format_time(paris_moment(2022, 1, 14, 9, 5)) == "9\xa0h\xa005"


def test_english_keeps_its_own_writing():
    with translation.override("en"):
        assert format_day(datetime.date(2022, 4, 1)) == "1 April 2022"
        assert format_moment(paris_moment(2022, 1, 14, 12, 0)) == "14 January 2022, 12:00"


def test_every_template_has_the_day_and_moment_filters():
    template = engines["django"].from_string("{{ d|day }} — {{ m|moment }} — {{ none|day }}.")
    with translation.override("fr"):
        text = template.render({"d": datetime.date(2022, 5, 1), "m": paris_moment(2022, 5, 1, 8)})
    assert text == "1er mai 2022 — 1er mai 2022 à 8\xa0h\xa000 — ."
