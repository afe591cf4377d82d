"""Form fields and small forms that every app's pages share."""

from django import forms
from django.utils.translation import gettext_lazy

# What an optional select shows before a choice, instead of Django's « --------- ».
EMPTY_CHOICE = gettext_lazy("— choose —")


class DateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FrenchDecimalField(forms.DecimalField):
    """A decimal typed the French way: "600 000,50", with any kind of space between groups."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            for space in (" ", "\u00a0", "\u202f"):
                value = value.replace(space, "")
        return super().to_python(value)


def text_field(label, *, required=True, rows=3, max_length=4000):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=max_length,
    )


def amount_field(label, **kwargs):
    """An amount in € HT, to the cent, typed the French way."""
    return FrenchDecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "amount"}),
        **kwargs,
    )


def reason_field():
    return text_field(gettext_lazy("Reason"), max_length=2000)


class ReasonForm(forms.Form):
    reason = reason_field()


class DayForm(forms.Form):
    on = DateField(label=gettext_lazy("Date"))
