from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groupement.forms import FrenchDecimalField
from procurement.identifiers import validate_cpv
from procurement.models import DocumentKind, Nature, Procedure


class DateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ConsultationForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=40)
    title = forms.CharField(label=gettext_lazy("Object"), max_length=300)
    procedure = forms.ChoiceField(label=gettext_lazy("Procedure"), choices=Procedure.choices)
    nature = forms.ChoiceField(label=gettext_lazy("Nature"), choices=Nature.choices)
    cpv_code = forms.CharField(
        label=gettext_lazy("CPV code"),
        max_length=10,
        validators=[validate_cpv],
        help_text=gettext_lazy("For example 79411100-9."),
    )
    electronic_submission = forms.BooleanField(
        label=gettext_lazy("Offers submitted electronically"), required=False
    )
    urgency = forms.BooleanField(label=gettext_lazy("Duly justified urgency"), required=False)
    offer_validity_days = forms.IntegerField(
        label=gettext_lazy("Offer validity (days)"), min_value=1, max_value=720
    )
    questions_deadline = DateTimeField(label=gettext_lazy("Questions deadline"))
    offers_deadline = DateTimeField(label=gettext_lazy("Offers deadline"))


class LotForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Object of the lot"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Leave empty for a consultation without lots."),
    )
    estimated_value = FrenchDecimalField(
        label=gettext_lazy("Estimated value (€ HT)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "amount"}),
        error_messages={"min_value": gettext_lazy("An estimated value is greater than 0 €.")},
        min_value=Decimal("0.01"),
    )


class BaseLotFormSet(forms.BaseFormSet):
    def lots(self, default_title):
        from procurement.services import LotTerms

        return [
            LotTerms(
                title=f.cleaned_data["title"] or default_title,
                estimated_value=f.cleaned_data["estimated_value"],
            )
            for f in self.forms
            if f.cleaned_data
        ]


LotFormSet = forms.formset_factory(
    LotForm, formset=BaseLotFormSet, extra=2, max_num=50, validate_max=True
)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        help_text=gettext_lazy("A document with the same kind and title becomes a new version."),
    )
    upload = forms.FileField(label=gettext_lazy("File"))

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        allowed = settings.TENDER_DOCUMENT_EXTENSIONS
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in allowed:
            raise forms.ValidationError(
                _("Accepted file types: %(types)s.") % {"types": ", ".join(allowed)}
            )
        if upload.size > settings.TENDER_DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("The document weighs %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.TENDER_DOCUMENT_MAX_BYTES),
                }
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve the tender documents")),
            ("changes", gettext_lazy("Ask for changes")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
