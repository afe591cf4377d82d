from django.urls import path

from bidders import views

app_name = "bidders"

urlpatterns = [
    path("avis/", views.notice_list, name="notices"),
    path("avis/<int:consultation_pk>/", views.notice_detail, name="notice"),
    path("avis/<int:consultation_pk>/inscription/", views.notice_register, name="register"),
    path("avis/<int:consultation_pk>/question/", views.notice_question, name="question"),
    path("avis/<int:consultation_pk>/dce.zip", views.notice_archive, name="archive"),
    path("avis/dce/<int:document_pk>/", views.notice_document, name="document"),
]
