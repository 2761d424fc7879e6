"""Production: secrets from the environment only, HTTPS everywhere, hashed static files."""

from config.env import ImproperlyConfiguredEnv, read_env
from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES

ENV = read_env()
if not ENV.secret_key:
    raise ImproperlyConfiguredEnv("KINDVEILIG_SECRET_KEY must be set in production")
SECRET_KEY = ENV.secret_key
if not ENV.audit_key:
    raise ImproperlyConfiguredEnv("KINDVEILIG_AUDIT_KEY must be set in production")
KINDVEILIG_AUDIT_KEY = ENV.audit_key
DEBUG = False

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "kindveilig.core.storage.StaticFilesStorage"},
}

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
