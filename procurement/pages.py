"""The shape shared by the procurement pages that run one service from a form."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from journal.workflow import BusinessRuleError


def add_refusal(form, refusal: BusinessRuleError) -> None:
    for message in refusal.messages:
        form.add_error(None, message)


def action_page(
    request,
    consultation,
    form,
    *,
    run,
    success,
    title,
    submit_label,
    multipart=False,
    next_url=None,
    documents=None,
):
    """On a valid POST, run(cleaned_data) then redirect with `success`; a refusal lands on
    the form, which is shown again with everything typed."""
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except BusinessRuleError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, success)
            return redirect(next_url or reverse("procurement:detail", args=[consultation.pk]))
    return form_page(
        request,
        consultation,
        form,
        title=title,
        submit_label=submit_label,
        multipart=multipart,
        documents=documents,
        back_url=next_url,
    )


def form_page(
    request,
    consultation,
    form,
    *,
    title,
    submit_label,
    multipart=False,
    documents=None,
    back_url=None,
):
    """`consultation` is what the page is about (a groupement for its open data); the cancel
    link goes back to `back_url`, by default the consultation's page."""
    return render(
        request,
        "procurement/action_form.html",
        {
            "form": form,
            "consultation": consultation,
            "title": title,
            "submit_label": submit_label,
            "multipart": multipart,
            "documents": documents,
            "back_url": back_url or reverse("procurement:detail", args=[consultation.pk]),
        },
    )
