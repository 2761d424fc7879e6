from django.apps import AppConfig


class InvestigationConfig(AppConfig):
    """The investigation (handbook ch. 3-4): research plan, lifeline, observations,
    questionnaires, Framework findings and conversations."""

    name = "kindveilig.investigation"
    label = "investigation"

    def ready(self) -> None:
        from kindveilig.investigation.stage import register

        register()
