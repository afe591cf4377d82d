from django import template

from procurement.access import can_read_bids

register = template.Library()


@register.simple_tag(takes_context=True)
def reads_ranking(context, lot) -> bool:
    """Whether the page's reader may open the lot's ranking: the evaluators score blind and
    never see it, so their pages do not link to it."""
    return can_read_bids(context["request"].user, lot.consultation)
