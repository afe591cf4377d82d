"""Replaying a past story through the services, at its real dates, for the demo data.

The services take the time from `django.utils.timezone.now`; the demo sets it to the dates of
the PMA's 2021-2022 consultation so that every journal entry, deadline and legal delay is the
one the story had. Nothing but the demo loader uses this.
"""

import contextlib
import datetime
import zoneinfo
from unittest import mock

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@contextlib.contextmanager
def at(year, month, day, hour=10, minute=0):
    moment = datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(datetime.UTC)):
        yield moment
