from django.urls import include, path

from kindveilig.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("kindveilig.accounts.urls")),
    path("kennisbank/", include("kindveilig.knowledge.urls")),
    path("beheer/", include("kindveilig.accounts.admin_urls")),
    path("", include("kindveilig.oversight.urls")),
    path("api/v1/", api.urls),
    path("", include("kindveilig.core.urls")),
    path("", include("kindveilig.investigation.urls")),
    path("", include("kindveilig.assessment.urls")),
    path("", include("kindveilig.approvals.urls")),
    path("", include("kindveilig.cases.urls")),
]
