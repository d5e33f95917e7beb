"""Django settings for Serment.

SQLite (WAL, IMMEDIATE transactions) is the embedded default; set DATABASE_URL for PostgreSQL.
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SERMENT_VAR_DIR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("SERMENT_DEBUG", "0") == "1"

# The secret key (docs/security.md). The public development key is refused when DEBUG is
# off; without SERMENT_SECRET_KEY a non-DEBUG run (the demo) uses a random key kept in
# VAR_DIR/secret_key, so no served site ever signs sessions with a published key.
PUBLIC_DEV_SECRET_KEY = "dev-only-insecure-key-change-me"


def _secret_key() -> str:
    key = os.environ.get("SERMENT_SECRET_KEY", "")
    if key:
        if key == PUBLIC_DEV_SECRET_KEY and not DEBUG:
            raise ImproperlyConfigured(
                "SERMENT_SECRET_KEY is the public development key: set a secret one when DEBUG is off."
            )
        return key
    if DEBUG:
        return PUBLIC_DEV_SECRET_KEY
    path = VAR_DIR / "secret_key"
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("SERMENT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "serment.core",
    "serment.organisations",
    "serment.accounts",
    "serment.members",
    "serment.oath",
    "serment.ratings",
    "serment.admissions",
    "serment.inspection",
    "serment.cadres",
    "ninja",
    "serment.api",
    "serment.transfers",
    "serment.home",
    "django_tasks",
    "django_tasks_db",
    "serment.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "serment.core.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "serment.core.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "serment.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "serment.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "serment.urls"
WSGI_APPLICATION = "serment.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "serment.core.context_processors.navigation",
                "serment.home.context_processors.notifications",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SERMENT_SQLITE_PATH", str(VAR_DIR / "serment.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait
                # (busy timeout) instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-64000;"
                ),
            },
        }
    }

# A read replica (docs/deploy.md): reports and exports read from it when it is set
# (core.db.ReplicaRouter); the test run mirrors it onto the default database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["serment.core.db.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- Security (docs/security.md) ------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): 5 wrong passwords for one user name from one address lock
# that pair out for 15 minutes, on every login form (ours and the Django admin's).
AUTHENTICATION_BACKENDS = [
    "serment.accounts.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SERMENT_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("SERMENT_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "serment.accounts.backends.client_ip"
# How many proxies in front of gunicorn append to X-Forwarded-For (0: use the peer address).
SERMENT_PROXY_COUNT = int(os.environ.get("SERMENT_PROXY_COUNT", 0))

# Two-factor sign-in (django-otp TOTP) for administrators and inspection staff.
# Off unless SERMENT_REQUIRE_2FA=1 (the documented production settings turn it on), so
# the demo and the browser tests sign in with a password alone.
SERMENT_REQUIRE_2FA = os.environ.get("SERMENT_REQUIRE_2FA", "0") == "1"
SERMENT_2FA_ROLES = ("admin", "inspection_staff")
OTP_TOTP_ISSUER = "Serment"

# Idle sessions end after SERMENT_SESSION_IDLE_MINUTES: activity moves the expiry forward
# (core.middleware.IdleSessionMiddleware, at most one write a minute).
SESSION_COOKIE_AGE = 60 * int(os.environ.get("SERMENT_SESSION_IDLE_MINUTES", 30))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Headers: no framing, no referrer outside the site, no sniffing; a CSP with no inline script.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Production behind a TLS proxy (docs/security.md): SERMENT_HTTPS=1 turns on HSTS, Secure
# cookies and the HTTPS redirect; the proxy must set X-Forwarded-Proto.
if os.environ.get("SERMENT_HTTPS", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SERMENT_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("SERMENT_HSTS_PRELOAD", "1") == "1"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SERMENT_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("fr", _("French")), ("en", _("English"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["serment.core.formats"]  # one date format per language (core/formats)

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = os.environ.get("SERMENT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SERMENT_FROM_EMAIL", "serment@localhost")

# Uploads: imports are read in memory up to this size; larger files are refused.
SERMENT_MAX_IMPORT_BYTES = int(os.environ.get("SERMENT_MAX_IMPORT_BYTES", 30 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = SERMENT_MAX_IMPORT_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = SERMENT_MAX_IMPORT_BYTES

SERMENT_PAGE_SIZE = 50
# PostgreSQL stops a report query after this long (below gunicorn's 30 s worker timeout).
SERMENT_REPORT_TIMEOUT_MS = int(os.environ.get("SERMENT_REPORT_TIMEOUT_MS", 25_000))

# `serment demo` runs these steps in order; each app adds its own (a callable
# taking the DemoContext). Steps create records only through actions and importers.
SERMENT_DEMO_STEPS = [
    "serment.members.demo.build",
    "serment.cadres.demo.build",  # before ratings: leaders need posts
    "serment.ratings.demo.build",
    "serment.inspection.demo.build",  # after ratings: complaints about its discipline decisions
    "serment.oath.demo.build",
    "serment.admissions.demo.build",
    "serment.home.demo.build",  # last: the live part, dated relative to today
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Background jobs (docs/jobs.md): django-tasks with its database backend; `make run` starts
# a worker (`serment db_worker`) beside gunicorn. SERMENT_TASKS_BACKEND=immediate runs them
# inside the request (the tests do).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("SERMENT_TASKS_BACKEND", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# Exports and report exports with more rows than this are built in a background job.
SERMENT_EXPORT_JOB_ROWS = int(os.environ.get("SERMENT_EXPORT_JOB_ROWS", 1_000))

# The dashboard's computed sections (home/dashboard.py, docs/performance.md "Dashboard
# cache"): files under VAR_DIR, so every gunicorn worker shares them without a server.
# Keys carry the data version, so a stale entry is never read; the timeout only frees space.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "dashboard": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "dashboard"),
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
