from django.urls import path

from kindveilig.approvals import views

app_name = "approvals"

urlpatterns = [
    path(
        "dossiers/<int:case_id>/beoordeling/goedkeuring/",
        views.approvals_page,
        name="approvals",
    ),
]
