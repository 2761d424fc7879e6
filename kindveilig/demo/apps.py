from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The top layer: demo data and commands. May import every other app; none imports it."""

    name = "kindveilig.demo"
    label = "demo"
