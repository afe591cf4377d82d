"""The real task queue in the tests: the database backend, its worker run once, and a mail
server that is down (the only thing faked: it is outside the application)."""

import signal
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

DOWN = "tests.task_queue.MailServerDown"
UP = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def database_queue(settings):
    """Tasks wait in the database until a worker runs them, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class MailServerDown(BaseEmailBackend):
    """Refuses the connection, as a stopped mail server does, after taking `accepted`
    messages (a server that fails in the middle of a sending)."""

    accepted = 0

    def send_messages(self, email_messages):
        for message in email_messages:
            if MailServerDown.accepted <= 0:
                raise ConnectionRefusedError(111, "Connection refused")
            MailServerDown.accepted -= 1
            mail.outbox.append(message)
        return len(email_messages)


@pytest.fixture
def mail_server_down(settings):
    """Down from the start; `mail_server_down.back()` brings it back."""
    MailServerDown.accepted = 0
    settings.EMAIL_BACKEND = DOWN

    class Switch:
        @staticmethod
        def accept(count):
            MailServerDown.accepted = count

        @staticmethod
        def back():
            settings.EMAIL_BACKEND = UP

    return Switch()


def run_worker() -> None:
    """Runs the worker until no task is ready, as `manage.py db_worker` does in production,
    inside the test's transaction. Like Django's test client around a request, the worker is
    kept from closing the connection (which holds that transaction) between two tasks. It
    takes over the process's signals; they are given back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with mock.patch(f"{db_worker.__name__}.close_old_connections"):
            call_command("db_worker", batch=True, startup_delay=False, reload=False)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def waiting() -> list[DBTaskResult]:
    """The tasks still to run, ready or not yet."""
    return list(DBTaskResult.objects.filter(status="READY").order_by("run_after"))


def time_passes() -> None:
    """The delays of the tasks waiting to be tried again have passed."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
