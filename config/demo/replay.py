"""Replaying a past story through the services, at its real dates, for the demo data.

The services take the time from `core.clock`; the demo sets it to the dates of the PMA's
2021-2022 consultation so that every journal entry, deadline and legal delay is the one the
story had.
"""

from core import clock


def at(year, month, day, hour=10, minute=0):
    """Inside the block, the clock says this Paris time."""
    return clock.frozen_at(clock.paris_moment(year, month, day, hour, minute))
