"""Settings shared by every environment. Values that differ per machine come from config.env.

Importing settings reads the environment only: it creates no directory and writes no file
(the ``kindveilig`` command prepares the data directory and the development secret).
"""

from __future__ import annotations

import datetime

from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from config.env import REPO_ROOT, read_env

ENV = read_env()

BASE_DIR = REPO_ROOT
DATA_DIR = ENV.data_dir

# Outside production a missing secret gets a random one per process (sessions then end at a
# restart); the ``kindveilig`` command passes the one it keeps in the data dir.
SECRET_KEY = ENV.secret_key or get_random_secret_key()
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "simple_history",
    # Kindveilig's apps, bottom layer first (ARCHITECTURE.md): each imports only those above it.
    "kindveilig.core",
    "kindveilig.knowledge",
    "kindveilig.audit",
    "kindveilig.accounts",
    "kindveilig.cases",
    "kindveilig.investigation",
    "kindveilig.assessment",
    "kindveilig.approvals",
    "kindveilig.oversight",
    "kindveilig.api",
    "kindveilig.demo",
]

MIDDLEWARE = [
    "kindveilig.audit.context.RequestIdMiddleware",
    # Outermost, so every response gets them, also an error page made by a middleware below
    # (a 400 for a wrong Host header is made in CommonMiddleware).
    "kindveilig.core.middleware.ContentSecurityPolicyMiddleware",
    "kindveilig.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A browser's visit: BROWSER_MIDDLEWARE below. The JSON API passes by it (bearer tokens).
    "kindveilig.core.middleware.BrowserMiddleware",
    "kindveilig.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kindveilig.accounts.middleware.NotPermittedMiddleware",
]
# The session and everything that rests on it, in this order, for every request outside the
# JSON API (core.middleware.BrowserMiddleware). Only middleware that works through its call
# (no process_view, process_exception or process_template_response) can be listed here.
BROWSER_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kindveilig.accounts.middleware.SessionLoginMiddleware",
    "kindveilig.accounts.middleware.SecondFactorMiddleware",
    "kindveilig.accounts.middleware.RequireTwoFactorMiddleware",
    "kindveilig.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the second factor: an account on a one-time password may only change it.
    "kindveilig.accounts.middleware.PasswordChangeRequiredMiddleware",
]
API_PREFIX = "/api/"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "kindveilig.core.context_processors.site",
            ],
            # Every template translates and builds tables and forms alike: no {% load %} needed.
            "builtins": ["django.templatetags.i18n", "kindveilig.core.templatetags.kv"],
        },
    },
]

DATABASES = {"default": ENV.database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["kindveilig.accounts.backends.UserWithOrganisationBackend"]

# Login throttling (accounts.services): within the window, a client address with too many
# failed passwords (any usernames) is refused; a username with too many is refused from
# addresses where its user never logged in, so its user can still log in at her own desk.
KINDVEILIG_LOGIN_WINDOW = datetime.timedelta(minutes=15)
KINDVEILIG_LOGIN_FAILURES_PER_USERNAME = 5
KINDVEILIG_LOGIN_FAILURES_PER_ADDRESS = 20
# Proxies in front of Kindveilig whose X-Forwarded-For is trusted for the client's address.
KINDVEILIG_TRUSTED_PROXIES = ENV.trusted_proxies

# Two-factor authentication (django-otp, TOTP + recovery codes) for every user.
OTP_TOTP_ISSUER = "Kindveilig"
OTP_TOTP_THROTTLE_FACTOR = 1
KINDVEILIG_RECOVERY_CODE_COUNT = 10
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:my_cases"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates are shown and typed as dd-mm-jjjj in both languages (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end packages come from npm (pinned in package-lock.json) and are served as our own
# static files: nothing is loaded from a CDN.
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/utrecht", BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/utrecht-tokens", BASE_DIR / "node_modules" / "@utrecht" / "design-tokens" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Case pages' bodies, per process and in memory only (cases.pagecache): ~20-60 KB each.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kindveilig-pages",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # The layout's header and footer per user, language and path ({% kept %}): ~3 KB each.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kindveilig-fragments",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Django's database sessions, read with their user and second factor in one statement
SESSION_ENGINE = "kindveilig.accounts.sessions"
SESSION_COOKIE_AGE = ENV.idle_timeout_minutes * 60
# Activity moves the expiry forward (accounts.middleware.IdleTimeoutMiddleware), at most once a
# minute, so a read is not also a session write.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Logs carry codes and ids, never names or other personal data (PRODUCT §7).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "kindveilig.core.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV.log_level},
}

# A strict Content-Security-Policy: scripts and styles only from our own static files (no
# inline scripts or styles), no plugins, no framing, forms only to ourselves.
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
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The audit log's key never lives in the database. Outside production a missing key is derived
# from the secret key (the ``kindveilig`` command passes one it keeps in the data dir).
KINDVEILIG_AUDIT_KEY = ENV.audit_key or "derived-from-secret:" + SECRET_KEY
KINDVEILIG_AUDIT_CHECKPOINTS = ENV.audit_checkpoints
KINDVEILIG_AUDIT_CHECKPOINT_EVERY = ENV.audit_checkpoint_every
# Hash chains on PostgreSQL that a database connection claims for its lifetime, so concurrent
# writers never wait for each other (more than the web processes of all machines together;
# beyond them 8 shared chains take the rest). SQLite serialises writers anyway and uses one.
KINDVEILIG_AUDIT_SHARDS = ENV.audit_shards

KINDVEILIG_IDLE_TIMEOUT_MINUTES = ENV.idle_timeout_minutes
KINDVEILIG_BREAK_GLASS_HOURS = ENV.break_glass_hours
# A one-time password set by an administrator expires after this many hours.
KINDVEILIG_ONE_TIME_PASSWORD_HOURS = ENV.one_time_password_hours
# A new API token expires after this many days.
KINDVEILIG_API_TOKEN_DAYS = ENV.api_token_days
