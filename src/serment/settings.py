"""Django settings for Serment.

SQLite (WAL, IMMEDIATE transactions) is the embedded default; set DATABASE_URL for PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SERMENT_VAR_DIR", PROJECT_DIR / "var"))

SECRET_KEY = os.environ.get("SERMENT_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = os.environ.get("SERMENT_DEBUG", "0") == "1"
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
    "serment.core",
    "serment.organisations",
    "serment.accounts",
    "serment.members",
    "serment.oath",
    "serment.ratings",
    "serment.admissions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "serment.core.middleware.DomainErrorMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("fr", _("French")), ("en", _("English"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

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
    "serment.ratings.demo.build",
    "serment.oath.demo.build",
    "serment.admissions.demo.build",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
