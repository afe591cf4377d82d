"""The filters of the list of contracts (core/listing.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from contracts.choices import ContractState
from contracts.models import Contract
from core.listing import SearchFilterSet
from groupement.selectors import groupement_choices


class ContractFilter(SearchFilterSet):
    search_fields = ("number", "title", "holder__name", "lot__consultation__reference")

    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ContractState.choices, empty_label=_("All the states")
    )
    groupement = django_filters.ModelChoiceFilter(
        label=_("Groupement"),
        field_name="lot__consultation__groupement",
        queryset=groupement_choices,
        empty_label=_("All the groupements"),
    )

    class Meta:
        model = Contract
        fields = ["q", "state", "groupement"]
