from django.urls import path

from kindveilig.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("mijn-dossiers/", views.my_cases_list, name="my_cases_list"),
    path("noodtoegang/", views.break_glass, name="break_glass"),
    path("dossiers/nieuw/", views.case_create, name="case_create"),
    path("dossiers/<int:case_id>/personen/nieuw/", views.person_add, name="person_add"),
    path(
        "dossiers/<int:case_id>/personen/<int:person_id>/bewerken/",
        views.person_edit,
        name="person_edit",
    ),
    path(
        "dossiers/<int:case_id>/personen/<int:person_id>/verwijderen/",
        views.person_remove,
        name="person_remove",
    ),
    path(
        "dossiers/<int:case_id>/personen/<int:person_id>/bsn/", views.person_bsn, name="person_bsn"
    ),
    path(
        "dossiers/<int:case_id>/personen/<int:person_id>/mishandeling/nieuw/",
        views.maltreatment_form_add,
        name="maltreatment_form_add",
    ),
    path(
        "dossiers/<int:case_id>/mishandeling/<int:form_id>/bewerken/",
        views.maltreatment_form_edit,
        name="maltreatment_form_edit",
    ),
    path(
        "dossiers/<int:case_id>/mishandeling/<int:form_id>/beeindigen/",
        views.maltreatment_form_end,
        name="maltreatment_form_end",
    ),
    path("dossiers/<int:case_id>/", views.case_detail, name="case_detail"),
    path("dossiers/<int:case_id>/bewerken/", views.case_edit, name="case_edit"),
    path("dossiers/<int:case_id>/fase/", views.case_stage, name="case_stage"),
    path("dossiers/<int:case_id>/team/", views.case_team, name="case_team"),
    path(
        "dossiers/<int:case_id>/team/<int:member_id>/rol/",
        views.case_member_role,
        name="case_member_role",
    ),
    path(
        "dossiers/<int:case_id>/team/<int:member_id>/beeindigen/",
        views.case_member_end,
        name="case_member_end",
    ),
    path("dossiers/<int:case_id>/geschiedenis/", views.case_history, name="case_history"),
    path("dossiers/<int:case_id>/concept/<slug:form_key>/", views.draft_save, name="draft_save"),
    path(
        "dossiers/<int:case_id>/concept/<slug:form_key>/weggooien/",
        views.draft_discard,
        name="draft_discard",
    ),
]
