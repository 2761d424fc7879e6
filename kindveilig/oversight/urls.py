from django.urls import path

from kindveilig.oversight import views

app_name = "oversight"

urlpatterns = [
    path("teamoverzicht/", views.team_overview, name="team_overview"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export/", views.audit_log_export, name="audit_log_export"),
    path("audit/noodtoegang/", views.break_glass_report, name="break_glass_report"),
    path("audit/geweigerd/", views.denied_access, name="denied_access"),
    path(
        "audit/noodtoegang/<int:access_id>/beoordelen/",
        views.break_glass_review,
        name="break_glass_review",
    ),
]
