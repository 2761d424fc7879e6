"""The ``kindveilig`` console command: Django management with Kindveilig's settings.

``kindveilig serve``, ``kindveilig demo``, ``kindveilig apitoken`` and every Django command
(``migrate``, ``check --deploy`` ...) run through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kindveilig", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
