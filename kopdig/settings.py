"""Kopdig settings: one file, configured by environment variables (see .env.example), which may
also come from a ``.env`` file in the current directory (kopdig.lib.envfile; the environment wins)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from kopdig.lib import envfile

envfile.load()
BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():  # unset or empty (.env.example): the default
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("KOPDIG_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("KOPDIG_DEBUG", False)
# Demo mode lists the demo logins on the login page. Never set it in production.
DEMO_MODE = env_bool("KOPDIG_DEMO", False)


def _secret_key() -> str:
    key = os.environ.get("KOPDIG_SECRET_KEY")
    if key:
        return key
    # No secret in the repository: a local install generates one in its data directory.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("KOPDIG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("KOPDIG_CSRF_TRUSTED_ORIGINS")
# Behind a TLS-terminating proxy (which sets X-Forwarded-Proto): secure cookies, HTTPS redirect
# and HSTS default on; each can still be set on its own.
BEHIND_TLS_PROXY = env_bool("KOPDIG_BEHIND_TLS_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("KOPDIG_SECURE_COOKIES", BEHIND_TLS_PROXY)
SECURE_SSL_REDIRECT = env_bool("KOPDIG_SSL_REDIRECT", BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = int(os.environ.get("KOPDIG_HSTS_SECONDS") or (31536000 if BEHIND_TLS_PROXY else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KOPDIG_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("KOPDIG_HSTS_PRELOAD", False)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from our own static files (htmx, Swagger
# UI); inline styles stay allowed (templates' <style> blocks, htmx's indicator style).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI from its own static files (no CDN)
    "axes",
    "django_tasks",
    "django_tasks_db",
    "kopdig.lib",
    "kopdig.tenancy",
    "kopdig.audit",
    "kopdig.ledger",
    "kopdig.members",
    "kopdig.savings",
    "kopdig.loans",
    "kopdig.shu",
    "kopdig.rat",
    "kopdig.usaha",
    "kopdig.market",
    "kopdig.dinas",
    "kopdig.health",
    "kopdig.programs",
    "kopdig.network",
    "kopdig.api",
]

MIDDLEWARE = [
    "kopdig.lib.middleware.ServerTimingMiddleware",  # only with KOPDIG_SERVER_TIMING (benchmarks)
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kopdig.lib.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Server-Timing header (app and database time of each request): on in benchmarks, off by default.
KOPDIG_SERVER_TIMING = env_bool("KOPDIG_SERVER_TIMING", False)

ROOT_URLCONF = "kopdig.urls"
WSGI_APPLICATION = "kopdig.wsgi.application"
ASGI_APPLICATION = "kopdig.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kopdig.tenancy.context.kopdig",
            ],
            "builtins": ["kopdig.lib.templatetags.kopdig"],
        },
    }
]

# --- Database -------------------------------------------------------------
# DATABASE_URL unset: a SQLite file in the data directory, tuned for concurrent use
# (WAL, busy timeout, writers serialised by IMMEDIATE transactions). Set: PostgreSQL.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    DATABASES["default"].setdefault("TEST", {})
    if os.environ.get("KOPDIG_TEST_DATABASE_NAME"):
        DATABASES["default"]["TEST"]["NAME"] = os.environ["KOPDIG_TEST_DATABASE_NAME"]
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "kopdig.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "tenancy.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): 5 failures lock the username+IP pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("KOPDIG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_LOCKOUT_CALLABLE = "kopdig.api.auth.lockout_response"  # JSON 429 on /api/, the page elsewhere

# Spreadsheet uploads (imports): largest file, most data rows read, errors listed on the page.
KOPDIG_IMPORT_MAX_BYTES = int(os.environ.get("KOPDIG_IMPORT_MAX_BYTES") or 5 * 1024 * 1024)
KOPDIG_IMPORT_MAX_ROWS = int(os.environ.get("KOPDIG_IMPORT_MAX_ROWS") or 5000)
KOPDIG_IMPORT_MAX_ERRORS_SHOWN = int(os.environ.get("KOPDIG_IMPORT_MAX_ERRORS_SHOWN") or 50)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000  # a journal form has at most 200 lines of a few fields

# API tokens live this many days.
API_TOKEN_DAYS = int(os.environ.get("KOPDIG_API_TOKEN_DAYS", "30"))

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kopdig.lib.locale_formats"]  # "3 September 2019", ISO date inputs

# --- Static files -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Background tasks (django-tasks, database backend) ----------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- E-mail -----------------------------------------------------------------
if os.environ.get("KOPDIG_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["KOPDIG_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("KOPDIG_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("KOPDIG_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("KOPDIG_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("KOPDIG_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_ENABLED = bool(os.environ.get("KOPDIG_EMAIL_HOST"))
DEFAULT_FROM_EMAIL = os.environ.get("KOPDIG_EMAIL_FROM", "kopdig@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KOPDIG_LOG_LEVEL", "WARNING")},
}
