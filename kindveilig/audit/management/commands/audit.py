import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kindveilig.audit.chain import checkpoint_now, verify
from kindveilig.audit.roles import create_app_role


class Command(BaseCommand):
    help = (
        "Audit log: 'verify' checks the keyed hash chains against the checkpoints (exit 1 on "
        "any problem, naming where); 'checkpoint' writes every chain's head to the checkpoint "
        "file (run it every minute, e.g. from cron or a systemd timer); 'app-role ROLE' "
        "creates the PostgreSQL role the application runs as (run as the tables' owner)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Verify the tamper-evident hash chains")
        sub.add_parser("checkpoint", help="Write signed checkpoints of the chains' heads")
        role = sub.add_parser("app-role", help="Create the application's database role")
        role.add_argument("role")
        role.add_argument(
            "--password-env",
            default="",
            help="name of an environment variable holding the role's password",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "app-role":
            password = os.environ.get(options["password_env"]) if options["password_env"] else None
            try:
                for statement in create_app_role(options["role"], password=password):
                    self.stdout.write(statement)
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            return
        if options["action"] == "checkpoint":
            self.stdout.write(f"{checkpoint_now()} checkpoints written")
            return
        result = verify()
        total = result.count + result.legacy_count
        if result.ok:
            self.stdout.write(f"OK {total} events")
            self.stdout.write(
                f"{result.count} in {result.shards} keyed chains, "
                f"{result.legacy_count} written before the keyed chains"
            )
            return
        for problem in result.problems:
            self.stderr.write(f"BROKEN {problem}")
        self.stderr.write(f"{len(result.problems)} problems in {total} events")
        raise SystemExit(1)
