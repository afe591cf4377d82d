"""Authentication and the headers every page carries: failed logins are throttled, superusers
(and, when asked, the coordinators' gestionnaires) give a second factor, pages forbid inline
scripts, and production settings pass Django's deployment checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from groupement.models import Role, User

PASSWORD = "motdepasse-de-test"
LOGIN = "/connexion/"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("failures", [4, 5])
def test_the_fifth_failure_locks_the_account_from_that_address(client, world, failures):
    user = world.user("M1", Role.LECTEUR)
    for attempt in range(1, failures + 1):
        expected = 429 if attempt == settings.AXES_FAILURE_LIMIT else 200
        assert _login(client, user.username, "mauvais").status_code == expected
    response = _login(client, user.username, PASSWORD)
    if failures < settings.AXES_FAILURE_LIMIT:
        assert _logged_in(client)
        return
    assert not _logged_in(client)
    assert response.status_code == 429
    assert "Compte verrouillé" in response.content.decode()
    # Another address is not locked out; an administrator unlocks the account at once.
    assert _login(client, user.username, PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    call_command("axes_reset_username", user.username)
    assert _login(client, user.username, PASSWORD).status_code == 302


def test_every_page_forbids_inline_scripts_and_framing(client, world):
    client.force_login(world.coordinator())
    response = client.get(reverse("groupement:dashboard"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_template_needs_an_inline_script_or_style():
    inline = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|<style|\son[a-z]+=", re.IGNORECASE)
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "k" * 20 + "-production-like-secret-" + "z" * 30,
        "DJANGO_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _code_at(device, step: int) -> str:
    """The device's code for one time step (30 s each)."""
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code.time = device.t0 + step * device.step
    return f"{code.token():0{device.digits}d}"


@pytest.fixture
def admin(db):
    return User.objects.create_superuser("chef", "chef@demo.invalid", PASSWORD)


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # wrong codes slow the next try down; not here
def test_a_superuser_sets_up_then_gives_a_second_factor(client, admin):
    assert _login(client, "chef", PASSWORD).status_code == 302
    response = client.get(reverse("groupement:dashboard"))
    assert response.url == reverse("second_factor_setup")
    page = client.get(response.url).content.decode()
    assert "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    wrong = client.post(reverse("second_factor_setup"), {"code": "000000"})
    assert "pas le bon" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    done = client.post(reverse("second_factor_setup"), {"code": f"{totp(device.bin_key):06d}"})
    assert done.url == reverse("groupement:dashboard")
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    # The next session asks for the code again, before any page.
    client.logout()
    assert _login(client, "chef", PASSWORD).status_code == 302
    assert client.get(reverse("admin:index")).url == reverse("second_factor_verify")
    # A code serves once: the next one (within the tolerated drift) opens the session.
    device.refresh_from_db()
    used = client.post(reverse("second_factor_verify"), {"code": _code_at(device, device.last_t)})
    assert "pas le bon" in used.content.decode()
    client.post(reverse("second_factor_verify"), {"code": _code_at(device, device.last_t + 1)})
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("required", [False, True])
def test_the_gestionnaires_give_a_second_factor_when_the_setting_says_so(client, world, required):
    client.force_login(world.coordinator())
    with override_settings(OTP_REQUIRED_FOR_MANAGERS=required):
        response = client.get(reverse("groupement:dashboard"))
    assert (response.status_code == 302) is required
    # Other roles are never asked.
    client.force_login(world.user("M1", Role.REFERENT))
    with override_settings(OTP_REQUIRED_FOR_MANAGERS=True):
        assert client.get(reverse("groupement:dashboard")).status_code == 200
