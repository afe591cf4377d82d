"""The health page /sante/: open to the load balancer without a login, 200 when the database,
the file storage and the task queue answer, 503 when one does not, and nothing said about
the failure beyond which service it is."""

import datetime

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from health_check.exceptions import ServiceUnavailable

from config.health import TaskQueue
from procurement.tasks import close_due_consultations

URL = "/sante/"


def test_the_page_answers_200_without_a_login_when_all_is_well(client, db, database_queue):
    response = client.get(URL, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(response.json().values()) == {"OK"}
    assert len(response.json()) == 3
    assert "no-cache" in response.headers["Cache-Control"]


def test_the_page_is_not_redirected_to_https(client, db, settings):
    # The load balancer asks over plain HTTP from inside; every other page goes to HTTPS.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(URL).status_code == 200
    assert client.get("/connexion/").status_code == 301


def test_a_database_down_makes_the_page_fail_without_saying_where_it_is(client, db, monkeypatch):
    def refused(self):
        raise OperationalError('connection to server at "db.interne" (10.9.8.7), port 5432 failed')

    # The page opens its own connection to the database (in another thread): that one fails.
    with monkeypatch.context() as patched:
        patched.setattr(BaseDatabaseWrapper, "ensure_connection", refused)
        response = client.get(URL, HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    page = response.content.decode()
    assert "la base de donn" in page
    assert "10.9.8.7" not in page and "db.interne" not in page and "5432" not in page


def test_a_task_waiting_too_long_means_no_worker_takes_them(db, database_queue):
    TaskQueue().run()
    result = close_due_consultations.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    with pytest.raises(ServiceUnavailable) as failure:
        TaskQueue().run()
    assert "aucun worker" in str(failure.value)


def test_a_task_waiting_for_its_retry_time_is_not_late(db, database_queue):
    later = timezone.now() + datetime.timedelta(hours=2)
    close_due_consultations.using(run_after=later).enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    TaskQueue().run()
