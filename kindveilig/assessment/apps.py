from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Judging (handbook ch. 3): safety per child, causes, risk with scenarios, instrument
    outcomes and the conclusion (R1-R4)."""

    name = "kindveilig.assessment"
    label = "assessment"

    def ready(self) -> None:
        from kindveilig.assessment.selectors.safety import register_safety_glance
        from kindveilig.assessment.stage import register

        register()
        register_safety_glance()
