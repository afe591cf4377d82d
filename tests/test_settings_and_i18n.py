import gettext
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def start_django(env) -> subprocess.CompletedProcess:
    """Django started in a process of its own, with these environment variables."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_VAR_DIR": str(tmp_path)}
    result = start_django(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_a_bad_boolean_in_the_environment_fails_loudly(tmp_path):
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "peut-être",
        "DJANGO_VAR_DIR": str(tmp_path),
    }
    result = start_django(env)
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DJANGO_TASKS_BACKEND": "celery"}, "DJANGO_TASKS_BACKEND must be database, rq"),
        ({"DJANGO_TASKS_BACKEND": "rq"}, "DJANGO_TASKS_BACKEND=rq needs REDIS_URL"),
        ({"DJANGO_LOG_FORMAT": "xml"}, "DJANGO_LOG_FORMAT must be json or text"),
    ],
)
def test_a_bad_task_queue_or_log_format_fails_loudly(tmp_path, variables, message):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | variables
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_VAR_DIR": str(tmp_path)}
    result = start_django(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_interface_is_french_even_for_an_english_browser(client, world):
    client.force_login(world.coordinator())
    page = client.get(reverse("groupement:dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert "Mes actions" in page.content.decode()


def test_english_is_available_through_the_language_switcher(client, world):
    client.force_login(world.coordinator())
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "My actions" in client.get(reverse("groupement:dashboard")).content.decode()
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Mes actions" in client.get(reverse("groupement:dashboard")).content.decode()


CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _translations() -> list[str]:
    """Every French text of the catalogue (msgstr and its continuation lines)."""
    texts, inside = [], False
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            inside = True
            texts.append(line.split(" ", 1)[1])
        elif line.startswith('"') and inside:
            texts[-1] += line
        else:
            inside = False
    return texts


def test_the_french_catalogue_writes_one_kind_of_apostrophe_and_no_bracketed_plurals():
    texts = _translations()
    assert len(texts) > 500
    straight = [t for t in texts if "'" in t]
    bracketed = [t for t in texts if "(s)" in t or "(e)" in t]
    assert not straight, straight[:5]
    assert not bracketed, bracketed[:5]


def _entries() -> list[dict]:
    """The catalogue's entries after its header: their flags, msgid, plural and msgstr forms."""
    entries = []
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]:
        entry: dict = {"fuzzy": False, "msgstr": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["fuzzy"] |= "fuzzy" in line
            elif line.startswith("#~"):  # an obsolete entry
                entry = {}
                break
            elif line.startswith("msg"):
                key, text = line.split(" ", 1)
                value = json.loads(text)
                if key.startswith("msgstr"):
                    entry["msgstr"][key] = value
                else:
                    entry[key] = value
            elif line.startswith('"') and key:
                if key.startswith("msgstr"):
                    entry["msgstr"][key] += json.loads(line)
                else:
                    entry[key] += json.loads(line)
        if entry:
            entries.append(entry)
    return entries


def test_every_text_has_its_french_translation_and_the_compiled_catalogue_is_up_to_date():
    entries = _entries()
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if e["fuzzy"] or not all(e["msgstr"].values())]
    assert not untranslated, untranslated
    with (CATALOGUE.with_suffix(".mo")).open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = []
    for entry in entries:
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            # French takes msgstr[0] for 0 and 1, msgstr[1] from 2 on: both forms are checked.
            plural = (entry["msgid"], entry["msgid_plural"])
            got = [
                catalogue.npgettext(context, *plural, n)
                if context
                else catalogue.ngettext(*plural, n)
                for n in (1, 2)
            ]
            expected = [entry["msgstr"]["msgstr[0]"], entry["msgstr"]["msgstr[1]"]]
        else:
            got = (
                catalogue.pgettext(context, entry["msgid"])
                if context
                else catalogue.gettext(entry["msgid"])
            )
            expected = entry["msgstr"]["msgstr"]
        if got != expected:
            stale.append(entry["msgid"])
    assert not stale, f"run compilemessages: {stale[:5]}"
