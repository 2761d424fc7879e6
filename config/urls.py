from django.urls import include, path

from kindveilig.api.api import api

# Django tries the patterns in order: the API and the case pages, most of the requests, first.
# No two patterns match the same path, so the order changes nothing else.
urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("kindveilig.cases.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("kindveilig.accounts.urls")),
    path("kennisbank/", include("kindveilig.knowledge.urls")),
    path("beheer/", include("kindveilig.accounts.admin_urls")),
    path("", include("kindveilig.oversight.urls")),
    path("", include("kindveilig.core.urls")),
    path("", include("kindveilig.investigation.urls")),
    path("", include("kindveilig.assessment.urls")),
    path("", include("kindveilig.approvals.urls")),
]
