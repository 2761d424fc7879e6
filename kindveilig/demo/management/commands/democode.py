from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kindveilig.accounts.models import User
from kindveilig.demo.data import demo_totp_code


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo user (demo accounts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        code = demo_totp_code(user) if user else None
        if code is None:
            raise CommandError("Geen demo-account met de demosleutel.")
        self.stdout.write(code)
