"""Pages for deposits, sealed bid documents, the opening, questions and deadline extensions."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.pages import action_page, add_refusal, button_action, file_download, form_page
from core.workflow import BusinessRuleError, refuse_if
from procurement import rules, selectors, services
from procurement.access import (
    can_manage,
    get_bid_document_for_user,
    get_consultation_for_user,
)
from procurement.forms import AnswerForm, BidForm, ExtensionForm, QuestionForm
from procurement.models import ConsultationState, Question
from procurement.notifications import candidate_emails
from procurement.pages import consultation_url
from procurement.services.bids import SealedBidError


@require_http_methods(["GET", "POST"])
@login_required
def bid_register(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    form = BidForm(request.POST or None, request.FILES or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bid = services.deposit_register(
                lot=data["lot"],
                user=request.user,
                bidder=services.BidderIdentity(
                    name=data["name"],
                    siret=data["siret"],
                    foreign_id=data["foreign_id"],
                    country=data["country"].upper(),
                    email=data["email"],
                ),
                members=[
                    services.BidderIdentity(name=name, siret=siret)
                    for name, siret in data["members"]
                ],
                terms=services.BidTerms(
                    bidder=None,
                    grouping=data["grouping"],
                    subcontractors=[tuple(row) for row in data["subcontractors"]],
                    receipt_number=data["receipt_number"],
                    price=data["price"],
                ),
                documents=data["documents"],
            )
            if bid.late:
                messages.warning(request, _("Deposit recorded as late: it will not be opened."))
            else:
                messages.success(request, _("Deposit recorded."))
            return redirect(consultation_url(consultation, "bids"))
        except BusinessRuleError as refusal:
            add_refusal(form, refusal)
    return form_page(
        request,
        form,
        subject=consultation,
        back_url=consultation_url(consultation, "bids"),
        title=_("Register a deposit"),
        submit_label=_("Register"),
        multipart=True,
    )


@require_GET
@login_required
def bid_document(request, bid_document_pk):
    document = get_bid_document_for_user(request.user, bid_document_pk)
    try:
        services.bid_document_open(document=document, user=request.user)
    except SealedBidError as refusal:
        return render(request, "403.html", {"reason": str(refusal)}, status=403)
    return file_download(
        request,
        document.file,
        filename=document.original_name,
        sha256=document.sha256,
        back_url=reverse("procurement:detail", args=[document.bid.lot.consultation_id]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def consultation_opening(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk)
    if request.method == "POST":
        return button_action(
            request,
            lambda: services.consultation_open_bids(consultation=consultation, user=request.user),
            success=_("The bids are opened."),
            next_url=reverse("procurement:opening", args=[consultation.pk]),
        )
    bid_filters, bids = selectors.bids_table(consultation, request.user, request.GET)
    return render(
        request,
        "procurement/opening.html",
        {
            "consultation": consultation,
            "opening": getattr(consultation, "opening", None),
            "bid_filters": bid_filters,
            "bids": bids,
            "can_open": can_manage(request.user, consultation)
            and consultation.state in (ConsultationState.PUBLISHED, ConsultationState.CLOSED)
            and rules.deadline_passed(consultation),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def question_add(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    return action_page(
        request,
        QuestionForm(request.POST or None, consultation=consultation),
        subject=consultation,
        back_url=consultation_url(consultation, "questions"),
        run=lambda data: services.question_record(
            consultation=consultation,
            user=request.user,
            text=data["text"],
            sender=data["sender"],
            sender_email=data["sender_email"],
            lot=data.get("lot"),
            received_at=data["received_at"],
        ),
        success=_("Question recorded."),
        title=_("Record a question"),
        submit_label=_("Record"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def question_answer(request, question_pk):
    """The answer is written, then read back as every candidate will receive it, then sent."""
    question = get_object_or_404(Question.objects.select_related("lot"), pk=question_pk)
    consultation = get_consultation_for_user(request.user, question.consultation_id, manage=True)
    back_url = consultation_url(consultation, "questions")
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        answer = form.cleaned_data["answer"]
        try:
            if "confirm" in request.POST:
                services.question_answer(question=question, user=request.user, answer=answer)
                messages.success(request, _("Answer published to every candidate."))
                return redirect(back_url)
            refuse_if(rules.answer_text_errors(answer) + rules.answer_errors(question))
        except BusinessRuleError as refusal:
            add_refusal(form, refusal)
        else:
            question.answer = answer.strip()  # shown, not saved: the service saves on confirm
            return render(
                request,
                "procurement/answer_preview.html",
                {
                    "form": form.confirming(),
                    "consultation": consultation,
                    "question": question,
                    "message": render_to_string(
                        "emails/answer_published.txt",
                        {"consultation": consultation, "question": question},
                    ),
                    "recipients": len(candidate_emails(consultation)),
                    "back_url": back_url,
                },
            )
    return form_page(
        request,
        form,
        subject=consultation,
        back_url=back_url,
        title=_("Answer the question"),
        submit_label=_("Preview the answer"),
        extra_template="procurement/_question.html",
        extra=question,
    )


@require_http_methods(["GET", "POST"])
@login_required
def consultation_extend(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    return action_page(
        request,
        ExtensionForm(request.POST or None),
        subject=consultation,
        back_url=consultation_url(consultation),
        run=lambda data: services.consultation_extend_deadline(
            consultation=consultation,
            user=request.user,
            offers_deadline=data["offers_deadline"],
            questions_deadline=data["questions_deadline"],
            reason=data["reason"],
        ),
        success=_("Deadline extended; the candidates are told."),
        title=_("Extend the offers deadline"),
        submit_label=_("Extend"),
    )


class RegisterImportForm(forms.Form):
    register = forms.FileField(
        label=gettext_lazy("Deposit register (CSV)"),
        help_text=gettext_lazy(
            "Separator ;, UTF-8 or Windows-1252. Columns: lot;raison_sociale;siret;date_depot;"
            "numero_accuse, and optionally identifiant_etranger;pays;courriel."
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def bids_import(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.bids_import_register(
                consultation=consultation, user=request.user, upload=form.cleaned_data["register"]
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s deposit imported.", "%(count)s deposits imported.", report.created
                )
                % {"count": report.created},
            )
            if report.late:
                messages.warning(
                    request,
                    _("Late deposits, recorded but never opened: lines %(lines)s.")
                    % {"lines": ", ".join(str(n) for n in report.late)},
                )
            return redirect(consultation_url(consultation, "bids"))
        except BusinessRuleError as refusal:
            add_refusal(form, refusal)
    return form_page(
        request,
        form,
        subject=consultation,
        back_url=consultation_url(consultation, "bids"),
        title=_("Import the deposit register"),
        submit_label=_("Import"),
        multipart=True,
    )
