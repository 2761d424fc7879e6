"""Local development and the demo: the embedded SQLite database, a generated secret."""

from config.settings.base import *  # noqa: F403
