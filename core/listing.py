"""Lists that grow with the groupement's life: narrowed by the filters of the query string
(django-filter), shown one page at a time.

A filter whose value does not validate (an unknown state, a search too long) is left out and
its message shown beside the form: a list never answers an error for its query string."""

import django_filters
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LIST_PAGE_SIZE = 25
# A search reads at most this many words: each one adds a condition to the query.
SEARCH_WORDS = 8


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with « q », a search of every word in `search_fields` (any of them)."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)

    def search(self, queryset, name, value):
        for word in value.split()[:SEARCH_WORDS]:
            any_field = Q()
            for field in self.search_fields:
                any_field |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(any_field)
        return queryset


def filtered_page(filter_class, queryset, request, *, parameter="page"):
    """The filters of `filter_class` read from the request's query string, and the page asked
    for (?page=N; a page out of range gives the nearest one) of what they keep."""
    filters = filter_class(request.GET, queryset=queryset, request=request)
    return filters, Paginator(filters.qs, LIST_PAGE_SIZE).get_page(request.GET.get(parameter))
