from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kindveilig.accounts import services
from kindveilig.accounts.models import Role, User


class Command(BaseCommand):
    help = (
        "Accounts: create, reset-password (each prints a one-time password last), deactivate, "
        "reactivate, reset-2fa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an account")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=[role.value for role in Role])
        create.add_argument("--organisation", required=True)
        create.add_argument("--first-name", default="")
        create.add_argument("--last-name", default="")
        create.add_argument("--email", default="")
        for name, text in (
            ("reset-password", "Set a new one-time password; sessions and API tokens end"),
            ("deactivate", "Block an account and end its sessions"),
            ("reactivate", "Let a blocked account log in again"),
            ("reset-2fa", "Remove a lost authenticator; re-enrol at next login"),
        ):
            sub.add_parser(name, help=text).add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            try:
                user, password = services.user_create(
                    username=options["username"],
                    role=options["role"],
                    organisation_name=options["organisation"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    email=options["email"],
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(
                f"Account {user.username} aangemaakt. Eenmalig wachtwoord, geldig tot "
                f"{_expiry(user)} (bij de eerste keer inloggen stelt de gebruiker "
                "tweestapsverificatie in en kiest een eigen wachtwoord):"
            )
            self.stdout.write(password)
            return
        existing = User.objects.filter(username=options["username"]).first()
        if existing is None:
            raise CommandError("Onbekende gebruiker.")
        user = existing
        if options["action"] == "reset-password":
            password = services.user_password_reset(user=user)
            self.stdout.write(
                f"Nieuw eenmalig wachtwoord voor {user.username}, geldig tot {_expiry(user)}; "
                "sessies en API-tokens zijn beëindigd. Na het inloggen kiest de gebruiker een "
                "eigen wachtwoord:"
            )
            if not user.is_active:
                self.stdout.write("Let op: dit account is geblokkeerd en kan niet inloggen.")
            self.stdout.write(password)
        elif options["action"] == "deactivate":
            try:
                services.user_deactivate(user=user)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(
                f"Account {user.username} is geblokkeerd; sessies en API-tokens zijn beëindigd."
            )
        elif options["action"] == "reactivate":
            try:
                services.user_reactivate(user=user)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(f"Account {user.username} kan weer inloggen.")
        else:
            services.two_factor_reset(user=user)
            self.stdout.write(f"Tweestapsverificatie van {user.username} is gewist.")


def _expiry(user: User) -> str:
    expires_at = user.password_expires_at
    return timezone.localtime(expires_at).strftime("%Y-%m-%d %H:%M") if expires_at else "-"
