from django.urls import path

from procurement import (
    analysis_views,
    award_views,
    bid_views,
    contract_views,
    opendata_views,
    views,
)

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
        "consultations/<int:consultation_pk>/attribution/",
        award_views.award_page,
        name="award",
    ),
    path("lots/<int:lot_pk>/attribution/", award_views.award_propose, name="award_propose"),
    path("lots/<int:lot_pk>/sans-attribution/", award_views.lot_outcome, name="lot_outcome"),
    path(
        "attributions/<int:award_pk>/attestations/",
        award_views.certificate_record,
        name="certificate",
    ),
    path(
        "consultations/<int:consultation_pk>/attribution/proposer/",
        award_views.award_submit,
        name="award_submit",
    ),
    path(
        "consultations/<int:consultation_pk>/attribution/decision/",
        award_views.award_decide,
        name="award_decide",
    ),
    path(
        "consultations/<int:consultation_pk>/attribution/avis/",
        award_views.award_approve,
        name="award_approve",
    ),
    path(
        "consultations/<int:consultation_pk>/attribution/reexamen/",
        award_views.award_reconsider,
        name="award_reconsider",
    ),
    path(
        "consultations/<int:consultation_pk>/courriers/",
        award_views.letters_send,
        name="letters_send",
    ),
    path("courriers/<int:letter_pk>/", award_views.letter_download, name="letter"),
    path("contrats/<int:contract_pk>/", contract_views.contract_detail, name="contract"),
    path(
        "contrats/<int:contract_pk>/conditions/",
        contract_views.contract_terms,
        name="contract_terms",
    ),
    path(
        "contrats/<int:contract_pk>/repartition/",
        contract_views.contract_shares,
        name="contract_shares",
    ),
    path("contrats/<int:contract_pk>/signer/", contract_views.contract_sign, name="contract_sign"),
    path(
        "contrats/<int:contract_pk>/notifier/",
        contract_views.contract_notify,
        name="contract_notify",
    ),
    path(
        "contrats/<int:contract_pk>/execution/",
        contract_views.contract_start,
        name="contract_start",
    ),
    path("contrats/<int:contract_pk>/fin/", contract_views.contract_finish, name="contract_finish"),
    path(
        "contrats/<int:contract_pk>/resiliation/",
        contract_views.contract_terminate,
        name="contract_terminate",
    ),
    path(
        "contrats/<int:contract_pk>/avenants/nouveau/",
        contract_views.amendment_propose,
        name="amendment_propose",
    ),
    path(
        "avenants/<int:amendment_pk>/avis/",
        contract_views.amendment_review,
        name="amendment_review",
    ),
    path(
        "avenants/<int:amendment_pk>/signer/",
        contract_views.amendment_sign,
        name="amendment_sign",
    ),
    path(
        "avenants/<int:amendment_pk>/notifier/",
        contract_views.amendment_notify,
        name="amendment_notify",
    ),
    path(
        "groupements/<int:pk>/donnees-ouvertes/",
        opendata_views.opendata_page,
        name="opendata",
    ),
    path("groupements/<int:pk>/decp.json", opendata_views.decp_download, name="decp"),
    path(
        "groupements/<int:pk>/donnees-ouvertes/publication/",
        opendata_views.publication_record,
        name="publication",
    ),
    path(
        "consultations/<int:consultation_pk>/ocds.json",
        opendata_views.ocds_download,
        name="ocds",
    ),
    path(
        "consultations/<int:consultation_pk>/sans-suite/",
        views.consultation_cancel,
        name="cancel",
    ),
]
