"""The health page /sante/ for the load balancer (django-health-check): the database, the file
storage and the task queue. It answers 200 when all is well, 503 otherwise.

Open to anybody, so it says which service fails and nothing more: the details of a failure
(server names, addresses, paths) go to the server's log, never to the page.
"""

import asyncio
import dataclasses
import datetime
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import HealthCheckException, ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Database(checks.Database):
    """django-health-check's database check, whose message would quote the driver's (the
    server's name and address)."""

    def run(self):
        try:
            super().run()
        except HealthCheckException as error:
            raise ServiceUnavailable("la base de données ne répond pas") from error


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The database queue answers, and no task has waited more than `max_wait` past its
    time: a worker takes them (the periodic closing is enqueued every minute, so a stopped
    worker shows within minutes). Other queues (Redis) are watched by their own tools."""

    max_wait: datetime.timedelta = dataclasses.field(
        default_factory=lambda: datetime.timedelta(minutes=settings.TASKS_MAX_WAIT_MINUTES)
    )

    def run(self):
        if not isinstance(task_backends["default"], DatabaseBackend):
            return
        limit = timezone.now() - self.max_wait
        waiting = DBTaskResult.objects.ready().filter(
            Q(run_after__lt=limit) | Q(run_after=get_date_max(), enqueued_at__lt=limit)
        )
        try:
            # The check runs in a thread of its own: the connection it opens is closed after.
            with connection.temporary_connection():
                late = waiting.exists()
        except DatabaseError as error:
            raise ServiceUnavailable("la file des tâches est illisible") from error
        if late:
            raise ServiceUnavailable(
                "des tâches attendent depuis plus de "
                f"{int(self.max_wait.total_seconds() // 60)} minutes : aucun worker ne les prend"
            )


_health = HealthCheckView.as_view(
    checks=[Database, (checks.Storage, {"alias": "default"}), TaskQueue],
)


def health(request):
    """django-health-check's view is asynchronous; served by WSGI, it runs in an event loop of
    its own thread, so that a caller whose thread already runs a loop (a test that drives a
    browser) is served too."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(asyncio.run, _health(request)).result()
    # A service down is "503 Service Unavailable", what a load balancer expects; the
    # library's 500 would read as a fault of the page itself.
    if response.status_code == 500:
        response.status_code = 503
    return response
