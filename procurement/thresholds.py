"""Procurement thresholds as dated data: each value applies from its date until the next one.

Sources: the European thresholds revised every two years (supplies and services of local
authorities, works) and the French threshold below which no publicity is required.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Dated:
    since: datetime.date
    value: Decimal


EU_SUPPLIES_SERVICES_LOCAL = [
    Dated(datetime.date(2020, 1, 1), Decimal("214000")),
    Dated(datetime.date(2022, 1, 1), Decimal("215000")),
    Dated(datetime.date(2024, 1, 1), Decimal("221000")),
    Dated(datetime.date(2026, 1, 1), Decimal("216000")),
]
EU_WORKS = [
    Dated(datetime.date(2020, 1, 1), Decimal("5350000")),
    Dated(datetime.date(2022, 1, 1), Decimal("5382000")),
    Dated(datetime.date(2024, 1, 1), Decimal("5538000")),
    Dated(datetime.date(2026, 1, 1), Decimal("5404000")),
]
NO_PUBLICITY = [
    Dated(datetime.date(2020, 1, 1), Decimal("40000")),
    Dated(datetime.date(2026, 4, 1), Decimal("60000")),
]


def value_on(table: list[Dated], day: datetime.date) -> Decimal:
    applicable = [row for row in table if row.since <= day]
    if not applicable:
        raise ValueError(f"No threshold known before {table[0].since:%d/%m/%Y}.")
    return max(applicable, key=lambda row: row.since).value


def eu_threshold(*, nature: str, day: datetime.date) -> Decimal:
    table = EU_WORKS if nature == "works" else EU_SUPPLIES_SERVICES_LOCAL
    return value_on(table, day)
