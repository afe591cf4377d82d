from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.health import health
from groupement import second_factor

urlpatterns = [
    path(
        "connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("connexion/code/", second_factor.second_factor_verify, name="second_factor_verify"),
    path(
        "connexion/double-facteur/",
        second_factor.second_factor_setup,
        name="second_factor_setup",
    ),
    # For the load balancer: no login, nothing but each service's state (config/health.py).
    path("sante/", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("contracts.urls")),
    path("", include("bidders.urls")),
    path("", include("scoring.urls")),
    path("", include("procurement.urls")),
    path("", include("groupement.urls")),
]

handler403 = "config.errors.permission_denied"
