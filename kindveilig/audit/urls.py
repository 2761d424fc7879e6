from django.urls import path

from kindveilig.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("noodtoegang/", views.break_glass, name="break_glass"),
]
