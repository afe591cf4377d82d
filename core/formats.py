"""How amounts, percentages, scores and dates are written, and the one rounding rule.

Values are computed exactly with Decimal and rounded once, half up, where they are shown or
stored as a result. Django's number_format truncates extra decimals, so every figure is rounded
here before it is formatted.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language

from core.clock import PARIS

NBSP = "\u00a0"


def round_half_up(value, places: int = 2) -> Decimal:
    """The project's rounding: to `places` decimals, halves away from zero. A float (from a
    pandas table) is read as it prints, not as its binary approximation."""
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value, places: int = 2, *, grouping: bool = True) -> str:
    """1 234,57: French digits, rounded half up to `places` decimals."""
    return number_format(round_half_up(value, places), decimal_pos=places, force_grouping=grouping)


def format_amount(value, places: int = 0) -> str:
    """An amount in € HT: whole euros for estimates and thresholds, cents (places=2) for
    prices and contract amounts."""
    return f"{format_number(value, places)}{NBSP}€{NBSP}HT"


def format_money(value) -> str:
    return format_amount(value, places=2)


def format_percent(value) -> str:
    """35 %, or 33,33 % when the share is not a whole number."""
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return f"{format_number(value, places, grouping=False)}{NBSP}%"


def format_points(value, places: int = 2) -> str:
    """A score or a weight: 38,93."""
    return format_number(value, places, grouping=False)


def counted(count: int, one: str, many: str) -> str:
    """« 0 pli ouvert », « 1 pli ouvert », « 3 plis ouverts »: French counts 0 and 1 as
    singular. For the texts written in French only (journal reasons, command output); the
    translated ones use ngettext."""
    return f"{count} {one if abs(count) < 2 else many}"


def _french() -> bool:
    return (get_language() or "").startswith("fr")


def format_day(day: datetime.date | datetime.datetime) -> str:
    """1er avril 2022, 14 janvier 2022: a French day writes the first of the month « 1er »
    (a moment is read as the day it falls on in Paris)."""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day, PARIS).date()
    if _french() and day.day == 1:
        return f"1er {date_format(day, 'F Y')}"
    return date_format(day, "j F Y")


def format_time(moment: datetime.datetime) -> str:
    """12 h 00, 9 h 05: the hour as French administrative writing has it, in Paris time."""
    local = timezone.localtime(moment, PARIS)
    if _french():
        return f"{local.hour}{NBSP}h{NBSP}{local.minute:02d}"
    return date_format(local, "H:i")


def format_moment(moment: datetime.datetime) -> str:
    """A moment in Paris time, to the minute: 14 janvier 2022 à 12 h 00."""
    if _french():
        return f"{format_day(moment)} à {format_time(moment)}"
    return f"{format_day(moment)}, {format_time(moment)}"
