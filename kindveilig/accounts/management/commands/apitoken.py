import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kindveilig.accounts import selectors, services
from kindveilig.accounts.models import ApiToken, User

ACTIONS = ("create", "list", "revoke")


class Command(BaseCommand):
    help = (
        "API tokens: create <username> [--name N] (the token is the last line of output), "
        "list <username>, revoke <token-id>. A username alone means create."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", help="create, list or revoke; or a username (then: create for that user)"
        )
        parser.add_argument("target", nargs="?", help="username (create, list) or token id")
        parser.add_argument("--name", default="cli", help="what the token is for (create)")

    def handle(self, *args: Any, **options: Any) -> None:
        action, target = options["action"], options["target"]
        if target is None:
            if action in ACTIONS:
                raise CommandError(f"Geef een {'token-id' if action == 'revoke' else 'gebruiker'}.")
            action, target = "create", action  # kindveilig apitoken <username>
        elif action not in ACTIONS:
            raise CommandError(f"Onbekende actie {action!r}; kies uit {', '.join(ACTIONS)}.")
        if action == "create":
            self._create(self._user(target, active=True), options["name"])
        elif action == "list":
            self._list(self._user(target, active=False))
        else:
            self._revoke(target)

    def _user(self, username: str, *, active: bool) -> User:
        users = User.objects.filter(username=username)
        user = (users.filter(is_active=True) if active else users).first()
        if user is None:
            raise CommandError(
                "Onbekende of inactieve gebruiker." if active else "Onbekende gebruiker."
            )
        return user

    def _create(self, user: User, name: str) -> None:
        try:
            token = services.api_token_create(user=user, name=name)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write("API-token aangemaakt; bewaar het nu, het wordt niet opnieuw getoond:")
        self.stdout.write(token)

    def _list(self, user: User) -> None:
        tokens = selectors.api_tokens_of(user=user)
        if not tokens:
            self.stdout.write(f"{user.username} heeft geen API-tokens.")
            return
        self.stdout.write("id\tnaam\tbegin\taangemaakt\tverloopt\tlaatst gebruikt\tadres\tstatus")
        for token in tokens:
            self.stdout.write(
                "\t".join(
                    [
                        str(token.pk),
                        token.name,
                        token.prefix,
                        _when(token.created_at),
                        _when(token.expires_at),
                        _when(token.last_used_at),
                        token.last_used_address or "-",
                        str(token.status.label),
                    ]
                )
            )

    def _revoke(self, token_id: str) -> None:
        token = ApiToken.objects.filter(pk=int(token_id)).first() if token_id.isdigit() else None
        if token is None:
            raise CommandError("Onbekend token-id.")
        if token.revoked_at is not None:
            self.stdout.write(f"Token {token.pk} ({token.prefix}…) was al ingetrokken.")
            return
        services.api_token_revoke(token=token, by=None)
        self.stdout.write(
            f"Token {token.pk} ({token.prefix}…) van {token.user.username} is ingetrokken."
        )


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"
