"""Days and moments written the French way in every template (loaded as a builtin):
{{ value|day }} gives « 1er avril 2022 », {{ value|moment }} « 14 janvier 2022 à 12 h 00 »."""

from django import template

from core.formats import format_day, format_moment

register = template.Library()


@register.filter
def day(value):
    return format_day(value) if value else ""


@register.filter
def moment(value):
    return format_moment(value) if value else ""
