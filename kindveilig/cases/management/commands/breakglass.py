from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kindveilig.cases import services
from kindveilig.cases.models import BreakGlassPartner


class Command(BaseCommand):
    help = (
        "Emergency access across organisations: 'allow ORG PARTNER' lets professionals of "
        "PARTNER break the glass on cases of ORG; 'disallow ORG PARTNER' stops it; 'list'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("allow", "disallow"):
            command = sub.add_parser(name)
            command.add_argument("organisation", help="the organisation whose cases are opened")
            command.add_argument("partner", help="the cooperating organisation")
        sub.add_parser("list")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for pair in BreakGlassPartner.objects.select_related("organisation", "partner"):
                self.stdout.write(f"{pair.partner.name} -> {pair.organisation.name}")
            return
        try:
            changed = services.break_glass_partner_set(
                organisation_name=options["organisation"],
                partner_name=options["partner"],
                allowed=options["action"] == "allow",
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write("Gewijzigd." if changed else "Niets gewijzigd.")
