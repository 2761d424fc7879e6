from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "kindveilig.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        # Validate the knowledge base at start-up: an invalid file stops the process with a
        # message naming the file and entry, instead of failing later in front of a user.
        from kindveilig.knowledge.loader import knowledge_base

        knowledge_base()
