"""Log records as JSON lines, one object per record, for the collectors that read stdout.

The standard library only: a formatter is a few lines, a dependency is one more thing to keep.
Gunicorn's master process loads it too (config/gunicorn_conf.py), before Django is set up.
"""

import datetime
import json
import logging
from collections.abc import Mapping

# Gunicorn's access log passes its request "atoms" as the record's arguments; these name the
# request. The others (headers, cookies, environment) are left out on purpose.
ACCESS_ATOMS = {"method": "m", "path": "U", "status": "s", "duration_us": "D"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= request_fields(record)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_fields(record: logging.LogRecord) -> dict[str, object]:
    """The request a record is about: gunicorn's access line, or Django's request logger
    (4xx and 5xx responses), which attaches the request and the status code."""
    if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
        atoms = {key: record.args[atom] for key, atom in ACCESS_ATOMS.items()}
        return {
            "method": atoms["method"],
            "path": atoms["path"],
            "status": _number(atoms["status"]),
            "duration_ms": round(_number(atoms["duration_us"]) / 1000, 1),
        }
    request = getattr(record, "request", None)
    if request is None or not hasattr(request, "method"):
        return {}
    fields = {"method": request.method, "path": request.path}
    status = getattr(record, "status_code", None)
    if status is not None:
        fields["status"] = status
    return fields


def _number(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
