from django.urls import path

from procurement import views

app_name = "procurement"

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path(
        "groupements/<int:pk>/consultations/nouvelle/",
        views.consultation_create,
        name="create",
    ),
    path("consultations/<int:consultation_pk>/", views.consultation_detail, name="detail"),
    path("consultations/<int:consultation_pk>/modifier/", views.consultation_edit, name="edit"),
    path(
        "consultations/<int:consultation_pk>/documents/ajouter/",
        views.document_add,
        name="document_add",
    ),
    path("documents/<int:document_pk>/", views.document_download, name="document"),
    path(
        "consultations/<int:consultation_pk>/envoyer-aux-membres/",
        views.consultation_submit,
        name="submit",
    ),
    path("consultations/<int:consultation_pk>/avis/", views.consultation_review, name="review"),
    path(
        "consultations/<int:consultation_pk>/publier/", views.consultation_publish, name="publish"
    ),
    path(
        "consultations/<int:consultation_pk>/sans-suite/",
        views.consultation_cancel,
        name="cancel",
    ),
]
