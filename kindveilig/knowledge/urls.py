from django.urls import path

from kindveilig.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:list_name>/", views.list_detail, name="list"),
    path("<slug:list_name>/<str:code>/", views.entry_detail, name="entry"),
]
