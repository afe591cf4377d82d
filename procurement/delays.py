"""Legal minimum delays, in calendar days counted in Paris time.

Adding days to a Paris wall-clock time keeps the hour across daylight-saving changes: a
deadline 30 days after 10:00 on 15 March is 10:00 on 14 April, whatever the UTC offsets.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from core.clock import PARIS


@dataclass(frozen=True)
class MinimumDelay:
    days: int
    rule: str


def minimum_offer_delay(procedure: str, *, electronic: bool, urgency: bool) -> MinimumDelay:
    if procedure == "open":
        if urgency:
            return MinimumDelay(15, "art. R2161-3 3° CCP")
        if electronic:
            return MinimumDelay(30, "art. R2161-3 2° CCP")
        return MinimumDelay(35, "art. R2161-2 CCP")
    if procedure in ("restricted", "negotiated"):
        base, reduced = (
            ("art. R2161-7 CCP", "art. R2161-8")
            if procedure == "restricted"
            else ("art. R2161-14 CCP", "art. R2161-15")
        )
        if urgency:
            return MinimumDelay(10, f"{reduced} 3° CCP")
        if electronic:
            return MinimumDelay(25, f"{reduced} 2° CCP")
        return MinimumDelay(30, base)
    return MinimumDelay(settings.MAPA_MIN_OFFER_DAYS, "art. R2151-1 CCP, délai raisonnable")


def information_notice(procedure: str, *, urgency: bool) -> MinimumDelay:
    """How long before the offers deadline candidates must have any new information."""
    if procedure == "adapted":
        return MinimumDelay(settings.MAPA_MIN_NOTICE_DAYS, "art. R2151-1 CCP, délai raisonnable")
    return MinimumDelay(4, "art. R2132-6 CCP") if urgency else MinimumDelay(6, "art. R2132-6 CCP")


def add_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    return (moment.astimezone(PARIS) + datetime.timedelta(days=days)).astimezone(datetime.UTC)


def earliest_offers_deadline(published_at, procedure, *, electronic, urgency):
    """The earliest deadline, to the minute as people write deadlines: a publication at 10:00:30
    allows 10:01, not 10:00, and the refusal says 10:01 (the check and its message agree)."""
    delay = minimum_offer_delay(procedure, electronic=electronic, urgency=urgency)
    return next_minute(add_days(published_at, delay.days)), delay


def next_minute(moment: datetime.datetime) -> datetime.datetime:
    """The moment itself when it falls on a minute, else the next minute."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + datetime.timedelta(minutes=1)
