"""Settings for the test suite: fast hashing, same database choice as base (DATABASE_URL)."""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The tests need no secret of their own: a fixed one keeps them independent of any data dir.
SECRET_KEY = ENV.secret_key or "kindveilig-tests-only-" + "x" * 40  # noqa: F405, S105
# Checkpoints are written in the tests that test them (into their own temporary file).
KINDVEILIG_AUDIT_CHECKPOINTS = None
KINDVEILIG_AUDIT_KEY = ENV.audit_key or "kindveilig-tests-only-audit-key"  # noqa: F405
