from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.forms import FrenchDecimalField
from groupement.identifiers import validate_siret
from procurement import rules
from procurement.identifiers import validate_cpv
from procurement.models import DocumentKind, GroupingKind, Lot, Nature, Procedure
from procurement.services import LotTerms


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
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy(
            "Required once the consultation is published: every known candidate receives it "
            "with the change."
        ),
    )

    def __init__(self, *args, published=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not published:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        errors = rules.document_file_errors(upload)
        if errors:
            raise forms.ValidationError(errors)
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _lines(text):
    return [
        [part.strip() for part in line.split(";")] for line in text.splitlines() if line.strip()
    ]


class BidForm(forms.Form):
    lot = forms.ModelChoiceField(
        label=gettext_lazy("Lot"), queryset=Lot.objects.none(), empty_label=None
    )
    name = forms.CharField(label=gettext_lazy("Bidder (lead)"), max_length=200)
    siret = forms.CharField(label=gettext_lazy("SIRET"), max_length=14, required=False)
    foreign_id = forms.CharField(
        label=gettext_lazy("Foreign identifier (without a SIRET)"),
        max_length=40,
        required=False,
    )
    country = forms.CharField(label=gettext_lazy("Country (ISO code)"), max_length=2, initial="FR")
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    grouping = forms.ChoiceField(label=gettext_lazy("Grouping"), choices=GroupingKind.choices)
    members = forms.CharField(
        label=gettext_lazy("Other members of the group"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line: name; SIRET"),
    )
    subcontractors = forms.CharField(
        label=gettext_lazy("Declared subcontractors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line: name; SIRET; subcontracted services"),
    )
    receipt_number = forms.CharField(
        label=gettext_lazy("Receipt number"), max_length=60, required=False
    )
    price = FrenchDecimalField(
        label=gettext_lazy("Price (€ HT), sealed until the opening"),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "amount"}),
    )
    documents = MultipleFileField(label=gettext_lazy("Documents of the bid"), required=False)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = consultation.lots.all()
        self.fields["grouping"].choices = GroupingKind.choices
        if consultation.lots.count() == 1:
            self.fields["lot"].widget = forms.HiddenInput()
            self.fields["lot"].initial = consultation.lots.get()

    def clean_siret(self):
        siret = self.cleaned_data["siret"].replace(" ", "")
        if siret:
            validate_siret(siret)
        return siret

    def clean_price(self):
        price = self.cleaned_data["price"]
        if price is not None and price <= 0:
            raise forms.ValidationError(_("A price is greater than 0 € HT."))
        return price

    def clean_members(self):
        rows = _lines(self.cleaned_data["members"])
        for row in rows:
            if len(row) != 2 or not row[0]:
                raise forms.ValidationError(_("Write each member as: name; SIRET"))
            validate_siret(row[1])
        return rows

    def clean_subcontractors(self):
        rows = _lines(self.cleaned_data["subcontractors"])
        for row in rows:
            if len(row) != 3 or not row[0] or not row[2]:
                raise forms.ValidationError(
                    _("Write each subcontractor as: name; SIRET; subcontracted services")
                )
            if row[1]:
                validate_siret(row[1])
        return rows

    def clean(self):
        data = super().clean()
        if not data.get("siret") and not data.get("foreign_id"):
            self.add_error("siret", _("A bidder is identified by a SIRET or a foreign identifier."))
        return data


class QuestionForm(forms.Form):
    received_at = DateTimeField(label=gettext_lazy("Received on"))
    sender = forms.CharField(
        label=gettext_lazy("Sender"),
        max_length=200,
        help_text=gettext_lazy("The company or the person who asked; candidates never see it."),
    )
    sender_email = forms.EmailField(
        label=gettext_lazy("Sender's e-mail"),
        required=False,
        help_text=gettext_lazy("The sender then receives the answers and the changes."),
    )
    lot = forms.ModelChoiceField(
        label=gettext_lazy("Lot"),
        queryset=Lot.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole consultation"),
    )
    text = forms.CharField(
        label=gettext_lazy("Question received"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = timezone.localtime(clock.now()).replace(
            second=0, microsecond=0
        )
        lots = consultation.lots.all()
        self.fields["lot"].queryset = lots
        if len(lots) < 2:
            del self.fields["lot"]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Answer sent to every candidate"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
    )

    def confirming(self):
        """The answer, read back on the preview, travels hidden until it is confirmed."""
        self.fields["answer"].widget = forms.HiddenInput()
        return self


class ExtensionForm(forms.Form):
    offers_deadline = DateTimeField(label=gettext_lazy("New offers deadline"))
    questions_deadline = DateTimeField(label=gettext_lazy("New questions deadline"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
