"""Django settings. Everything a deployment changes comes from the environment.

DATABASE_URL  postgres://user@host:5432/name for production; default: embedded SQLite in var/.
ORDINO_SECRET_KEY, ORDINO_DEBUG, ORDINO_ALLOWED_HOSTS, ORDINO_DATA_DIR, ORDINO_HTTPS, ...: the
table in README.md and docs/operations.md lists them all.
"""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ORDINO_DATA_DIR", Path.cwd() / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes")


# ---- Security: the secret key, TLS ------------------------------------------------------------
# The key comes from ORDINO_SECRET_KEY, else from the file `ordino up` generates (the demo), else
# it is the public development key below, with which a server refuses to start unless
# ORDINO_DEBUG=1 (ordino.console.safety; checked by `ordino serve` and ordino.wsgi).
INSECURE_DEVELOPMENT_KEY = "ordino-insecure-development-key-change-me"
SECRET_KEY_FILE = DATA_DIR / "secret_key"


def secret_key_read() -> str:
    key = os.environ.get("ORDINO_SECRET_KEY", "").strip()
    if key:
        return key
    try:
        return SECRET_KEY_FILE.read_text().strip() or INSECURE_DEVELOPMENT_KEY
    except FileNotFoundError:
        return INSECURE_DEVELOPMENT_KEY


SECRET_KEY = secret_key_read()
DEBUG = env_flag("ORDINO_DEBUG")

# Behind TLS (ORDINO_HTTPS=1): cookies only over HTTPS, plain HTTP redirected, HSTS.
HTTPS = env_flag("ORDINO_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("ORDINO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS and SECURE_HSTS_SECONDS > 0
if env_flag("ORDINO_TRUST_X_FORWARDED_PROTO"):
    # A reverse proxy ends TLS and says so in X-Forwarded-Proto (it must overwrite the header a
    # client sends): without this every request would look like plain HTTP and be redirected.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
ALLOWED_HOSTS = os.environ.get("ORDINO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("ORDINO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "ordino.sso",  # first: its admin/login.html adds the SSO button to unfold's login page
    "ordino.console.admin_config.ConsoleUnfoldConfig",  # unfold, every page audited
    "unfold.contrib.filters",
    "unfold.contrib.import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "axes",
    "django_tasks",  # Django's tasks API (the backport): the backends' system checks
    "django_tasks_db",  # the database task backend's table, migrated whatever the backend
    "ordino.core",
    "ordino.accounts",
    "ordino.events",
    "ordino.audit",
    "ordino.integrations",
    "ordino.catalog",
    "ordino.locations",
    "ordino.channels",
    "ordino.tax",
    "ordino.customers",
    "ordino.inventory",
    "ordino.orders",
    "ordino.fulfillment",
    "ordino.sourcing",
    "ordino.holds",
    "ordino.payments",
    "ordino.risk",
    "ordino.returns",
    "ordino.invoices",
    "ordino.cases",
    "ordino.feeds",
    "ordino.shipping",
    "ordino.webhooks",
    "ordino.connectors",
    "ordino.accounting",
    "ordino.reports",
    "ordino.transfer",
    # after ordino.transfer: its `ordino export` / `ordino import` commands take the names
    # django-import-export's own commands have (an app listed earlier wins a command's name)
    "import_export",
    "ordino.console",
    "ordino.apps.WiringConfig",  # last: plugs the ports (wiring.py)
]

MIDDLEWARE = [
    "ordino.core.api_edge.ApiEdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ordino.audit.middleware.AuditActorMiddleware",  # who acts, for the audit (docs/people.md)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # records the inbound requests an adapter marked (Stripe's webhooks...) after the API's
    # transaction ended, so a refusal that rolled back is logged too (docs/integrations.md)
    "ordino.integrations.middleware.InboundCallMiddleware",
    "ordino.accounts.idempotency.ApiWriteMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
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
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# ---- Console logins: lockout after repeated failures (django-axes) ----------------------------
# Failures are rows in the database, so every process and machine counts the same ones. A
# username is locked out from one client address after ORDINO_LOGIN_FAILURE_LIMIT failures for
# ORDINO_LOGIN_COOLOFF_MINUTES; a right password in between resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "ordino.sso.backend.SsoBackend",  # keeps SSO sessions; signs no one in by itself
]
AXES_FAILURE_LIMIT = int(os.environ.get("ORDINO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ORDINO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False  # `ordino axes_list_attempts` / `axes_reset_username` instead
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"  # a login without ?next= lands in the console

# ---- Single sign-on with OpenID Connect (docs/sso.md): off unless an issuer and a client id are
# set. The endpoints are discovered from the issuer unless all four are given.
ORDINO_OIDC_ISSUER = os.environ.get("ORDINO_OIDC_ISSUER", "").strip()
ORDINO_OIDC_CLIENT_ID = os.environ.get("ORDINO_OIDC_CLIENT_ID", "").strip()
ORDINO_OIDC_CLIENT_SECRET = os.environ.get("ORDINO_OIDC_CLIENT_SECRET", "").strip()
ORDINO_OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("ORDINO_OIDC_AUTHORIZATION_ENDPOINT", "")
ORDINO_OIDC_TOKEN_ENDPOINT = os.environ.get("ORDINO_OIDC_TOKEN_ENDPOINT", "")
ORDINO_OIDC_USERINFO_ENDPOINT = os.environ.get("ORDINO_OIDC_USERINFO_ENDPOINT", "")
ORDINO_OIDC_JWKS_URI = os.environ.get("ORDINO_OIDC_JWKS_URI", "")
ORDINO_OIDC_GROUPS_CLAIM = os.environ.get("ORDINO_OIDC_GROUPS_CLAIM", "groups")
ORDINO_OIDC_SCOPES = os.environ.get("ORDINO_OIDC_SCOPES", "openid email profile")


# ---- Cache: shared state of all processes (API rate limits) -----------------------------------
def cache_from_env(url: str) -> dict:
    """ORDINO_CACHE_URL: redis://host:6379/0 (several machines), file:///path (one machine,
    the default: a directory under ORDINO_DATA_DIR), locmem:// (one process only: tests)."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    parts = urlsplit(url)
    if parts.scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "file" and parts.path:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": parts.path,
        }
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        f"ORDINO_CACHE_URL {url!r}: use redis://HOST:PORT/DB, file:///PATH or locmem://."
    )


CACHES = {"default": cache_from_env(os.environ.get("ORDINO_CACHE_URL", "").strip())}

# ---- Background tasks (docs/operations.md, "Workers"): Django's tasks API --------------------
# ORDINO_TASKS_BACKEND: `database` (the default: tasks are rows, run by `ordino worker`; nothing
# else to install), `rq` (Redis through RQ at ORDINO_REDIS_URL: tasks run by
# `ordino worker --tasks-only`, as many as you like, on any machine), `immediate` (run at once in
# the caller: tests). ORDINO_RELAY_MODE: `inline` (the relay calls each event's subscribers
# itself) or `queue` (it hands one task per event and subscriber to the backend:
# docs/integrations.md, "The delivery engine").
ORDINO_REDIS_URL = os.environ.get("ORDINO_REDIS_URL", "redis://127.0.0.1:6379/0").strip()
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def tasks_from_env(name: str) -> dict:
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"ORDINO_TASKS_BACKEND {name!r}: use one of {', '.join(TASK_BACKENDS)}."
        )
    return {"default": {"BACKEND": TASK_BACKENDS[name], "QUEUES": ["default"]}}


ORDINO_TASKS_BACKEND = os.environ.get("ORDINO_TASKS_BACKEND", "database").strip() or "database"
TASKS = tasks_from_env(ORDINO_TASKS_BACKEND)
# RQ's queues (read by django-rq only when the `rq` backend is chosen; harmless otherwise).
RQ_QUEUES = {"default": {"URL": ORDINO_REDIS_URL, "DEFAULT_TIMEOUT": 600}}
if ORDINO_TASKS_BACKEND == "rq":
    INSTALLED_APPS.insert(INSTALLED_APPS.index("ordino.core"), "django_rq")
ORDINO_RELAY_MODE = os.environ.get("ORDINO_RELAY_MODE", "inline").strip() or "inline"
if ORDINO_RELAY_MODE not in ("inline", "queue"):
    raise ImproperlyConfigured(f"ORDINO_RELAY_MODE {ORDINO_RELAY_MODE!r}: use inline or queue.")

# ---- API tokens: requests per minute and token (0: no limit) ----------------------------------
ORDINO_API_RATE_LIMIT = int(os.environ.get("ORDINO_API_RATE_LIMIT", "1200"))

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

# How long an Idempotency-Key is remembered, and how long a request waits for a twin with the
# same key that is still running (PostgreSQL) before it answers 409 `idempotency_in_progress`.
ORDINO_IDEMPOTENCY_TTL_HOURS = int(os.environ.get("ORDINO_IDEMPOTENCY_TTL_HOURS", "48"))
ORDINO_IDEMPOTENCY_WAIT_SECONDS = float(os.environ.get("ORDINO_IDEMPOTENCY_WAIT_SECONDS", "5"))
# A write with its own transactions (a label purchase) holds its key this long before a retry
# may take it over (docs/security.md, "Exactly once").
ORDINO_IDEMPOTENCY_LEASE_SECONDS = int(os.environ.get("ORDINO_IDEMPOTENCY_LEASE_SECONDS", "600"))
# The console seats the contract pays for: the user report compares them with the active users
# (docs/people.md). 0: not stated.
ORDINO_SEATS = int(os.environ.get("ORDINO_SEATS", "0"))
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
# Days the integration log keeps a call: the daily job deletes older ones (docs/integrations.md,
# "Retention"; `ordino integrations prune` keeps 180 days unless told otherwise).
ORDINO_INTEGRATION_LOG_DAYS = int(os.environ.get("ORDINO_INTEGRATION_LOG_DAYS", "190"))
# Days a customer has to collect a pickup order before it is cancelled and restocked.
ORDINO_PICKUP_DAYS = int(os.environ.get("ORDINO_PICKUP_DAYS", "7"))
# Days after delivery (or shipment) a customer may return a unit, where no return policy says
# otherwise (docs/returns.md); and days the customer's return link stays valid.
ORDINO_RETURN_WINDOW_DAYS = int(os.environ.get("ORDINO_RETURN_WINDOW_DAYS", "30"))
# Customs declarations (docs/shipping.md, "Customs"): who signs them (blank: the shipping
# location's name), the declared value past which Ordino refuses (a formal export filing is
# needed) and past which the form is a CN23, both in the order's currency.
ORDINO_CUSTOMS_SIGNER = os.environ.get("ORDINO_CUSTOMS_SIGNER", "").strip()[:100]
ORDINO_CUSTOMS_VALUE_LIMIT = Decimal(os.environ.get("ORDINO_CUSTOMS_VALUE_LIMIT", "1000"))
ORDINO_CN22_VALUE_LIMIT = Decimal(os.environ.get("ORDINO_CN22_VALUE_LIMIT", "300"))
ORDINO_RETURN_LINK_DAYS = int(os.environ.get("ORDINO_RETURN_LINK_DAYS", "60"))
# Where customers reach this server (https://shop-returns.example.com): the start of the links
# Ordino gives out. Blank: links are paths.
ORDINO_PUBLIC_URL = os.environ.get("ORDINO_PUBLIC_URL", "")
# Outbound webhooks (docs/webhooks.md) go to https:// URLs; 1: also to http://localhost and
# http://127.0.0.1 (a receiver on this machine, in development; DEBUG allows it too).
ORDINO_WEBHOOKS_ALLOW_LOCAL_HTTP = env_flag("ORDINO_WEBHOOKS_ALLOW_LOCAL_HTTP")

# The Stripe payment provider (docs/payments-stripe.md): the secret API key (sk_live_/sk_test_/
# rk_...) and the webhook endpoint's signing secret (whsec_...). Empty: Stripe is not configured.
ORDINO_STRIPE_SECRET_KEY = os.environ.get("ORDINO_STRIPE_SECRET_KEY", "").strip()
ORDINO_STRIPE_WEBHOOK_SECRET = os.environ.get("ORDINO_STRIPE_WEBHOOK_SECRET", "").strip()
# Carriers' tracking webhooks (docs/shipping.md, "Tracking"): EasyPost's webhook secret, and the
# token appended to Shippo's webhook URL (?token=...). Empty: that webhook answers 503.
ORDINO_EASYPOST_WEBHOOK_SECRET = os.environ.get("ORDINO_EASYPOST_WEBHOOK_SECRET", "").strip()
ORDINO_SHIPPO_WEBHOOK_TOKEN = os.environ.get("ORDINO_SHIPPO_WEBHOOK_TOKEN", "").strip()
# 1: the Stripe account has multicapture (IC+ pricing): one authorization, a capture per shipment.
ORDINO_STRIPE_MULTICAPTURE = env_flag("ORDINO_STRIPE_MULTICAPTURE")

# Secrets at rest (core/encryption.py, docs/connectors.md): the Fernet key (urlsafe base64 of 32
# bytes) that encrypts connections' credentials and webhook endpoints' signing secrets. Blank:
# derived from SECRET_KEY (set it in production).
ORDINO_CREDENTIALS_KEY = os.environ.get("ORDINO_CREDENTIALS_KEY", "").strip()

UNFOLD = {
    "SITE_TITLE": "Ordino",
    "SITE_HEADER": "Ordino",
    "SITE_SUBHEADER": "Order management",
    "SHOW_HISTORY": True,
    "DASHBOARD_CALLBACK": "ordino.console.dashboard.dashboard_callback",
    "SIDEBAR": {
        "show_search": True,
        "command_search": True,
        "show_all_applications": False,
        "navigation": "ordino.console.navigation.navigation",
    },
    "COMMAND": {
        # Ctrl+K: orders and customers by what a person has in hand (console/search.py)
        "search_callback": "ordino.console.search.search_callback",
        "show_history": True,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ORDINO_LOG_LEVEL", "WARNING")},
}

# Invoices and credit notes (docs/invoices.md): the seller block printed on every document, and
# how they are e-mailed (Django's e-mail backend, set by ORDINO_EMAIL_*; until a server is set,
# they are written as files under ORDINO_DATA_DIR/mail, not sent).
ORDINO_SELLER_NAME = os.environ.get("ORDINO_SELLER_NAME", "Ordino Demo Shop")
ORDINO_SELLER_ADDRESS = os.environ.get(
    "ORDINO_SELLER_ADDRESS", "1 Example Street\n10115 Berlin\nDE"
)
ORDINO_SELLER_VAT_ID = os.environ.get("ORDINO_SELLER_VAT_ID", "")
ORDINO_SELLER_EMAIL = os.environ.get("ORDINO_SELLER_EMAIL", "billing@example.com")
ORDINO_INVOICE_EMAIL = env_flag("ORDINO_INVOICE_EMAIL", default=True)
# the customer's shipping e-mails (docs/shipping.md, "Customer e-mails"); 0: none sent
ORDINO_SHIPPING_EMAIL = env_flag("ORDINO_SHIPPING_EMAIL", default=True)
DEFAULT_FROM_EMAIL = os.environ.get("ORDINO_EMAIL_FROM", ORDINO_SELLER_EMAIL)
EMAIL_BACKEND = os.environ.get(
    "ORDINO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("ORDINO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ORDINO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ORDINO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ORDINO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("ORDINO_EMAIL_TLS")
EMAIL_TIMEOUT = 30
