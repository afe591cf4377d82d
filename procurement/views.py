from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import ReasonForm
from core.listing import filtered_page
from core.pages import action_page, add_refusal, button_action, file_download
from core.workflow import BusinessRuleError
from groupement.access import get_groupement_for_user
from journal.selectors import history_page
from procurement import hooks, rules, selectors, services
from procurement.access import (
    can_manage,
    can_read_bids,
    get_consultation_for_user,
    get_tender_document_for_user,
)
from procurement.filters import ConsultationFilter
from procurement.forms import ConsultationForm, DocumentForm, LotFormSet, ReviewForm
from procurement.models import ConsultationState
from procurement.pages import consultation_url


@require_GET
@login_required
def consultation_list(request):
    consultations = selectors.consultations_for_user(request.user)
    filters, page = filtered_page(ConsultationFilter, consultations, request)
    return render(
        request,
        "procurement/consultation_list.html",
        {"filters": filters, "consultations": page},
    )


# The consultation page's sections, each at its own address (procurement/urls.py builds them
# from this list): the summary says where the consultation stands and what comes next; the
# others hold the lists that grow with a large consultation (hundreds of deposits and history
# entries). (name, address below the consultation's, label)
SECTIONS = [
    ("summary", "", gettext_lazy("Summary")),
    ("documents", "dce/", gettext_lazy("Tender documents")),
    ("questions", "questions/", gettext_lazy("Questions")),
    ("bids", "plis/", gettext_lazy("Bids")),
    ("history", "historique/", gettext_lazy("History")),
]


def _sections(consultation, current):
    counts = {
        "documents": sum(1 for d in consultation.documents.all() if d.current),
        "questions": consultation.questions.count(),
        "bids": selectors.bids_count(consultation),
    }
    return [
        {
            "name": name,
            "url": consultation_url(consultation, name),
            "label": label,
            "count": counts.get(name),
            "current": name == current,
        }
        for name, _address, label in SECTIONS
    ]


@require_GET
@login_required
def consultation_detail(request, consultation_pk, section="summary"):
    consultation = selectors.consultation_detail(
        get_consultation_for_user(request.user, consultation_pk)
    )
    actions = selectors.consultation_actions(request.user, consultation)
    names = {a.name for a in actions}
    context = {
        "consultation": consultation,
        "section": section,
        "sections": _sections(consultation, section),
        "lots": list(consultation.lots.all()),
        "manager": can_manage(request.user, consultation),
        "blockers": [b for a in actions for b in a.blockers],
        "warnings": rules.draft_warnings(consultation),
        "actions": [a for a in actions if not a.blockers],
        "can_read_bids": can_read_bids(request.user, consultation),
        # Those who do not open the bids read the opening's minutes there.
        "show_opening": "open_bids" not in names
        and (
            hasattr(consultation, "opening")
            or consultation.state == ConsultationState.CLOSED
            or consultation.state == ConsultationState.PUBLISHED
            and rules.deadline_passed(consultation)
        ),
        "links": hooks.consultation_links.collect(request, consultation),
    }
    if section == "summary":
        context["reviews"] = selectors.review_table(consultation)
        context["time_left"] = selectors.time_left(consultation)
        context["panels"] = hooks.consultation_panels.collect(request, consultation)
    elif section == "documents":
        context["documents"] = list(consultation.documents.all())
        # Who withdrew the DCE stays with the coordinator: candidates must not learn it.
        if context["manager"]:
            context["registered"] = list(consultation.registered_candidates.all())
    if section in ("summary", "documents"):
        context["changes"] = sorted(
            (d for d in consultation.documents.all() if d.change_reason),
            key=lambda d: d.uploaded_at,
        )
    elif section == "questions":
        context["questions"] = list(consultation.questions.select_related("lot"))
    elif section == "bids":
        context["bid_filters"], context["bids"] = selectors.bids_table(
            consultation, request.user, request.GET
        )
    elif section == "history":
        context["history"] = history_page(selectors.consultation_history(consultation), request)
    return render(request, "procurement/consultation_detail.html", context)


def _terms(form, formset):
    data = form.cleaned_data
    return services.ConsultationTerms(
        reference=data["reference"],
        title=data["title"],
        procedure=data["procedure"],
        nature=data["nature"],
        cpv_code=data["cpv_code"],
        electronic_submission=data["electronic_submission"],
        urgency=data["urgency"],
        offer_validity_days=data["offer_validity_days"],
        questions_deadline=data["questions_deadline"],
        offers_deadline=data["offers_deadline"],
        lots=formset.lots(default_title=data["title"]),
    )


def _consultation_form(request, *, groupement, consultation=None):
    if request.method == "POST":
        form = ConsultationForm(request.POST)
        formset = LotFormSet(request.POST, prefix="lots")
        if form.is_valid() and formset.is_valid():
            try:
                terms = _terms(form, formset)
                if consultation is None:
                    consultation = services.consultation_create(
                        groupement=groupement, user=request.user, terms=terms
                    )
                else:
                    services.consultation_update(
                        consultation=consultation, user=request.user, terms=terms
                    )
                messages.success(request, _("Consultation saved."))
                for warning in rules.draft_warnings(consultation):
                    messages.warning(request, warning)
                return redirect("procurement:detail", consultation_pk=consultation.pk)
            except BusinessRuleError as refusal:
                add_refusal(form, refusal)
    elif consultation is None:
        form = ConsultationForm(initial={"electronic_submission": True, "offer_validity_days": 120})
        formset = LotFormSet(prefix="lots")
    else:
        form = ConsultationForm(
            initial={field: getattr(consultation, field) for field in ConsultationForm.base_fields}
        )
        lots = list(consultation.lots.all())
        formset = LotFormSet(
            prefix="lots",
            initial=[
                {
                    # A single lot named after the consultation shows blank, as it was typed;
                    # a title of its own shows, and an edit keeps it.
                    "title": ""
                    if len(lots) == 1 and lot.title == consultation.title
                    else lot.title,
                    "estimated_value": lot.estimated_value,
                }
                for lot in lots
            ],
        )
    return render(
        request,
        "procurement/consultation_form.html",
        {"form": form, "formset": formset, "groupement": groupement, "consultation": consultation},
    )


@require_http_methods(["GET", "POST"])
@login_required
def consultation_create(request, pk):
    groupement = get_groupement_for_user(request.user, pk, manage=True)
    return _consultation_form(request, groupement=groupement)


@require_http_methods(["GET", "POST"])
@login_required
def consultation_edit(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    if consultation.state != ConsultationState.DRAFT:
        messages.error(request, _("A consultation is edited only as a draft."))
        return redirect("procurement:detail", consultation_pk=consultation.pk)
    return _consultation_form(
        request, groupement=consultation.groupement, consultation=consultation
    )


@require_http_methods(["GET", "POST"])
@login_required
def document_add(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    published = consultation.state == ConsultationState.PUBLISHED
    return action_page(
        request,
        DocumentForm(request.POST or None, request.FILES or None, published=published),
        subject=consultation,
        back_url=consultation_url(consultation, "documents"),
        run=lambda data: services.document_add(
            consultation=consultation,
            user=request.user,
            kind=data["kind"],
            title=data["title"],
            upload=data["upload"],
            reason=data.get("reason", ""),
        ),
        success=_("Document added; every known candidate is told of the change and its reason.")
        if published
        else _("Document added."),
        title=_("Add a tender document"),
        submit_label=_("Add"),
        multipart=True,
    )


@require_GET
@login_required
def document_download(request, document_pk):
    document = get_tender_document_for_user(request.user, document_pk)
    return file_download(
        request,
        document.file,
        filename=document.original_name,
        sha256=document.sha256,
        back_url=reverse("procurement:detail", args=[document.consultation_id]),
    )


def _action(request, consultation_pk, run, success):
    consultation = get_consultation_for_user(request.user, consultation_pk)
    return button_action(
        request,
        lambda: run(consultation),
        success=success,
        next_url=consultation_url(consultation),
    )


@require_POST
@login_required
def consultation_submit(request, consultation_pk):
    return _action(
        request,
        consultation_pk,
        lambda c: services.consultation_submit_for_review(consultation=c, user=request.user),
        _("The tender documents were sent to the members for review."),
    )


@require_POST
@login_required
def consultation_publish(request, consultation_pk):
    return _action(
        request,
        consultation_pk,
        lambda c: services.consultation_publish(consultation=c, user=request.user),
        _("The consultation is published."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def consultation_review(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, review=True)
    return action_page(
        request,
        ReviewForm(request.POST or None),
        subject=consultation,
        back_url=consultation_url(consultation),
        run=lambda data: services.consultation_review(
            consultation=consultation,
            user=request.user,
            approve=data["decision"] == "approve",
            comment=data["comment"],
        ),
        success=_("Your answer is recorded."),
        title=_("Review the tender documents"),
        submit_label=_("Send my answer"),
        extra_template="procurement/_review_documents.html",
        extra=[d for d in consultation.documents.all() if d.current],
    )


@require_http_methods(["GET", "POST"])
@login_required
def consultation_cancel(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    return action_page(
        request,
        ReasonForm(request.POST or None),
        subject=consultation,
        back_url=consultation_url(consultation),
        run=lambda data: services.consultation_cancel(
            consultation=consultation, user=request.user, reason=data["reason"]
        ),
        success=_("The consultation is declared sans suite."),
        title=_("Declare the consultation sans suite"),
        submit_label=_("Declare sans suite"),
    )
