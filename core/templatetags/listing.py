"""{% page_query 3 %} or {% page_query 3 "plis" %}: the query string of another page of a
list, keeping its filters (core/listing.py)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number, parameter="page"):
    query = context["request"].GET.copy()
    query[parameter] = number
    return f"?{query.urlencode()}"
