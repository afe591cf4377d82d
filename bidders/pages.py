"""What the public side adds to the buyers' pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.hooks import Link
from procurement import rules


def notice_links(request, consultation) -> list[Link]:
    """The public notice, as candidates read it, while it is open to them."""
    if rules.public_notice_errors(consultation):
        return []
    return [Link(_("Public notice"), reverse("bidders:notice", args=[consultation.pk]))]
