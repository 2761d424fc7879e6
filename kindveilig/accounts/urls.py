from django.urls import path

from kindveilig.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.PasswordLoginView.as_view(), name="login"),
    path("inloggen/code/", views.second_factor, name="second_factor"),
    path("tweestapsverificatie/", views.enrol, name="enrol"),
    path("beveiliging/", views.security, name="security"),
    path("beveiliging/wachtwoord/", views.PasswordChange.as_view(), name="password_change"),
    path("beveiliging/bevestigen/", views.reauthenticate, name="reauthenticate"),
    path("beveiliging/herstelcodes/", views.regenerate_recovery_codes, name="recovery_codes"),
    path("beveiliging/api-tokens/", views.api_token_create, name="api_token_create"),
    path(
        "beveiliging/api-tokens/<int:token_id>/intrekken/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("beveiliging/overal-uitloggen/", views.logout_everywhere, name="logout_everywhere"),
    path("uitloggen/", views.logout, name="logout"),
]
