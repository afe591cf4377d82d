from django import template

register = template.Library()


@register.simple_tag
def state_label(entry, state):
    """The translated label of a state code recorded in a journal entry."""
    if not state:
        return ""
    model = entry.content_type.model_class()
    try:
        choices = dict(model._meta.get_field("state").choices)
    except Exception:  # a model without a state field: show the code as recorded
        return state
    return choices.get(state, state)
