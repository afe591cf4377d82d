"""The public list of the consultations open to candidates (core/listing.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.listing import SearchFilterSet
from procurement.choices import Procedure
from procurement.models import Consultation


class NoticeFilter(SearchFilterSet):
    search_fields = ("reference", "title", "groupement__name", "lots__title")

    procedure = django_filters.ChoiceFilter(
        label=_("Procedure"), choices=Procedure.choices, empty_label=_("All the procedures")
    )

    class Meta:
        model = Consultation
        fields = ["q", "procedure"]
