from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    """Four-eyes approval: a behavioural scientist of the case approves or returns a safety
    assessment, a risk assessment or the conclusion of a colleague."""

    name = "kindveilig.approvals"
    label = "approvals"

    def ready(self) -> None:
        from kindveilig.approvals.selectors import case_approval_states
        from kindveilig.assessment.selectors.overview import register_approval_source

        # The stage "Beoordeling" (below this app) asks for the four-eyes state of each
        # judgement for its next steps.
        register_approval_source(case_approval_states)
