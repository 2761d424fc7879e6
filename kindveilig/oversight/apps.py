from django.apps import AppConfig


class OversightConfig(AppConfig):
    """Pages that look across cases without their content: the auditor's audit log and
    emergency-access report, and the team lead's caseload overview."""

    name = "kindveilig.oversight"
    label = "oversight"
