from django import template

register = template.Library()


@register.simple_tag
def state_label(entry, state):
    """The translated label of a state code recorded in a journal entry."""
    if not state:
        return ""
    model = entry.content_type.model_class()
    for field in model._meta.fields if model else []:
        label = dict(field.choices or []).get(state) if hasattr(field, "choices") else None
        if label is not None and type(field).__name__.startswith("FSM"):
            return label
    return state
