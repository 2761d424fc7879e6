"""Settings for the test suite: fast hashing, same database choice as base (DATABASE_URL)."""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
