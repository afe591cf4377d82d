"""Settings for the test suite: the real settings, with a throw-away key and fast hashing."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-test-suite-only")
# Each process of the suite (one per xdist worker) stores its files in its own directory,
# removed when it ends: a test that counts stored files sees only its own process's.
os.environ["DJANGO_VAR_DIR"] = tempfile.mkdtemp(prefix="groupement-tests-")
atexit.register(shutil.rmtree, os.environ["DJANGO_VAR_DIR"], ignore_errors=True)

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# WhiteNoise warns about a missing STATIC_ROOT; tests serve through the finders.
STATIC_ROOT = VAR_DIR / "static"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)
# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# Tasks run at once, in the process that enqueues them, when the transaction commits: the
# tests read the mails in the outbox as before. Tests of the real queue set the database one.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A test database need not survive a power cut: PostgreSQL acknowledges a commit without
# waiting for the disk (the suite's live-server and race tests commit thousands of times).
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
