from django.urls import path

from scoring import views

app_name = "scoring"

urlpatterns = [
    path("evaluation/", views.workspace, name="workspace"),
    path("lots/<int:lot_pk>/grille/", views.grid_page, name="grid"),
    path("lots/<int:lot_pk>/comite/", views.panel_page, name="panel"),
    path("lots/<int:lot_pk>/declaration/", views.declaration_page, name="declaration"),
    path("lots/<int:lot_pk>/plis/<int:bid_pk>/notation/", views.sheet_page, name="sheet"),
    path("fiches/<int:sheet_pk>/", views.sheet_view, name="sheet_view"),
    path("fiches/<int:sheet_pk>/rouvrir/", views.sheet_reopen, name="sheet_reopen"),
    path("lots/<int:lot_pk>/consolidation/", views.consolidation_page, name="consolidation"),
    path(
        "lots/<int:lot_pk>/consolidation/<int:bid_pk>/<int:criterion_pk>/",
        views.consolidate,
        name="consolidate",
    ),
    path("lots/<int:lot_pk>/classement/", views.ranking_page, name="ranking"),
    path("lots/<int:lot_pk>/export.<slug:fmt>", views.export, name="export"),
]
