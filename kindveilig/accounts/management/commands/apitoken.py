from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kindveilig.accounts.models import User
from kindveilig.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user; the token is the last line of output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError("Onbekende of inactieve gebruiker.") from exc
        token = api_token_create(user=user)
        self.stdout.write("API-token aangemaakt; bewaar het nu, het wordt niet opnieuw getoond:")
        self.stdout.write(token)
