from django.urls import path

from kindveilig.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("dossiers/<int:case_id>/", views.case_detail, name="case_detail"),
]
