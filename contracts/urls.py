from django.urls import path

from contracts import award_views, contract_views, opendata_views

app_name = "contracts"

urlpatterns = [
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
        "consultations/<int:consultation_pk>/attribution/proces-verbal.pdf",
        award_views.award_minutes,
        name="award_minutes",
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
    path("contrats/", contract_views.contract_list, name="contract_list"),
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
]
