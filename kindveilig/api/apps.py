from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kindveilig.api"
    label = "api"
