from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kindveilig.audit.chain import verify


class Command(BaseCommand):
    help = "Audit log: 'verify' checks the hash chain (exit 1 at the first broken event)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Verify the tamper-evident hash chain")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if result.ok:
            self.stdout.write(f"OK {result.count} events")
            return
        self.stderr.write(
            f"BROKEN at event {result.first_broken_id}: {result.problem} "
            f"({result.count} events before it are intact)"
        )
        raise SystemExit(1)
