"""Django settings. Everything a deployment changes comes from the environment.

DATABASE_URL  postgres://user@host:5432/name for production; default: embedded SQLite in var/.
ORDINO_SECRET_KEY, ORDINO_DEBUG, ORDINO_ALLOWED_HOSTS, ORDINO_DATA_DIR.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ORDINO_DATA_DIR", Path.cwd() / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("ORDINO_SECRET_KEY", "ordino-insecure-development-key-change-me")
DEBUG = os.environ.get("ORDINO_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ORDINO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("ORDINO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ordino.core",
    "ordino.accounts",
    "ordino.events",
    "ordino.catalog",
    "ordino.locations",
    "ordino.channels",
    "ordino.customers",
    "ordino.inventory",
    "ordino.orders",
    "ordino.fulfillment",
    "ordino.sourcing",
    "ordino.reports",
    "ordino.console",
]

MIDDLEWARE = [
    "ordino.core.api_edge.ApiEdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ordino.accounts.idempotency.ApiWriteMiddleware",
]

ROOT_URLCONF = "ordino.urls"
WSGI_APPLICATION = "ordino.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        if db["ENGINE"] == "django.db.backends.sqlite3":
            db.update(sqlite_options())
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "ordino.sqlite3"),
        "CONN_MAX_AGE": 600,  # reuse a worker's connection: no reopen and PRAGMAs per request
        **sqlite_options(),
    }


def sqlite_options() -> dict:
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN so
    # two writers never deadlock on a lock upgrade; the busy timeout makes writers queue, not fail.
    return {
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"),
        },
        "TEST": {"NAME": os.environ.get("ORDINO_TEST_SQLITE_NAME") or None},
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "admin:login"

# How long an Idempotency-Key is remembered, and how long a request waits for a twin with the
# same key that is still running (PostgreSQL) before it answers 409 `idempotency_in_progress`.
ORDINO_IDEMPOTENCY_TTL_HOURS = int(os.environ.get("ORDINO_IDEMPOTENCY_TTL_HOURS", "48"))
ORDINO_IDEMPOTENCY_WAIT_SECONDS = float(os.environ.get("ORDINO_IDEMPOTENCY_WAIT_SECONDS", "5"))
ORDINO_API_PAGE_SIZE_MAX = 200
# An order's `raw_payload` (the channel's own document, kept as is): at most this many bytes of
# compact JSON; a larger one is refused (422) rather than stored.
ORDINO_RAW_PAYLOAD_MAX_BYTES = int(os.environ.get("ORDINO_RAW_PAYLOAD_MAX_BYTES", "65536"))
# Request bodies: the most bytes an API request may send (413 `body_too_large` past it, before
# anything is read), and a stock feed file's own limit. (How long a client may pause while
# sending is the server's: ORDINO_REQUEST_READ_TIMEOUT_SECONDS, see console/gunicorn_worker.py.)
ORDINO_API_MAX_BODY_BYTES = int(os.environ.get("ORDINO_API_MAX_BODY_BYTES", str(1024 * 1024)))
ORDINO_API_MAX_FEED_BYTES = int(os.environ.get("ORDINO_API_MAX_FEED_BYTES", str(64 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = ORDINO_API_MAX_BODY_BYTES
# Days a customer has to collect a pickup order before it is cancelled and restocked.
ORDINO_PICKUP_DAYS = int(os.environ.get("ORDINO_PICKUP_DAYS", "7"))

UNFOLD = {
    "SITE_TITLE": "Ordino",
    "SITE_HEADER": "Ordino",
    "SITE_SUBHEADER": "Order management",
    "SHOW_HISTORY": True,
    "DASHBOARD_CALLBACK": "ordino.reports.admin.dashboard_callback",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ORDINO_LOG_LEVEL", "WARNING")},
}
