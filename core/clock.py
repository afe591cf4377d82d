"""The application's clock: Django's, unless the demo replays a past story or a test moves time.

Application code asks this module for the time, never `django.utils.timezone.now()`, so that
the demo's replay and the tests set the time without patching anything. The setting is one
process-wide value (the live-server thread of the browser tests sees it too).
"""

import contextlib
import datetime
import zoneinfo

from django.utils import timezone

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

_frozen: datetime.datetime | None = None
_offset = datetime.timedelta()


def now() -> datetime.datetime:
    """The current moment, an aware datetime in UTC."""
    if _frozen is not None:
        return _frozen
    return timezone.now() + _offset


def today() -> datetime.date:
    """The current day in Paris, where the legal delays are counted."""
    return day_of(now())


def day_of(moment: datetime.datetime) -> datetime.date:
    """The day a moment falls on in Paris."""
    return timezone.localtime(moment, PARIS).date()


def paris_moment(year, month, day, hour=0, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


@contextlib.contextmanager
def frozen_at(moment: datetime.datetime):
    """Every call to now() answers `moment` inside the block (the demo's replay)."""
    global _frozen
    previous, _frozen = _frozen, moment.astimezone(datetime.UTC)
    try:
        yield moment
    finally:
        _frozen = previous


def move(**delta) -> None:
    """Moves the clock by a timedelta's arguments (days=41, minutes=-5...), for tests."""
    global _offset
    _offset += datetime.timedelta(**delta)


@contextlib.contextmanager
def restored():
    """Whatever moves or freezes the clock inside the block is undone at its end."""
    global _frozen, _offset
    saved = _frozen, _offset
    try:
        yield
    finally:
        _frozen, _offset = saved


def reset() -> None:
    global _frozen, _offset
    _frozen, _offset = None, datetime.timedelta()
