from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "kindveilig.knowledge"
    label = "knowledge"
