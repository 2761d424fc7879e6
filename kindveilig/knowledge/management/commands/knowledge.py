from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kindveilig.knowledge.export import to_json, to_markdown
from kindveilig.knowledge.loader import KnowledgeBaseError, load_knowledge_base


class Command(BaseCommand):
    help = "Knowledge base: 'export --format json|markdown' or 'validate'."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Print the whole knowledge base")
        export.add_argument("--format", choices=["json", "markdown"], default="json")
        sub.add_parser("validate", help="Validate the knowledge-base files")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kb = load_knowledge_base()
        except KnowledgeBaseError as exc:
            raise CommandError(f"Kennisbank ongeldig: {exc}") from exc
        if options["action"] == "validate":
            total = sum(len(knowledge_list) for knowledge_list in kb.lists.values())
            self.stdout.write(f"OK: versie {kb.version}, {len(kb.lists)} lijsten, {total} items")
            return
        self.stdout.write(to_json(kb) if options["format"] == "json" else to_markdown(kb))
