"""Two-factor authentication with a time-based code (TOTP, django-otp).

Superusers always, and the coordinators' gestionnaires when OTP_REQUIRED_FOR_MANAGERS is on,
enter a six-digit code from an authenticator application after their password. The first
time, they register the application by scanning a QR code. Until the code is given, every page
but these and the logout sends them here.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from groupement.access import has_role
from groupement.models import Role

SETUP_URL = "second_factor_setup"
VERIFY_URL = "second_factor_verify"
# The style sheet and the language switcher work before the code is given.
FREE_PREFIXES = ("/static/", "/i18n/")


def second_factor_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return settings.OTP_REQUIRED_FOR_MANAGERS and has_role(user, Role.GESTIONNAIRE)


class SecondFactorMiddleware:
    """Sends a person who owes a code to the code page, whatever page they ask for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if second_factor_required(user) and not user.is_verified():
            free = {reverse(SETUP_URL), reverse(VERIFY_URL), reverse("logout")}
            if request.path not in free and not request.path.startswith(
                (
                    settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/",
                    "/i18n/",
                )
            ):
                confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                return redirect(VERIFY_URL if confirmed else SETUP_URL)
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator application"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _checked(request, form, device) -> bool:
    if form.is_valid() and device.verify_token(form.cleaned_data["code"].strip()):
        otp_login(request, device)
        return True
    if form.is_bound:
        form.add_error("code", _("This code is not the right one, or it has expired."))
    return False


@require_http_methods(["GET", "POST"])
@login_required
def second_factor_verify(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(SETUP_URL)
    form = CodeForm(request.POST or None)
    if _checked(request, form, device):
        return redirect("groupement:dashboard")
    return render(request, "registration/second_factor_verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def second_factor_setup(request):
    """The first time: a new key shown as a QR code, confirmed by a first code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(VERIFY_URL)
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "application"}
    )
    form = CodeForm(request.POST or None)
    if _checked(request, form, device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return redirect("groupement:dashboard")
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/second_factor_setup.html",
        {"form": form, "qr": qr.svg_data_uri(scale=4), "key": device.key},
    )
