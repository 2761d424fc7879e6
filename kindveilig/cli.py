"""The ``kindveilig`` console command: Django management with Kindveilig's settings.

``kindveilig serve``, ``kindveilig demo``, ``kindveilig apitoken`` and every Django command
(``migrate``, ``check --deploy`` ...) run through here. Before Django starts, the command makes
the data directory and, outside production, the development secret, so that importing the
settings never writes anything.
"""

from __future__ import annotations

import os
import sys

from config.env import prepare_data_dir, read_env


def main(argv: list[str] | None = None) -> None:
    # Everything this process (and gunicorn after it) creates is for its owner only: the SQLite
    # database and its WAL and shared-memory files, the secret, collected files.
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    production = os.environ["DJANGO_SETTINGS_MODULE"].endswith(".production")
    # Inherited by gunicorn and its workers, so all of them sign sessions and audit alike.
    os.environ.update(prepare_data_dir(read_env(), generate_secret=not production))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kindveilig", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
