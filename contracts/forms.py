"""Forms of the award, contract and amendment pages."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from contracts.award_rules import Votes
from contracts.models import (
    AmendmentGround,
    AmountKind,
    Ccag,
    CertificateKind,
    EnvironmentalConsideration,
    ExecutionMode,
    PriceForm,
    PriceType,
    SocialConsideration,
    TerminationGround,
)
from core.forms import DateField, FrenchDecimalField, amount_field, text_field
from groupement.models import User
from procurement.models import LotOutcome


class ProposalForm(forms.Form):
    bid = forms.ChoiceField(label=gettext_lazy("Proposed winner"))
    reason = text_field(gettext_lazy("Reason (required unless the first ranked)"), required=False)

    def __init__(self, *args, ranking, **kwargs):
        super().__init__(*args, **kwargs)
        self.ranking = {str(row.bid.pk): row.bid for row in ranking}
        self.fields["bid"].choices = [
            (str(row.bid.pk), f"{row.rank or '—'}. {row.bid.bidder} — {row.total} / 100")
            for row in ranking
        ]

    def clean_bid(self):
        return self.ranking[self.cleaned_data["bid"]]


class LotOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[c for c in LotOutcome.choices if c[0]],
        widget=forms.RadioSelect,
    )
    reason = text_field(gettext_lazy("Reason"))


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Certificate"), choices=CertificateKind.choices)
    issued_on = DateField(label=gettext_lazy("Issued on"))
    reference = forms.CharField(
        label=gettext_lazy("Reference or issuer"), required=False, max_length=120
    )


class DecisionForm(forms.Form):
    decided_on = DateField(label=gettext_lazy("Date of the decision"))
    present = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Committee members present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    votes_for = forms.IntegerField(label=gettext_lazy("Votes for"), min_value=0, max_value=99)
    votes_against = forms.IntegerField(
        label=gettext_lazy("Votes against"), min_value=0, max_value=99
    )
    abstentions = forms.IntegerField(label=gettext_lazy("Abstentions"), min_value=0, max_value=99)
    casting_vote = forms.BooleanField(
        label=gettext_lazy("Tie settled by the chair's casting vote"), required=False
    )
    minutes = text_field(gettext_lazy("Minutes"), required=False)

    COMMITTEE_FIELDS = ("present", "votes_for", "votes_against", "abstentions", "casting_vote")

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        if committee is None:
            for name in self.COMMITTEE_FIELDS:
                del self.fields[name]
        else:
            self.fields["present"].queryset = committee

    def votes(self) -> Votes | None:
        data = self.cleaned_data
        if "votes_for" not in self.fields:
            return None
        return Votes(
            cast_for=data["votes_for"],
            against=data["votes_against"],
            abstentions=data["abstentions"],
            casting=data["casting_vote"],
        )


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("refuse", gettext_lazy("Refuse, with a reason")),
        ],
        widget=forms.RadioSelect,
    )
    comment = text_field(gettext_lazy("Comment"), required=False)


class LettersForm(forms.Form):
    electronic = forms.BooleanField(
        label=gettext_lazy("Send by e-mail (11 days of standstill; by post: 16 days)"),
        required=False,
        initial=True,
    )


class ContractTermsForm(forms.Form):
    amount = amount_field(gettext_lazy("Amount (€ HT)"), min_value=Decimal(1))
    amount_kind = forms.ChoiceField(label=gettext_lazy("The amount is"), choices=AmountKind.choices)
    duration_months = forms.IntegerField(
        label=gettext_lazy("Duration (months)"), min_value=1, max_value=600
    )
    price_form = forms.ChoiceField(label=gettext_lazy("Price form"), choices=PriceForm.choices)
    price_type = forms.ChoiceField(label=gettext_lazy("Price type"), choices=PriceType.choices)
    ccag = forms.ChoiceField(label=gettext_lazy("CCAG"), choices=Ccag.choices)
    execution_mode = forms.ChoiceField(
        label=gettext_lazy("Execution"), choices=ExecutionMode.choices
    )
    framework_agreement = forms.BooleanField(
        label=gettext_lazy("Framework agreement"), required=False
    )
    place_code = forms.RegexField(
        label=gettext_lazy("Place of execution (département code)"),
        regex=r"^(\d{2,3}|2A|2B)$",
        error_messages={"invalid": gettext_lazy("A département code: 62, 2A, 974…")},
    )
    social = forms.ChoiceField(
        label=gettext_lazy("Social considerations"), choices=SocialConsideration.choices
    )
    environmental = forms.ChoiceField(
        label=gettext_lazy("Environmental considerations"),
        choices=EnvironmentalConsideration.choices,
    )
    innovative = forms.BooleanField(label=gettext_lazy("Innovative"), required=False)
    advance_rate = FrenchDecimalField(
        label=gettext_lazy("Advance (share of the amount, e.g. 0,05)"),
        max_digits=4,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=Decimal(1),
        required=False,
    )


class SharesForm(forms.Form):
    use_key = forms.BooleanField(
        label=gettext_lazy("Use the groupement's cost-sharing key"), required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for org in members:
            self.fields[f"share_{org.pk}"] = FrenchDecimalField(
                label=f"{org.name} (%)",
                max_digits=5,
                decimal_places=2,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "share"}),
            )

    def shares(self):
        """None for the groupement's key, else {organisation: share}."""
        if self.cleaned_data["use_key"]:
            return None
        return {
            org: self.cleaned_data[f"share_{org.pk}"]
            for org in self.members
            if self.cleaned_data.get(f"share_{org.pk}") is not None
        }


class TerminationForm(forms.Form):
    on = DateField(label=gettext_lazy("Date of the termination"))
    ground = forms.ChoiceField(label=gettext_lazy("Ground"), choices=TerminationGround.choices)
    reason = text_field(gettext_lazy("Explanation"))


class AmendmentForm(forms.Form):
    ground = forms.ChoiceField(label=gettext_lazy("Legal ground"), choices=AmendmentGround.choices)
    description = text_field(gettext_lazy("Object of the modification"))
    amount_change = amount_field(gettext_lazy("Change of the amount (€ HT, negative for less)"))
    duration_change_months = forms.IntegerField(
        label=gettext_lazy("Change of the duration (months)"),
        initial=0,
        min_value=-600,
        max_value=600,
    )
    committee_opinion_on = DateField(
        label=gettext_lazy("Date of the tender committee's opinion (above +5 %)"), required=False
    )
    committee_opinion = text_field(gettext_lazy("Tender committee's opinion"), required=False)
