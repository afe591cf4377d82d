from django.urls import path

from groupement import views

app_name = "groupement"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("groupements/", views.groupement_list, name="list"),
    path("groupements/nouveau/", views.groupement_create, name="create"),
    path("groupements/<int:pk>/", views.groupement_detail, name="detail"),
    path("groupements/<int:pk>/modifier/", views.groupement_edit, name="edit"),
    path("groupements/<int:pk>/envoyer/", views.groupement_submit, name="submit"),
    path(
        "groupements/<int:pk>/mettre-en-vigueur/",
        views.groupement_put_in_force,
        name="put_in_force",
    ),
    path("groupements/<int:pk>/dissoudre/", views.groupement_dissolve, name="dissolve"),
    path(
        "adhesions/<int:membership_pk>/deliberation/",
        views.membership_deliberation,
        name="membership_deliberation",
    ),
    path(
        "adhesions/<int:membership_pk>/signature/",
        views.membership_sign,
        name="membership_sign",
    ),
    path(
        "adhesions/<int:membership_pk>/retrait/",
        views.membership_withdraw,
        name="membership_withdraw",
    ),
    path(
        "adhesions/<int:membership_pk>/deliberation.pdf",
        views.membership_document,
        name="membership_document",
    ),
]
