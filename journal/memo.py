"""Computed results kept between requests until the journal moves on.

Every change that can alter a computed result (a score, a consolidation, a price, a decision on
an offer, the grid, the panel) is journaled in the transaction that makes it, so the journal's
head (its last number and hash) is a version of all the business data: a result computed at
one head holds until the next entry is written. Reading the head is one indexed row; a lot's
evaluation at the size of a large consultation costs a hundred times more.

The results stay in the memory of the process, shared without a copy (unpickling an evaluation
costs as much as computing it): whoever reads one must not change it. They are kept only when
computed outside a transaction: inside one, a result may rest on changes that are rolled back
afterwards while another transaction writes the same number. A result also expires after
MEMO_SECONDS, so that a change made behind the application's back (in SQL, without the
journal) shows within minutes; a restart forgets everything.

A key starts with the kind of result (« evaluations », « pending actions »…): each kind keeps
its MEMO_ENTRIES most recent results, so that a crowd of people's small lists never pushes the
large evaluations of lots out, nor the other way round.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import connection

from journal.models import Head

T = TypeVar("T")

_lock = threading.Lock()
_results: dict[object, OrderedDict] = {}  # kind -> {(key, head): (computed at, result)}


def journal_head() -> tuple:
    """(last number, last hash) of the journal, or () while it is empty."""
    return tuple(Head.objects.filter(pk=1).values_list("last_seq", "last_hash").first() or ())


def remembered(key: tuple, compute: Callable[[], T]) -> T:
    """compute(), or the result it gave for `key` since the journal's last entry."""
    if connection.in_atomic_block or not settings.MEMO_ENTRIES:
        return compute()
    full_key = (key, journal_head())
    now = time.monotonic()
    with _lock:
        kind = _results.setdefault(key[0], OrderedDict())
        kept = kind.get(full_key)
        if kept is not None and now - kept[0] < settings.MEMO_SECONDS:
            kind.move_to_end(full_key)
            return kept[1]
    # Computed without the lock: two requests may both compute it, and agree.
    result = compute()
    with _lock:
        kind[full_key] = (now, result)
        kind.move_to_end(full_key)
        while len(kind) > settings.MEMO_ENTRIES:
            kind.popitem(last=False)
    return result


def forget() -> None:
    with _lock:
        _results.clear()
