from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "kindveilig.cases"
    label = "cases"
