from django.urls import path

from procurement import analysis_views, bid_views, views

app_name = "procurement"

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path(
        "groupements/<int:pk>/consultations/nouvelle/",
        views.consultation_create,
        name="create",
    ),
    # The summary is "detail", each other section "detail_<name>" (procurement.pages).
    *[
        path(
            f"consultations/<int:consultation_pk>/{address}",
            views.consultation_detail,
            {"section": section},
            name="detail" if section == "summary" else f"detail_{section}",
        )
        for section, address, _label in views.SECTIONS
    ],
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
        "consultations/<int:consultation_pk>/plis/enregistrer/",
        bid_views.bid_register,
        name="bid_register",
    ),
    path(
        "consultations/<int:consultation_pk>/plis/importer/",
        bid_views.bids_import,
        name="bids_import",
    ),
    path("plis/documents/<int:bid_document_pk>/", bid_views.bid_document, name="bid_document"),
    path(
        "consultations/<int:consultation_pk>/ouverture/",
        bid_views.consultation_opening,
        name="opening",
    ),
    path(
        "consultations/<int:consultation_pk>/questions/ajouter/",
        bid_views.question_add,
        name="question_add",
    ),
    path("questions/<int:question_pk>/reponse/", bid_views.question_answer, name="answer"),
    path(
        "consultations/<int:consultation_pk>/prolonger/",
        bid_views.consultation_extend,
        name="extend",
    ),
    path(
        "consultations/<int:consultation_pk>/analyse/",
        analysis_views.consultation_analysis,
        name="analysis",
    ),
    path(
        "consultations/<int:consultation_pk>/etape/<slug:step>/",
        analysis_views.consultation_step,
        name="step",
    ),
    path(
        "consultations/<int:consultation_pk>/complements/",
        analysis_views.completion_request,
        name="completion",
    ),
    path("plis/<int:bid_pk>/decision/", analysis_views.bid_decision, name="bid_decision"),
    path("plis/<int:bid_pk>/prix/", analysis_views.bid_price, name="bid_price"),
    path(
        "plis/<int:bid_pk>/justification/",
        analysis_views.bid_justification,
        name="bid_justification",
    ),
    path(
        "consultations/<int:consultation_pk>/sans-suite/",
        views.consultation_cancel,
        name="cancel",
    ),
]
