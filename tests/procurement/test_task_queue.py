"""The candidates' e-mails and the periodic closing in the real task queue (database backend):
nothing leaves before the worker runs, a mail server that is down delays the mail and loses
nothing, and the closing happens without anybody looking."""

import datetime
import logging

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core.tasks import MAX_ATTEMPTS, RETRY_DELAYS
from procurement import services
from procurement.models import ConsultationState
from tests.task_queue import (
    run_worker,
    time_passes,
    waiting,
)

DATABASE = "django_tasks_db.DatabaseBackend"
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
CANDIDATES = ["contact1@operateur.invalid", "contact2@operateur.invalid"]


@pytest.fixture
def extend(world, published, django_capture_on_commit_callbacks):
    def extend(days=5):
        with django_capture_on_commit_callbacks(execute=True):
            services.consultation_extend_deadline(
                consultation=published,
                user=world.coordinator(),
                offers_deadline=published.offers_deadline + datetime.timedelta(days=days),
                reason="Visite de site.",
            )

    return extend


def test_the_mail_waits_for_the_worker(database_queue, extend, mailoutbox):
    extend()
    assert mailoutbox == [] and len(waiting()) == 1
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == CANDIDATES
    assert "Visite de site." in mailoutbox[0].body
    assert waiting() == []


@pytest.mark.parametrize("queue", [DATABASE, IMMEDIATE])
def test_a_decision_rolled_back_sends_nothing(
    queue, settings, world, published, django_capture_on_commit_callbacks, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": queue}}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.consultation_extend_deadline(
                consultation=published,
                user=world.coordinator(),
                offers_deadline=published.offers_deadline + datetime.timedelta(days=5),
                reason="Visite de site.",
            )
            raise RuntimeError("the page fails after the decision")
    assert callbacks == []
    if queue == DATABASE:
        run_worker()
    assert waiting() == [] and mailoutbox == []


def test_a_mail_server_down_delays_the_mail_and_loses_nothing(
    database_queue, mail_server_down, extend, mailoutbox, caplog
):
    extend()
    before = timezone.now()
    run_worker()
    assert mailoutbox == []
    [retry] = waiting()
    assert retry.run_after >= before + RETRY_DELAYS[0]
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert "attempt 1 of 5 failed" in caplog.text
    # Not before its time, even with the server back.
    mail_server_down.back()
    run_worker()
    assert mailoutbox == []
    time_passes()
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == CANDIDATES
    assert waiting() == []


def test_a_server_failing_midway_sends_the_rest_later_and_nobody_twice(
    database_queue, mail_server_down, extend, mailoutbox
):
    mail_server_down.accept(1)
    extend()
    run_worker()
    assert [m.to[0] for m in mailoutbox] == CANDIDATES[:1]
    [retry] = waiting()
    assert retry.args_kwargs["kwargs"]["recipients"] == CANDIDATES[1:]
    mail_server_down.back()
    time_passes()
    run_worker()
    assert [m.to[0] for m in mailoutbox] == CANDIDATES


def test_after_the_last_attempt_the_error_says_what_to_send_again(
    database_queue, mail_server_down, extend, mailoutbox, caplog
):
    extend()
    for _attempt in range(MAX_ATTEMPTS):
        time_passes()
        run_worker()
    assert waiting() == [] and mailoutbox == []
    [given_up] = [r for r in caplog.records if r.levelno == logging.ERROR and "given up" in r.msg]
    message = given_up.getMessage()
    assert "2027-001" in message and all(email in message for email in CANDIDATES)


def test_the_periodic_job_closes_a_due_consultation(database_queue, published, clock):
    call_command("run_periodic", once=True)
    run_worker()
    published.refresh_from_db()
    assert published.state == ConsultationState.PUBLISHED
    clock.move(days=41)
    call_command("run_periodic", once=True)
    assert len(waiting()) == 1
    run_worker()
    published.refresh_from_db()
    assert published.state == ConsultationState.CLOSED
    assert waiting() == []


def test_the_closing_command_still_works(published, clock, capsys):
    clock.move(days=41)
    call_command("close_due_consultations")
    published.refresh_from_db()
    assert published.state == ConsultationState.CLOSED
    assert "1 consultation close." in capsys.readouterr().out
