from django.urls import path

from kindveilig.core import views

app_name = "core"

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("help/", views.help_page, name="help"),
]
