"""Template filters every template has without {% load %} (TEMPLATES' builtins): the French
days and moments of core.formats."""

from core.templatetags.dates import register

__all__ = ["register"]
