"""What the browser journeys share: a PDF to upload, the values of date inputs, the visible
text of a page, and a failure that quotes the page's refusal."""

import re

import pytest
from django.utils import timezone

from core import clock as server_clock


def pdf(path):
    path.write_bytes(
        b"%PDF-1.4\n% " + path.stem.encode() + b"\n1 0 obj<</Type/Catalog>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def local_input(moment):
    """The value of an <input type=datetime-local>, in the server's time zone (Paris)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def today():
    """Today for the server, which the clock fixture moves: the value of an <input type=date>."""
    return server_clock.today().isoformat()


def text_of(page, part="body"):
    """The visible text of `part`, French thousands separators turned into plain spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", page.inner_text(part))


def expect_no_error(page):
    errors = page.locator(".message.error, .errorlist")
    if errors.count():
        pytest.fail(f"{page.url} refused the form: {' | '.join(errors.all_inner_texts())}")
