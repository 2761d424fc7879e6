from django.urls import path

from kindveilig.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.audit_log, name="audit_log"),
    path("export/", views.audit_log_export, name="audit_log_export"),
    path("noodtoegang/", views.break_glass_report, name="break_glass_report"),
    path("geweigerd/", views.denied_access, name="denied_access"),
    path(
        "noodtoegang/<int:access_id>/beoordelen/",
        views.break_glass_review,
        name="break_glass_review",
    ),
]
