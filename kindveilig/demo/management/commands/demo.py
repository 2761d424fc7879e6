from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from kindveilig.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET_BASE32, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load the demo organisation, users and familie Demo (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo(today=timezone.localdate())
        self.stdout.write(
            f"Demo-gegevens staan klaar. Inloggen (wachtwoord voor allen: {DEMO_PASSWORD}):"
        )
        for demo_user in DEMO_USERS:
            self.stdout.write(f"  {demo_user.username:<22} {demo_user.description}")
        self.stdout.write(
            f"Tweestapsverificatie: sleutel {DEMO_TOTP_SECRET_BASE32} in een authenticator-app, "
            "of de huidige code met: kindveilig democode <gebruikersnaam>"
        )
