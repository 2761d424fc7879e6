"""``kindveilig serve``: gunicorn (production-grade WSGI server) with WhiteNoise static files."""

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Kindveilig with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Kindveilig draait op http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            # The access log format leaves out query strings and referers: no personal data.
            "--access-logformat",
            '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replace this process with gunicorn
