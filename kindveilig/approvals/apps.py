from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    """Four-eyes approval: a behavioural scientist of the case approves or returns a safety
    assessment, a risk assessment or the conclusion of a colleague."""

    name = "kindveilig.approvals"
    label = "approvals"
