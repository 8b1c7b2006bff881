"""Ledgerport's one settings module, driven by the environment.

Every value has a safe embedded default so `make run` needs no server: SQLite under
`var/`, a SQLite-backed Celery broker, local files, and the sandbox for every provider.
Production sets the environment (see the README's configuration table).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

env = environ.Env()
VAR_DIR = Path(env.str("LEDGERPORT_VAR_DIR", default=str(REPO_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into var/."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
# The production profile: secure cookies, HSTS, SSL redirect (`manage.py check --deploy` clean).
PRODUCTION = env.bool("LEDGERPORT_PRODUCTION", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
PUBLIC_URL = env.str("PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[PUBLIC_URL])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ledgerport.core",
    "ledgerport.identity",
    "ledgerport.tenancy",
    "ledgerport.audit",
    "ledgerport.web",
    "ledgerport.ledger",
    "ledgerport.analysis",
    "ledgerport.connectors",
    "ledgerport.documents",
    "ledgerport.taxes",
    "ledgerport.demo",
    "ledgerport.review",
    "ledgerport.portal",
    "ledgerport.cases",
    "ledgerport.payroll",
    "ledgerport.payments",
    "ledgerport.taxpayments",
    "ledgerport.employerreturns",
    "ledgerport.vatreturns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ledgerport.web.middleware.RejectNulQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ledgerport.urls"
WSGI_APPLICATION = "ledgerport.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ledgerport.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let web, worker and beat share one SQLite file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Take the write lock when a transaction begins, so select_for_update() sections
            # (the token refresh lock) are mutually exclusive on SQLite too.
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's default random_page_cost (4) prices a disk seek for spinning disks; on SSD
    # (or with the tables in memory) it makes the planner scan a whole year's vouchers instead
    # of looking up a few thousand by index: the review queue's count took 4-5x longer.
    random_page_cost = env.str("PG_RANDOM_PAGE_COST", default="1.1")
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c random_page_cost={random_page_cost}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
# Page parts rendered from an imported ledger, keyed by its version (web/fragments.py): each
# web process's memory by default, or a shared cache (CACHE_URL=redis://…). Nothing relies on
# deleting an entry, so per-process memory is correct, only warmed once per process. At most
# 300 entries (the largest, a 500-row account page, ~160 KB: under 50 MB per process).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://ledgerport")}
CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 300)

# --- Identity -----------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out account is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "identity:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Personnummer are stored encrypted (Fernet keys, newest first, rotatable) with a keyed
# hash for lookup. Defaults derive from SECRET_KEY so a demo needs no configuration.
IDENTITY_ENCRYPTION_KEYS = env.list("IDENTITY_ENCRYPTION_KEYS", default=[])
IDENTITY_HASH_KEY = env.str("IDENTITY_HASH_KEY", default="")

# The second factor of e-mail + password login (django-otp TOTP): a wrong code doubles the
# wait before the next try (1 s, 2 s, 4 s, ...).
OTP_TOTP_ISSUER = "Ledgerport"
OTP_TOTP_THROTTLE_FACTOR = 1

# Login throttling: ten wrong passwords lock the account for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Failures count per account (the e-mail, case-insensitively) and per account and address,
# never per address alone: one attacker behind a firm's NAT must not lock out the office.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "ledgerport.identity.throttling.username"
AXES_LOCKOUT_CALLABLE = "ledgerport.identity.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# The lock ends the configured time after it began; tries during it do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# The client address: REMOTE_ADDR, or X-Forwarded-For as far as this many proxies of ours vouch.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "ledgerport.identity.throttling.client_ip"

# --- Sessions and security ----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 10)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles and everything else from our own
# origin only; no inline script or style, no eval (htmx runs with allowEval=false). Page
# behaviour lives in static files bound by data attributes (web/static/ledgerport/app.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "base-uri": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English")), ("nb", _("Norwegian Bokmål"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ledgerport_language"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# /favicon.ico (and nothing else) is served from the site root by whitenoise.
WHITENOISE_ROOT = BASE_DIR / "web" / "root"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "files")))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage"}
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest SIE file the "Load data" page accepts (bytes).
LEDGER_SIE_MAX_UPLOAD_BYTES = env.int("LEDGER_SIE_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
# The document archive: the largest file one may upload, and what a zip may unpack to.
ARCHIVE_MAX_UPLOAD_BYTES = env.int("ARCHIVE_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
ARCHIVE_MAX_UNZIPPED_BYTES = env.int("ARCHIVE_MAX_UNZIPPED_BYTES", default=200 * 1024 * 1024)

# --- E-mail -------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ledgerport <noreply@ledgerport.local>")

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# A task whose pool process died is handed back to the broker, not acknowledged as failed.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A running sync refreshes its heartbeat this often; beat looks for dead ones this often.
SYNC_HEARTBEAT_SECONDS = env.float("SYNC_HEARTBEAT_SECONDS", default=5.0)
SYNC_WATCHDOG_SECONDS = env.float("SYNC_WATCHDOG_SECONDS", default=30.0)
if CELERY_BROKER_URL.startswith("redis"):
    # Redis hands an unacknowledged task (a dead worker's) to another worker after this long.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800)
    }
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Syncs whose worker died: resumed (the embedded broker never redelivers).
    "connectors-sync-watchdog": {
        "task": "ledgerport.connectors.tasks.sync_watchdog",
        "schedule": SYNC_WATCHDOG_SECONDS,
        "options": {"expires": SYNC_WATCHDOG_SECONDS},
    },
    # Ombud grants checked and the tax-account data fetched, daily (connectors/scheduled.py).
    "connectors-daily-data-syncs": {
        "task": "ledgerport.connectors.scheduled.daily_data_syncs_task",
        "schedule": crontab(hour=4, minute=15),
    },
    # The tax checks of companies whose tax account or ledger changed (the client list's lights).
    "analysis-tax-checks-refresh": {
        "task": "ledgerport.analysis.tasks.tax_checks_refresh",
        "schedule": 15 * 60,
        "options": {"expires": 15 * 60},
    },
    # Case reminders that fall due (cases/reminders.py: each sent once, whichever worker runs it).
    "cases-reminders-send": {
        "task": "ledgerport.cases.tasks.case_reminders_send",
        "schedule": crontab(minute=5),
        "options": {"expires": 55 * 60},
    },
    # Files a rolled-back or killed sync left without a document row (see documents.services).
    "documents-orphan-files-sweep": {
        "task": "ledgerport.documents.tasks.orphan_files_sweep",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- External services --------------------------------------------------------------------
# Each provider is reached only through the base URLs its spec reads from the environment
# (`<NAME>_API_URL`, `<NAME>_AUTH_URL`, `<NAME>_CLIENT_ID`, …; connectors/providers.py); by
# default the local sandbox at SANDBOX_URL. PROVIDERS overrides them per provider name
# (tests point them at their own sandbox).
SANDBOX_URL = env.str("SANDBOX_URL", default="http://127.0.0.1:8001").rstrip("/")
PROVIDERS: dict[str, dict[str, str]] = {}
# Norwegian forms accept Skatteetaten's synthetic test persons (Tenor, month + 80): test mode only.
NO_SYNTHETIC_PERSONS = env.bool("NO_SYNTHETIC_PERSONS", default=not PRODUCTION)

# BankID (RP API v6.0). BANKID_API_URL is the base including the version path: the real
# service https://appapi2.bankid.com/rp/v6.0, BankID's test service
# https://appapi2.test.bankid.com/rp/v6.0; by default the sandbox. Mutual TLS: the RP
# certificate and key (PEM) and BankID's server CA; without a certificate the API is called
# plainly (the sandbox).
BANKID_API_URL = env.str("BANKID_API_URL", default=f"{SANDBOX_URL}/bankid/rp/v6.0").rstrip("/")
BANKID_CERT_FILE = env.str("BANKID_CERT_FILE", default="")
BANKID_KEY_FILE = env.str("BANKID_KEY_FILE", default="")
BANKID_CA_FILE = env.str("BANKID_CA_FILE", default="")
BANKID_TIMEOUT = env.float("BANKID_TIMEOUT", default=10.0)
# A client user without a Swedish personnummer (no BankID) may attest a case with the button;
# off: attestations must be signed with BankID (cases/signing.py).
CASES_ATTEST_WITHOUT_BANKID = env.bool("CASES_ATTEST_WITHOUT_BANKID", default=True)

# Provider tokens are encrypted with these Fernet keys (newest first; derived when empty).
CONNECTOR_TOKEN_KEYS = env.list("CONNECTOR_TOKEN_KEYS", default=[])
# Where the cross-process rate-limit buckets live: Redis when the broker is Redis, else a
# SQLite file (the embedded default).
RATE_LIMIT_URL = env.str(
    "RATE_LIMIT_URL",
    default=CELERY_BROKER_URL
    if CELERY_BROKER_URL.startswith("redis")
    else f"sqlite:///{VAR_DIR / 'ratelimit.sqlite3'}",
)

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # httpx logs every request at INFO; a sync makes thousands (SyncRun counts them instead).
    "loggers": {
        "axes": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
