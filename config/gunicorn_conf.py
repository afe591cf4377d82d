"""Gunicorn's settings for `make serve` (gunicorn -c config/gunicorn_conf.py config.wsgi).

HOST and PORT say where to listen (127.0.0.1:8000 by default: a reverse proxy terminating
HTTPS sits in front); WEB_CONCURRENCY sets the number of workers.
"""

import os

from config.jsonlog import JsonFormatter


def _cores() -> int:
    # The cores this process may run on, which a container or a CPU set can make fewer than
    # the machine's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Gunicorn's rule of thumb, 2 x cores + 1 synchronous workers: a request here spends much of
# its time waiting on the database or on files, and while one worker waits another uses the
# core. Memory sets the ceiling (each worker holds Django, pandas and reportlab, about 150 MB).
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cores() + 1)
# The grid export of a large lot takes a few seconds; a minute leaves room on a loaded machine.
timeout = 60
# The application is loaded once in the master, then the workers are forked: a broken
# configuration fails at start-up, and the workers share the loaded code's memory.
preload_app = True
# No control socket (gunicornc): nothing uses it, and its default path, in the home directory,
# would be shared by every instance the same user runs.
control_socket_disable = True

# Everything on standard output, as JSON lines; the access log gives each request's method,
# path, status and duration (config/jsonlog.py), never its query string or headers.
access_log_format = "%(m)s %(U)s %(s)s %(M)sms"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
