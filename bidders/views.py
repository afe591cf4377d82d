"""The public side, without an account: the notices of the consultations open to candidates,
their DCE free to download (art. R2132-2 CCP), their published answers, and the register of
candidates who identify themselves to be told of what changes."""

import logging
import tempfile
import zipfile

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bidders.filters import NoticeFilter
from bidders.forms import QuestionForm, RegistrationForm
from core.listing import filtered_page
from core.pages import add_refusal, file_download, notice_page
from core.uploads import sha256_of
from core.workflow import BusinessRuleError
from procurement import rules, selectors, services
from procurement.access import get_public_consultation, get_public_document

logger = logging.getLogger(__name__)


@require_GET
def notice_list(request):
    filters, page = filtered_page(NoticeFilter, selectors.public_consultations(), request)
    return render(request, "bidders/notice_list.html", {"filters": filters, "page": page})


def _notice(request, consultation, *, form=None, question_form=None):
    return render(
        request,
        "bidders/notice_detail.html",
        {
            "consultation": consultation,
            "lots": list(consultation.lots.all()),
            "documents": selectors.public_documents(consultation),
            "answers": selectors.public_answers(consultation),
            "form": form or RegistrationForm(),
            "question_form": question_form or QuestionForm(consultation=consultation),
            "questions_open": not rules.public_question_errors(consultation),
        },
    )


@require_GET
def notice_detail(request, consultation_pk):
    return _notice(request, get_public_consultation(consultation_pk))


@require_POST
def notice_register(request, consultation_pk):
    consultation = get_public_consultation(consultation_pk)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_register(consultation=consultation, **form.cleaned_data)
        except BusinessRuleError as refusal:
            add_refusal(form, refusal)
        else:
            # The same words whether the address was new or known: nobody learns who registered.
            messages.success(
                request,
                _(
                    "You are registered: the answers to questions, the changes of the DCE and "
                    "the deadline extensions will be sent to %(email)s."
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("bidders:notice", consultation_pk=consultation.pk)
    return _notice(request, consultation, form=form)


@require_POST
def notice_question(request, consultation_pk):
    consultation = get_public_consultation(consultation_pk)
    form = QuestionForm(request.POST, consultation=consultation)
    if form.is_valid():
        try:
            services.candidate_question(consultation=consultation, **form.cleaned_data)
        except BusinessRuleError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                _(
                    "Your question is received. Its answer will be published here and sent to "
                    "every identified candidate, without your name, and to %(email)s."
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect(_notice_url(consultation.pk) + "#questions")
    return _notice(request, consultation, question_form=form)


@require_GET
def notice_document(request, document_pk):
    document = get_public_document(document_pk)
    return file_download(
        request,
        document.file,
        filename=document.original_name,
        sha256=document.sha256,
        back_url=_notice_url(document.consultation_id),
    )


@require_GET
def notice_archive(request, consultation_pk):
    """The whole current DCE in one zip, once every file is checked against its fingerprint."""
    consultation = get_public_consultation(consultation_pk)
    documents = selectors.public_documents(consultation)
    if not all(_intact(document) for document in documents):
        return notice_page(
            request,
            title=_("File unavailable"),
            reason=_(
                "A document of this DCE cannot be served as it was published; the buyer is "
                "told. Download the other documents one by one."
            ),
            back_url=_notice_url(consultation.pk),
            status=409,
        )
    archive = tempfile.TemporaryFile()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for index, document in enumerate(documents, start=1):
            with (
                document.file.open("rb") as handle,
                bundle.open(_entry_name(index, document), "w") as entry,
            ):
                for chunk in handle.chunks():
                    entry.write(chunk)
    archive.seek(0)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"DCE {consultation.reference}.zip",
        content_type="application/zip",
    )


def _intact(document) -> bool:
    try:
        with document.file.open("rb") as handle:
            intact = sha256_of(handle) == document.sha256
    except OSError:
        intact = False
    if not intact:
        logger.error("Tender document missing or changed: %s", document.file.name)
    return intact


def _notice_url(consultation_pk):
    return reverse("bidders:notice", args=[consultation_pk])


def _entry_name(index, document) -> str:
    """The uploaded name is the candidate's to read, never a path in the archive."""
    try:
        name = get_valid_filename(document.original_name)
    except SuspiciousFileOperation:  # nothing usable left: « .. », only punctuation
        name = f"document.{document.file.name.rsplit('.', 1)[-1]}"
    return f"{index:02d}-{name}"
