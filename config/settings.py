"""Settings read from the environment.

Safe local defaults: an SQLite file under var/, console e-mail, DEBUG only when asked for.
Bad values fail loudly at start-up rather than half-working.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))
# The SQLite file and private uploads live here; SQLite cannot create a missing folder.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "health_check",
    "django_filters",
    # The project's layers, each importing only those above it in this list.
    "core",
    "journal",
    "groupement",
    "procurement",
    "scoring",
    "contracts",
    "bidders",
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "groupement.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its French page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The French days and moments of core.formats, in every template.
            "builtins": ["config.templating"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.menu",
            ],
        },
    },
]

# A PostgreSQL connection is kept a minute and checked before reuse: opening one costs more
# than most requests. SQLite opens a file, which costs nothing.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60 if os.environ.get("DATABASE_URL") else 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "groupement.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any password, even the right one, once an account is locked out.
    "axes.backends.AxesStandaloneBackend",
    "groupement.backends.PersonBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "groupement:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Guardian: permissions live in the direct foreign-key tables declared in groupement.models.
GUARDIAN_RENDER_403 = False
GUARDIAN_MONKEY_PATCH_USER = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    # Uploaded files are private: no MEDIA_URL is served, downloads go through
    # permission-checked views.
    "default": {
        "BACKEND": "core.uploads.PrivateStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private")},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "achats@pole-artois.invalid")

# The task queue (django-tasks): e-mails, letters and the periodic closing run there, outside
# the request. By default the queue is a table of the database, worked by
# `python manage.py db_worker` (`make serve` starts it). DJANGO_TASKS_BACKEND=rq moves it to
# Redis (REDIS_URL) for a deployment that outgrows the database, worked by `rqworker`;
# `immediate` runs each task at once in the process that enqueues it (tests, `make run`).
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "database")
TASKS: dict[str, dict[str, object]]
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND == "rq":
    if not os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured("DJANGO_TASKS_BACKEND=rq needs REDIS_URL (redis://host:6379/0).")
    # Installed with the optional extra: pip install -e ".[rq]".
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"]}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND must be database, rq or immediate, not {TASKS_BACKEND!r}"
    )
# A task waiting longer than this past its time means no worker takes them: /sante/ says so.
TASKS_MAX_WAIT_MINUTES = env_int("TASKS_MAX_WAIT_MINUTES", 5)

# Deliberation documents: PDF only, this many bytes at most.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Procédure adaptée: the "reasonable" delays may not go below these floors (calendar days).
MAPA_MIN_OFFER_DAYS = env_int("MAPA_MIN_OFFER_DAYS", 15)
MAPA_MIN_NOTICE_DAYS = env_int("MAPA_MIN_NOTICE_DAYS", 5)
# Tender documents: these extensions only, this many bytes at most.
TENDER_DOCUMENT_MAX_BYTES = env_int("TENDER_DOCUMENT_MAX_BYTES", 50 * 1024 * 1024)
TENDER_DOCUMENT_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "zip"]

# The journal's hash chain is keyed: without the key nobody can forge a consistent chain.
JOURNAL_KEY = os.environ.get("JOURNAL_KEY", SECRET_KEY)

SESSION_COOKIE_HTTPONLY = True
# Outside development the cookies travel over HTTPS only; `DJANGO_SECURE_COOKIES=0` is for a
# deployment that serves plain HTTP on purpose (behind a proxy that does not say so).
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS: the proxy in front says so with X-Forwarded-Proto; HSTS and the redirection are on
# outside development, and each can be set (DJANGO_HSTS_SECONDS=0 switches HSTS off).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
# The load balancer asks the health page over plain HTTP, from inside.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]

# Content-Security-Policy: everything from this site, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Failed logins (django-axes): after 5 failures for one account from one address, that pair
# is locked out for an hour; an administrator unlocks it at once with
# `python manage.py axes_reset_username NAME` or in the administration (Access attempts).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

# Two-factor authentication (TOTP, django-otp): always for superusers; for the coordinators'
# gestionnaires when OTP_REQUIRED_FOR_MANAGERS is on.
OTP_REQUIRED_FOR_MANAGERS = env_bool("OTP_REQUIRED_FOR_MANAGERS", False)
OTP_TOTP_ISSUER = "Groupements de commandes"
# A device's secret stays with its owner: the admin neither shows it nor draws its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Open data: the public address where the OCDS packages are published (the "uri" of each
# package, OPEN_DATA_BASE_URL/ocds-<reference>.json). Unset, a package names itself by its ocid.
OPEN_DATA_BASE_URL = os.environ.get("OPEN_DATA_BASE_URL", "").rstrip("/")

# Logs go to standard output, where the process manager collects them: outside development,
# one JSON object per line (time, level, logger, message, and the request's method, path and
# status when there is one), which log collectors read without parsing; DJANGO_LOG_FORMAT=text
# for plain lines.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.jsonlog.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Abnormally low offers: flagged below this share of the mean of the other regular offers,
# or below this share of the lot's estimate. A justification is then requested and judged.
ABNORMALLY_LOW_MEAN_RATIO = os.environ.get("ABNORMALLY_LOW_MEAN_RATIO", "0.80")
ABNORMALLY_LOW_ESTIMATE_RATIO = os.environ.get("ABNORMALLY_LOW_ESTIMATE_RATIO", "0.70")

# Consolidation: a spread between evaluators above this many points is flagged.
SCORE_SPREAD_ALERT = os.environ.get("SCORE_SPREAD_ALERT", "3")

# Evaluations and other computed results kept in each process until the journal's next entry
# (journal/memo.py): how many, and for how long at most (0 entries: never kept).
MEMO_ENTRIES = env_int("MEMO_ENTRIES", 64)
MEMO_SECONDS = env_int("MEMO_SECONDS", 300)
