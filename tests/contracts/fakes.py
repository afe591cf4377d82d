"""An in-memory stand-in for a queryset or a related manager, for the rules' plain tests.

It answers the lookups the rules use (`a__b` across relations, `__isnull`) on plain objects, so
a test describes rows (an approval of another round, a refusal, a lot without award) and the
rule's answer follows from them, as it would from the database. Like Django, it refuses a field
the rows do not have and an `isnull` that is not a boolean.
"""

import datetime

import pytest

from core import clock

# The day every plain test of the contracts' rules lives on.
TODAY = datetime.date(2027, 6, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def pinned_day():
    """Imported by a module, pins its clock to TODAY, 10:00 in Paris."""
    with clock.frozen_at(clock.paris_moment(TODAY.year, TODAY.month, TODAY.day, 10)):
        yield


class Org:
    """An organisation as the rules read it: its key, its names, its e-mail."""

    def __init__(self, pk, name, email=""):
        self.pk, self.short_name, self.name, self.email = pk, name, name, email

    def __str__(self):
        return self.name


def _resolve(row, path: str, *, missing=False):
    """The value at `path`; with `missing`, an absent relation (a reverse one-to-one without
    its row, which Django raises as an AttributeError) reads as None."""
    value = row
    names = path.split("__")
    for index, name in enumerate(names):
        if value is None:
            return None
        if isinstance(value, Rows):  # a many relation: the rest of the path on each row
            rest = "__".join(names[index:])
            return [_resolve(r, rest, missing=missing) for r in value]
        value = getattr(value, name, None) if missing else getattr(value, name)
    return value


def _matches(row, lookup: str, expected) -> bool:
    if lookup.endswith("__isnull"):
        if expected not in (True, False):
            raise ValueError("The QuerySet value for an isnull lookup must be True or False.")
        return (_resolve(row, lookup.removesuffix("__isnull"), missing=True) is None) is expected
    return _resolve(row, lookup) == expected


class Rows:
    def __init__(self, rows=()):
        self.rows = list(rows)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def all(self):
        return Rows(self.rows)

    def filter(self, **lookups):
        return Rows(r for r in self.rows if all(_matches(r, k, v) for k, v in lookups.items()))

    def exclude(self, **lookups):
        return Rows(r for r in self.rows if not all(_matches(r, k, v) for k, v in lookups.items()))

    def _related(self, paths):
        # Django refuses a relation the model does not have; None clears the list.
        for path in paths:
            if path is not None:
                for row in self.rows:
                    _resolve(row, path)
        return self

    def select_related(self, *paths):
        return self._related(paths)

    def prefetch_related(self, *paths):
        return self._related(paths)

    def first(self):
        return self.rows[0] if self.rows else None

    def exists(self):
        return bool(self.rows)

    def count(self):
        return len(self.rows)

    def values_list(self, field, *, flat=False):
        values = [_resolve(row, field) for row in self.rows]
        return values if flat else [(v,) for v in values]
