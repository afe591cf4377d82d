"""Logs on standard output as JSON lines: one object per record, with the request's method,
path, status and duration for gunicorn's access lines, and nothing else of the request."""

import json
import logging
import runpy
import sys

from django.conf import settings
from django.test import RequestFactory

from config.jsonlog import JsonFormatter

GUNICORN_CONF = str(settings.BASE_DIR / "config" / "gunicorn_conf.py")


def _record(name, msg, args=(), **extra):
    record = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


def test_a_record_is_one_json_line_with_time_level_logger_and_message():
    line = JsonFormatter().format(_record("procurement", "Clôture de %s", ("2027-001",)))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO" and entry["logger"] == "procurement"
    assert entry["message"] == "Clôture de 2027-001"
    assert entry["time"].endswith("+00:00")


def test_an_access_line_names_the_request_and_nothing_secret():
    atoms = {
        "m": "POST",
        "U": "/connexion/",
        "q": "next=/secret",
        "s": "302",
        "D": 12345,
        "{cookie}i": "sessionid=abc",
    }
    record = _record("gunicorn.access", "%(m)s %(U)s %(s)s", (atoms,))
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "POST /connexion/ 302"
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/connexion/", 302)
    assert entry["duration_ms"] == 12.3
    assert "sessionid" not in json.dumps(entry) and "secret" not in json.dumps(entry)


def test_a_failed_request_logged_by_django_names_it():
    request = RequestFactory().get("/consultations/1/")
    record = _record("django.request", "Not Found", request=request, status_code=404)
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/consultations/1/", 404)


def test_an_exception_goes_in_the_same_line():
    try:
        raise ConnectionRefusedError("serveur de courrier arrêté")
    except ConnectionRefusedError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "échec", (), None)
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert "serveur de courrier arrêté" in json.loads(line)["exception"]


def test_gunicorn_serves_on_host_and_port_with_workers_from_the_cores(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    # A machine of two cores (the cores are outside the application).
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    conf = runpy.run_path(GUNICORN_CONF)
    assert conf["bind"] == "0.0.0.0:8123"
    assert conf["workers"] == 5
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(GUNICORN_CONF)["workers"] == 3
