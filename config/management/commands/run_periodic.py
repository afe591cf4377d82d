"""Enqueues the periodic tasks every minute: the task queue has no scheduler of its own.

One process for the whole deployment (`make serve` starts it beside the worker): a second one
would only enqueue each run twice, which the closing tolerates. Chosen over a task that
re-enqueues itself, whose chain breaks for good if one run is lost and doubles at each restart.
"""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from procurement.tasks import close_due_consultations

logger = logging.getLogger(__name__)

PERIODIC = [close_due_consultations]
# Finished tasks of the database queue are kept this many days (failed ones longer, to find
# what was not sent), then pruned once a day.
KEEP_DAYS, KEEP_FAILED_DAYS = 14, 90
DAY = 24 * 60 * 60


class Command(BaseCommand):
    help = (
        "Met en file chaque minute les tâches périodiques (clôture des consultations dont la "
        "date limite est passée) ; --once pour un seul passage."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Un seul passage, puis s'arrête.")
        parser.add_argument(
            "--interval", type=int, default=60, help="Secondes entre deux passages (60)."
        )

    def handle(self, *args, once: bool = False, interval: int = 60, **options) -> None:
        pruned_at: float | None = None
        while True:
            self.enqueue_all()
            in_database = isinstance(task_backends["default"], DatabaseBackend)
            if in_database and (pruned_at is None or time.monotonic() - pruned_at > DAY):
                self.prune()
                pruned_at = time.monotonic()
            if once:
                return
            time.sleep(interval)
            # A long-running process: a connection the database closed meanwhile is reopened.
            close_old_connections()

    def enqueue_all(self) -> None:
        for periodic in PERIODIC:
            try:
                periodic.enqueue()
            except Exception:
                # The database or Redis is down: said loudly, tried again at the next pass.
                logger.exception("Could not enqueue the periodic task %s", periodic.name)

    def prune(self) -> None:
        try:
            call_command(
                "prune_db_task_results",
                min_age_days=KEEP_DAYS,
                failed_min_age_days=KEEP_FAILED_DAYS,
                verbosity=0,
            )
        except Exception:
            logger.exception("Could not prune the finished tasks")
