"""The shape shared by every page that runs one service: from a form, or from a button.

A refusal (BusinessRuleError) is shown to the user where they act, with everything they typed
kept: on the form as non-field errors, or as messages on the page a button returns to.
"""

import logging

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core.uploads import sha256_of
from core.workflow import BusinessRuleError

logger = logging.getLogger(__name__)


def add_refusal(form, refusal: BusinessRuleError) -> None:
    """The refusal on the form, above its fields."""
    for message in refusal.messages:
        form.add_error(None, message)


def show_refusal(request, refusal: BusinessRuleError) -> None:
    """The refusal as messages on the next page."""
    for message in refusal.messages:
        messages.error(request, message)


def notice_page(request, *, title: str, reason: str, back_url: str, status: int = 409):
    """What cannot be seen in this state (409), or is not there (404), said in a sentence with
    a way back."""
    return render(
        request,
        "core/notice.html",
        {"title": title, "reason": reason, "back_url": back_url},
        status=status,
    )


def action_page(
    request,
    form,
    *,
    run,
    success,
    title,
    submit_label,
    subject,
    back_url,
    next_url=None,
    multipart=False,
    extra_template=None,
    extra=None,
):
    """On a valid POST, run(cleaned_data) then redirect to `next_url` (by default `back_url`)
    with `success`; a refusal lands on the form, shown again with everything typed."""
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except BusinessRuleError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, success)
            return redirect(next_url or back_url)
    return form_page(
        request,
        form,
        title=title,
        submit_label=submit_label,
        subject=subject,
        back_url=back_url,
        multipart=multipart,
        extra_template=extra_template,
        extra=extra,
    )


def form_page(
    request,
    form,
    *,
    title,
    submit_label,
    subject,
    back_url,
    multipart=False,
    extra_template=None,
    extra=None,
):
    """The one action form of every app: what it is about (`subject`), what the user should
    read first (`extra_template` with `extra`), the form, and a way back."""
    return render(
        request,
        "core/action_form.html",
        {
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "subject": subject,
            "back_url": back_url,
            "multipart": multipart,
            "extra_template": extra_template,
            "extra": extra,
        },
    )


def button_action(request, run, *, success, next_url):
    """A POST-only button: run() then go back to `next_url`, with the refusal as messages."""
    try:
        run()
    except BusinessRuleError as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(request, success)
    return redirect(next_url)


def file_download(request, file, *, filename: str, back_url: str, sha256: str, content_type=None):
    """A stored file as an attachment, once it is checked against the SHA-256 recorded when
    it was stored. A file missing from the storage (a disk lost, a database restored without
    its files) or changed there behind the application's back is said in French with a way
    back, never served and never a server error, and logged for the administrator, who
    restores it from the backup."""
    try:
        handle = file.open("rb")
    except OSError:
        logger.error("File missing from the storage: %s", file.name)
        return notice_page(
            request,
            title=_("File unavailable"),
            reason=_(
                "This file is no longer in the file storage. The administrator restores it "
                "from the backup; its SHA-256 fingerprint, kept in the database, proves it "
                "unchanged."
            ),
            back_url=back_url,
            status=404,
        )
    if sha256_of(handle) != sha256:
        handle.close()
        logger.error("File changed in the storage, its SHA-256 differs: %s", file.name)
        return notice_page(
            request,
            title=_("File altered"),
            reason=_(
                "This file no longer matches the SHA-256 fingerprint recorded when it was "
                "stored: it was changed outside the application and is not served. The "
                "administrator restores it from the backup."
            ),
            back_url=back_url,
            status=409,
        )
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


def content_download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A document built in memory (an export, a procès-verbal) as an attachment; the name is
    quoted as RFC 6266 says, accents included."""
    response = HttpResponse(content, content_type=content_type)
    # Always a header for an attachment; the type says it may be None for an inline one.
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
