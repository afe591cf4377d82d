from django import forms
from django.utils.translation import gettext_lazy

from groupement.identifiers import validate_siret


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
