from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.forms import EMPTY_CHOICE, DateField, FrenchDecimalField, reason_field
from core.uploads import upload_error
from groupement.models import CommitteeKind, Mission, Organisation, Role, User


class GroupementForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    purpose = forms.CharField(
        label=gettext_lazy("Purpose of the convention"), widget=forms.Textarea(attrs={"rows": 3})
    )
    duration_months = forms.IntegerField(
        label=gettext_lazy("Duration (months)"), min_value=1, max_value=240
    )
    mission = forms.ChoiceField(
        label=gettext_lazy("Coordinator's mission"), choices=Mission.choices
    )
    committee_kind = forms.ChoiceField(
        label=gettext_lazy("Deciding tender committee"), choices=CommitteeKind.choices
    )
    committee_members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Committee members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    committee_chair = forms.ModelChoiceField(
        label=gettext_lazy("Committee chair"),
        queryset=User.objects.none(),
        required=False,
        empty_label=EMPTY_CHOICE,
    )
    committee_quorum = forms.IntegerField(
        label=gettext_lazy("Committee quorum"),
        min_value=1,
        required=False,
        help_text=gettext_lazy(
            "Members who must be present. Empty: more than half of them (CGCT L1411-5)."
        ),
    )
    withdrawal_allowed = forms.BooleanField(
        label=gettext_lazy("The convention allows a member to withdraw"), required=False
    )
    signatory_name = forms.CharField(
        label=gettext_lazy("Signatory of the letters to candidates"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Empty: the letters are signed for the coordinator."),
    )
    signatory_title = forms.CharField(
        label=gettext_lazy("Signatory's title"), max_length=200, required=False
    )
    tribunal = forms.CharField(
        label=gettext_lazy("Competent administrative court (name and address)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Named in the letters' means of redress."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cao = (
            User.objects.filter(groups__role_group__role=Role.MEMBRE_CAO, is_active=True)
            .select_related("organisation")
            .order_by("organisation__name", "last_name")
            .distinct()
        )
        self.fields["committee_members"].queryset = cao
        self.fields["committee_chair"].queryset = cao


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Member"), queryset=Organisation.objects.all(), empty_label=EMPTY_CHOICE
    )
    share = FrenchDecimalField(
        label=gettext_lazy("Cost share (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "share"}),
        # Django %-formats these messages with the limit, hence the doubled %%.
        error_messages={
            "min_value": gettext_lazy("A member's cost share is at least 0.01 %%."),
            "max_value": gettext_lazy("A member's cost share is at most 100 %%."),
        },
    )


class BaseMemberFormSet(forms.BaseFormSet):
    def members(self):
        return [
            (f.cleaned_data["organisation"], f.cleaned_data["share"])
            for f in self.forms
            if f.cleaned_data
        ]


# Enough blank rows for a groupement like the PMA's (coordinator and three agglomerations).
MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=3, max_num=30, validate_max=True
)


class MembershipForm(forms.Form):
    """A form acting on one membership; some checks compare with what it already recorded."""

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership


class DeliberationForm(MembershipForm):
    number = forms.CharField(label=gettext_lazy("Decision number"), max_length=60)
    date = DateField(label=gettext_lazy("Decision date"))
    document = forms.FileField(
        label=gettext_lazy("Decision document (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > clock.today():
            raise forms.ValidationError(_("A decision cannot be dated in the future."))
        return value

    def clean_document(self):
        upload = self.cleaned_data["document"]
        error = upload_error(upload, extensions=["pdf"], max_bytes=settings.UPLOAD_MAX_BYTES)
        if error:
            raise forms.ValidationError(error)
        return upload


class SignForm(MembershipForm):
    signed_on = DateField(label=gettext_lazy("Signature date"))

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > clock.today():
            raise forms.ValidationError(_("A signature cannot be dated in the future."))
        decided = self.membership.decision_date
        if decided and value < decided:
            raise forms.ValidationError(
                _("The convention is signed after the deliberation that authorises it (%(date)s).")
                % {"date": decided.strftime("%d/%m/%Y")}
            )
        return value


class WithdrawalForm(MembershipForm):
    reason = reason_field()
