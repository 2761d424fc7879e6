from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kindveilig.accounts"
    label = "accounts"

    def ready(self) -> None:
        from kindveilig.accounts import signals  # noqa: F401  (connects the receivers)
