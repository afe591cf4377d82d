from django import forms
from django.utils.translation import gettext_lazy

from groupement.identifiers import validate_siret
from procurement.models import Lot
from procurement.rules import QUESTION_MAX_LENGTH


class RegistrationForm(forms.Form):
    company = forms.CharField(label=gettext_lazy("Company"), max_length=200)
    siret = forms.CharField(label=gettext_lazy("SIRET"), max_length=20)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        help_text=gettext_lazy(
            "Answers to questions, changes of the DCE and deadline extensions are sent here."
        ),
    )

    def clean_siret(self):
        siret = self.cleaned_data["siret"].replace(" ", "")
        validate_siret(siret)
        return siret

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class QuestionForm(RegistrationForm):
    """Asked on the notice: the candidate identifies itself so that the answer reaches it."""

    lot = forms.ModelChoiceField(
        label=gettext_lazy("Lot"),
        queryset=Lot.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole consultation"),
    )
    text = forms.CharField(
        label=gettext_lazy("Question"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=QUESTION_MAX_LENGTH,
    )

    field_order = ["company", "siret", "email", "lot", "text"]
    prefix = "question"  # beside the registration form on the same page: ids stay unique

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        lots = consultation.lots.all()
        self.fields["lot"].queryset = lots
        if len(lots) < 2:  # one lot is the whole consultation
            del self.fields["lot"]
