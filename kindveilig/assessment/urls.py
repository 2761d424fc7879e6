"""URLs of judging, under /dossiers/<case_id>/beoordeling/; each part of judging declares its own
(``views.<part>.urlpatterns``)."""

from kindveilig.assessment.views import causes, conclusion, overview, risk, safety

app_name = "assessment"

urlpatterns = [
    *overview.urlpatterns,
    *safety.urlpatterns,
    *risk.urlpatterns,
    *causes.urlpatterns,
    *conclusion.urlpatterns,
]
