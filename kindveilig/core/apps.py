from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def keep_sqlite_statistics_current(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite gathers no planner statistics by itself; without them it may pick the wrong
    index (a membership check that reads a user's whole history). Each new connection (every
    few minutes per worker) refreshes them, sampling at most 400 rows per index: cheap, also
    on a large database."""
    if connection.vendor != "sqlite" or connection.settings_dict["NAME"] in ("", ":memory:"):
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=400")
        cursor.execute("ANALYZE")


class CoreConfig(AppConfig):
    name = "kindveilig.core"
    label = "core"

    def ready(self) -> None:
        connection_created.connect(keep_sqlite_statistics_current)
