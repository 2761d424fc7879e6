from django.urls import path

from kindveilig.investigation import views

app_name = "investigation"

urlpatterns = [
    path(
        "dossiers/<int:case_id>/onderzoek/onderzoeksplan/starten/",
        views.question_start,
        name="question_start",
    ),
]
for section in views.SECTIONS:
    base = f"dossiers/<int:case_id>/onderzoek/{section.slug}/"
    urlpatterns += [
        path(base, views.section_page, {"key": section.key}, name=section.key),
        path(
            f"{base}<int:record_id>/",
            views.record_edit,
            {"key": section.key},
            name=f"{section.key}_edit",
        ),
        path(
            f"{base}<int:record_id>/verwijderen/",
            views.record_remove,
            {"key": section.key},
            name=f"{section.key}_remove",
        ),
    ]
