"""journal.memo: a result is computed once per version of the journal, never across a change."""

import pytest
from django.db import transaction

from groupement.models import Organisation
from journal import memo
from journal.services import journal_record

pytestmark = pytest.mark.django_db(transaction=True)


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


@pytest.fixture
def something():
    """Any object to journal a change of: an organisation, the cheapest to create."""
    return Organisation.objects.create(
        name="Objet de test", short_name="Test", kind="other", siret="13002526500013"
    )


def _change(obj):
    with transaction.atomic():
        journal_record(actor=None, obj=obj, action="test")


def test_a_result_is_computed_once_until_the_journal_moves(something):
    compute = Counter()
    _change(something)
    assert memo.remembered(("k",), compute) == 1
    assert memo.remembered(("k",), compute) == 1
    assert memo.remembered(("other",), compute) == 2  # another key, its own result
    _change(something)
    assert memo.remembered(("k",), compute) == 3


def test_inside_a_transaction_nothing_is_kept_nor_read(something):
    compute = Counter()
    _change(something)
    assert memo.remembered(("k",), compute) == 1
    with transaction.atomic():
        assert memo.remembered(("k",), compute) == 2
        assert memo.remembered(("k",), compute) == 3
    assert memo.remembered(("k",), compute) == 1  # what was kept outside, untouched


def test_a_result_expires(something, settings, monkeypatch):
    compute = Counter()
    settings.MEMO_SECONDS = 60
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    assert memo.remembered(("k",), compute) == 1
    now[0] += 59
    assert memo.remembered(("k",), compute) == 1
    now[0] += 1
    assert memo.remembered(("k",), compute) == 2


def test_no_entries_means_nothing_kept(something, settings):
    settings.MEMO_ENTRIES = 0
    compute = Counter()
    assert memo.remembered(("k",), compute) == 1
    assert memo.remembered(("k",), compute) == 2


def test_the_oldest_result_goes_first(something, settings):
    settings.MEMO_ENTRIES = 2
    compute = Counter()
    memo.remembered(("kind", "a"), compute)  # 1
    memo.remembered(("kind", "b"), compute)  # 2
    memo.remembered(("kind", "a"), compute)  # read again: "b" is now the oldest
    memo.remembered(("kind", "c"), compute)  # 3, "b" goes
    assert memo.remembered(("kind", "a"), compute) == 1
    assert memo.remembered(("kind", "b"), compute) == 4


def test_each_kind_of_result_keeps_its_own_entries(something, settings):
    settings.MEMO_ENTRIES = 1
    compute = Counter()
    memo.remembered(("evaluations", 1), compute)  # 1
    memo.remembered(("pending actions", 1), compute)  # 2: another kind, "evaluations" stays
    memo.remembered(("pending actions", 2), compute)  # 3: pushes out its own kind's oldest
    assert memo.remembered(("evaluations", 1), compute) == 1
    assert memo.remembered(("pending actions", 1), compute) == 4
