"""The page of a refusal (403): what was refused, who is asking, and a way back."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from groupement.access import user_roles
from groupement.models import Role


def permission_denied(request, exception=None):
    referer = request.headers.get("Referer", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    back = referer if same_site and referer != request.build_absolute_uri() else ""
    roles = user_roles(request.user)
    context = {
        # A refusal that names its reason (a service's message) shows it; the bare ones don't.
        "reason": str(exception or ""),
        "roles": [label for value, label in Role.choices if value in roles],
        "back": back,
        "home": reverse("groupement:dashboard"),
    }
    return render(request, "403.html", context, status=403)
