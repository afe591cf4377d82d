"""The filters of the lists of consultations and of deposits (core/listing.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.listing import SearchFilterSet
from groupement.selectors import groupement_choices
from procurement.choices import ConsultationState, Procedure
from procurement.models import Bid, Consultation


class ConsultationFilter(SearchFilterSet):
    search_fields = ("reference", "title")

    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ConsultationState.choices, empty_label=_("All the states")
    )
    procedure = django_filters.ChoiceFilter(
        label=_("Procedure"), choices=Procedure.choices, empty_label=_("All the procedures")
    )
    groupement = django_filters.ModelChoiceFilter(
        label=_("Groupement"), queryset=groupement_choices, empty_label=_("All the groupements")
    )

    class Meta:
        model = Consultation
        fields = ["q", "state", "procedure", "groupement"]


class BidFilter(SearchFilterSet):
    """The deposits of one consultation: by bidder (name, SIRET), receipt number and lot."""

    search_fields = ("bidder__name", "bidder__siret", "receipt_number")

    lot = django_filters.ChoiceFilter(
        label=_("Lot"), field_name="lot__number", empty_label=_("All the lots")
    )

    class Meta:
        model = Bid
        fields = ["q", "lot"]

    def __init__(self, *args, lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(lots) > 1:
            self.filters["lot"].extra["choices"] = [
                (lot.number, _("Lot %(number)s") % {"number": lot.number}) for lot in lots
            ]
        else:
            del self.filters["lot"]
