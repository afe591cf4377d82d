"""The periodic closing of consultations whose deadline has passed, as a task.

django-tasks has no scheduler: `python manage.py run_periodic` (started by `make serve` beside
the worker) enqueues this task every minute. A failed run needs no retry of its own, the next
minute's is one; and the closing is idempotent, so runs piled up while no worker ran are
harmless.
"""

from django_tasks import task

from procurement.services import consultations_close_due


@task()
def close_due_consultations() -> list[str]:
    """The references of the consultations it closed."""
    return [consultation.reference for consultation in consultations_close_due()]
