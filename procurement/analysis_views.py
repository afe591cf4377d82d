"""The analysis page and the decisions taken on each bid."""

from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import FrenchDecimalField, text_field
from core.pages import action_page, button_action
from procurement import bid_rules, rules, selectors, services
from procurement.access import (
    bids_are_open,
    can_manage,
    can_read_bids,
    get_bid_for_user,
    get_consultation_for_user,
)
from procurement.forms import DateTimeField
from procurement.models import Bid, ConsultationState

DECISION_LABELS = {
    "admit": gettext_lazy("Admit the candidature"),
    "reject": gettext_lazy("Reject the candidature"),
    "mark_regular": gettext_lazy("Regular offer"),
    "mark_irregular": gettext_lazy("Irregular offer"),
    "request_regularisation": gettext_lazy("Ask for regularisation"),
    "mark_unacceptable": gettext_lazy("Unacceptable offer"),
    "mark_inappropriate": gettext_lazy("Inappropriate offer"),
}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=[])
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )

    def __init__(self, *args, bid=None, **kwargs):
        super().__init__(*args, **kwargs)
        names = (
            [t.name for t in bid.get_available_candidature_transitions()]
            + [t.name for t in bid.get_available_offer_transitions()]
            if bid is not None
            else list(DECISION_LABELS)
        )
        self.fields["decision"].choices = [("", "---------")] + [
            (name, DECISION_LABELS[name]) for name in names if name in DECISION_LABELS
        ]


class PriceForm(forms.Form):
    price = FrenchDecimalField(
        label=gettext_lazy("Price read in the offer (€ HT)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "amount"}),
    )
    reason = text_field(
        gettext_lazy("Reason for a correction (required to change a recorded price)"),
        required=False,
        max_length=2000,
    )


class CompletionForm(forms.Form):
    bids = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Candidates concerned"),
        queryset=Bid.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = DateTimeField(label=gettext_lazy("Same deadline for all"))
    reason = forms.CharField(
        label=gettext_lazy("Missing documents"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bids"].queryset = Bid.objects.filter(
            lot__consultation=consultation, late=False, candidature="pending"
        ).select_related("bidder", "lot")


@require_http_methods(["GET"])
@login_required
def consultation_analysis(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk)
    if (
        not can_read_bids(request.user, consultation)
        or consultation.state
        not in (
            ConsultationState.OPENED,
            ConsultationState.ANALYSIS,
            ConsultationState.NEGOTIATION,
            ConsultationState.UNSUCCESSFUL,
            ConsultationState.AWARD_PROPOSED,
            ConsultationState.AWARDED,
            ConsultationState.COMPLETED,
            ConsultationState.CANCELLED,
        )
        or not hasattr(consultation, "opening")
    ):
        return render(
            request,
            "403.html",
            {"reason": _("The analysis is visible after the opening, to those who read bids.")},
            status=403,
        )
    manager = can_manage(request.user, consultation)
    # A large consultation receives hundreds of offers: one page of them, grouped by lot.
    all_lots = list(consultation.lots.all())
    filters, page, prices = selectors.analysis_table(consultation, request.GET, all_lots)
    filtered = filters.form.has_changed()
    # A lot without any opened offer still shows, said empty, unless the list is filtered.
    lots = {lot: [] for lot in all_lots if not filtered and lot.pk not in prices}
    for bid in page:
        bid.low_reasons = rules.abnormally_low_reasons(bid, prices[bid.lot_id])
        # Each bid's lot is this lot, whose consultation is this one: the decisions offered
        # read them without a query per bid.
        bid.lot.consultation = consultation
        bid.form = DecisionForm(bid=bid, prefix=f"bid{bid.pk}") if manager else None
        lots.setdefault(bid.lot, []).append(bid)
    actions = [t.name for t in consultation.get_available_user_state_transitions(request.user)]
    return render(
        request,
        "procurement/analysis.html",
        {
            "consultation": consultation,
            "lots": sorted(lots.items(), key=lambda item: item[0].number),
            "several_lots": len(all_lots) > 1,
            "bid_filters": filters,
            "list_query": _list_query(request),
            "bids": page,
            "manager": manager,
            "in_analysis": consultation.state
            in (
                ConsultationState.ANALYSIS,
                ConsultationState.NEGOTIATION,
            ),
            "actions": actions,
            "negotiation_refused": rules.negotiation_errors(consultation),
            "pending_justifications": selectors.pending_price_justifications(consultation),
        },
    )


# What the analysis page's address keeps of its list: the filters and the page of offers.
LIST_PARAMETERS = ("q", "lot", "plis")


def _list_query(request) -> str:
    """« ?q=…&plis=… »: the filters and the page of offers the analysis page was showing."""
    kept = QueryDict(mutable=True)
    for name in LIST_PARAMETERS:
        if request.GET.get(name):
            kept[name] = request.GET[name][:100]
    return f"?{kept.urlencode()}" if kept else ""


def _analysis_url(consultation_pk, request=None):
    """The analysis page; after a step taken from it, the same filters and page of offers."""
    url = reverse("procurement:analysis", args=[consultation_pk])
    query = _list_query(request) if request is not None else ""
    return f"{url}{query}#plis" if query else url


def _back(bid, request):
    return redirect(_analysis_url(bid.lot.consultation_id, request))


@require_POST
@login_required
def bid_decision(request, bid_pk):
    bid = get_bid_for_user(request.user, bid_pk, manage=True)
    form = DecisionForm(request.POST, prefix=f"bid{bid.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a decision among those possible for this bid."))
        return _back(bid, request)
    return button_action(
        request,
        lambda: services.bid_decide(
            bid=bid,
            user=request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        ),
        success=_("Decision recorded."),
        next_url=_analysis_url(bid.lot.consultation_id, request),
    )


@require_http_methods(["GET", "POST"])
@login_required
def bid_price(request, bid_pk):
    bid = get_bid_for_user(request.user, bid_pk, manage=True)
    # Sealed means sealed: before the opening the page does not even show that a price exists.
    if bid_rules.price_record_errors(bid, bids_open=bids_are_open(bid.lot.consultation)):
        return render(
            request,
            "403.html",
            {"reason": _("This bid is sealed: its price is read after the opening.")},
            status=403,
        )
    return action_page(
        request,
        PriceForm(request.POST or None, initial={"price": bid.price}),
        subject=bid.lot.consultation,
        back_url=_analysis_url(bid.lot.consultation_id, request),
        run=lambda data: services.bid_record_price(
            bid=bid, user=request.user, price=data["price"], reason=data["reason"]
        ),
        success=_("Price recorded."),
        title=_("Price of %(bidder)s's offer") % {"bidder": bid.bidder},
        submit_label=_("Record the price"),
    )


@require_POST
@login_required
def bid_justification(request, bid_pk):
    bid = get_bid_for_user(request.user, bid_pk, manage=True)
    step = request.POST.get("step")
    reason = request.POST.get("reason", "")
    if step == "request":
        run = partial(services.bid_request_price_justification, bid=bid, user=request.user)
    elif step in ("accept", "reject"):
        run = partial(
            services.bid_judge_price_justification,
            bid=bid,
            user=request.user,
            accepted=step == "accept",
            reason=reason,
        )
    else:
        messages.error(request, _("Unknown step."))
        return _back(bid, request)
    return button_action(
        request,
        run,
        success=_("Recorded."),
        next_url=_analysis_url(bid.lot.consultation_id, request),
    )


@require_http_methods(["GET", "POST"])
@login_required
def completion_request(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    return action_page(
        request,
        CompletionForm(request.POST or None, consultation=consultation),
        subject=consultation,
        back_url=reverse("procurement:analysis", args=[consultation.pk]),
        run=lambda data: services.candidatures_request_completion(
            consultation=consultation,
            user=request.user,
            bids=data["bids"],
            deadline=data["deadline"],
            reason=data["reason"],
        ),
        success=_("Completion requested from the candidates concerned."),
        title=_("Ask candidates to complete their file"),
        submit_label=_("Ask"),
    )


@require_POST
@login_required
def consultation_step(request, consultation_pk, step):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    runs = {
        "analyse": lambda: services.consultation_start_analysis(
            consultation=consultation, user=request.user
        ),
        "negocier": lambda: services.consultation_start_negotiation(
            consultation=consultation, user=request.user
        ),
        "infructueuse": lambda: services.consultation_declare_unsuccessful(
            consultation=consultation, user=request.user, reason=request.POST.get("reason", "")
        ),
    }
    if step not in runs:
        messages.error(request, _("Unknown step."))
        return redirect(_analysis_url(consultation.pk))
    return button_action(
        request, runs[step], success=_("Recorded."), next_url=_analysis_url(consultation.pk)
    )
