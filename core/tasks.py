"""Work done outside the request, in the task queue (django-tasks): e-mails, letters, closing.

A task is enqueued once the decision that asks for it is committed, so nothing leaves for a
decision rolled back, and the page answers without waiting for a mail server. A task that talks
to something outside (the mail server) and fails is tried again later, a bounded number of
times with a growing delay; django-tasks has no retries of its own.
"""

import datetime
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# The delay before each new attempt: a mail server down for a few hours loses nothing.
RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def enqueue_on_commit(task: Task, **kwargs: Any) -> None:
    """Enqueues `task` with these (JSON-serialisable) arguments when the current transaction
    commits. The queue is chosen now, with the decision: the demo, which replays its story
    under a queue that only keeps what it is given, sends nothing after its commit."""
    backend = task.get_backend()
    transaction.on_commit(lambda: backend.enqueue(task, (), kwargs))


def retry_later(task: Task, *, attempt: int, what: str, **kwargs: Any) -> None:
    """Called when `task` failed at its `attempt`-th try: enqueues the next try after a
    growing delay, or, after the last, logs an error saying `what` was not done, for the
    coordinator's team to do by hand."""
    backend = task.get_backend()
    if attempt >= MAX_ATTEMPTS:
        logger.error("%s: given up after %d attempts; send it again by hand.", what, attempt)
        return
    if not backend.supports_defer:
        # The immediate queue (tests, `make run`) cannot wait: one try only.
        logger.error("%s: failed, and this task queue cannot try again later.", what)
        return
    # The queue's own clock: the worker compares run_after with the real time, not with the
    # application's clock (which the demo replays in the past).
    run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
    task.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
    logger.warning(
        "%s: attempt %d of %d failed; next attempt at %s.",
        what,
        attempt,
        MAX_ATTEMPTS,
        run_after.isoformat(timespec="seconds"),
    )
