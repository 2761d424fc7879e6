from django.urls import path

from kindveilig.accounts import admin_views as views

app_name = "administration"

urlpatterns = [
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/nieuw/", views.account_create, name="account_create"),
    path("accounts/<int:user_id>/", views.account_detail, name="account_detail"),
    path("accounts/<int:user_id>/blokkeren/", views.account_deactivate, name="account_deactivate"),
    path(
        "accounts/<int:user_id>/deblokkeren/",
        views.account_reactivate,
        name="account_reactivate",
    ),
    path(
        "accounts/<int:user_id>/tweestapsverificatie-wissen/",
        views.account_reset_second_factor,
        name="account_reset_second_factor",
    ),
    path(
        "accounts/<int:user_id>/api-tokens/<int:token_id>/intrekken/",
        views.account_token_revoke,
        name="account_token_revoke",
    ),
    path("organisaties/", views.organisations, name="organisations"),
    path("organisaties/nieuw/", views.organisation_create, name="organisation_create"),
]
