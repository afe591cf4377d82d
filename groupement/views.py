from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groupement import rules, selectors, services
from groupement.access import (
    ACT_FOR_MEMBERSHIP,
    MANAGE_GROUPEMENT,
    get_groupement_for_user,
    get_membership_for_user,
    has_object_perm,
    user_roles,
)
from groupement.forms import (
    DeliberationForm,
    GroupementForm,
    MemberFormSet,
    ReasonForm,
    SignForm,
    WithdrawalForm,
)
from groupement.models import GroupementState, Role
from journal.selectors import history_for


@require_GET
@login_required
def dashboard(request):
    # Each app lists what waits in it (settings.DASHBOARD_SOURCES), so this page needs no
    # knowledge of the apps built on top of groupements.
    actions = []
    for source in settings.DASHBOARD_SOURCES:
        actions += import_string(source)(request.user)
    return render(
        request,
        "groupement/dashboard.html",
        {"actions": actions, "roles": user_roles(request.user)},
    )


@require_GET
@login_required
def groupement_list(request):
    return render(
        request,
        "groupement/groupement_list.html",
        {
            "groupements": selectors.groupements_for_user(request.user),
            "can_create": Role.GESTIONNAIRE in user_roles(request.user),
        },
    )


@require_GET
@login_required
def groupement_detail(request, pk):
    groupement = selectors.groupement_detail(get_groupement_for_user(request.user, pk))
    memberships = selectors.memberships_with_actions(groupement, request.user)
    can_manage = has_object_perm(request.user, MANAGE_GROUPEMENT, groupement)
    blockers = []
    if can_manage and groupement.state == GroupementState.DRAFT:
        blockers = groupement.submit_blockers()
    elif can_manage and groupement.state == GroupementState.DELIBERATING:
        blockers = groupement.in_force_blockers()
    return render(
        request,
        "groupement/groupement_detail.html",
        {
            "groupement": groupement,
            "memberships": memberships,
            "active_total": rules.shares_total(groupement.active_memberships()),
            "actions": selectors.available_actions(groupement, request.user),
            "can_edit": can_manage and groupement.state == GroupementState.DRAFT,
            "blockers": blockers,
            "history": history_for(groupement, groupement.memberships.all()),
            "consultations": groupement.consultations.order_by("-created_at"),
            "can_launch": can_manage and groupement.state == GroupementState.IN_FORCE,
        },
    )


def _terms(form, formset):
    data = form.cleaned_data
    return services.ConventionTerms(
        name=data["name"],
        purpose=data["purpose"],
        duration_months=data["duration_months"],
        mission=data["mission"],
        committee_kind=data["committee_kind"],
        withdrawal_allowed=data["withdrawal_allowed"],
        members=formset.members(),
        committee_members=list(data["committee_members"]),
        committee_chair=data["committee_chair"],
        committee_quorum=data["committee_quorum"],
    )


def _save_convention(request, form, formset, save):
    if form.is_valid() and formset.is_valid():
        try:
            return save(_terms(form, formset))
        except services.BusinessRuleError as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
    return None


@require_http_methods(["GET", "POST"])
@login_required
def groupement_create(request):
    if Role.GESTIONNAIRE not in user_roles(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = GroupementForm(request.POST)
        formset = MemberFormSet(request.POST, prefix="members")
        groupement = _save_convention(
            request,
            form,
            formset,
            lambda terms: services.groupement_create(user=request.user, terms=terms),
        )
        if groupement:
            messages.success(request, _("Groupement created as a draft."))
            return redirect("groupement:detail", pk=groupement.pk)
    else:
        form = GroupementForm(initial={"duration_months": 48, "withdrawal_allowed": True})
        formset = MemberFormSet(
            prefix="members", initial=[{"organisation": request.user.organisation}]
        )
    return render(request, "groupement/groupement_form.html", {"form": form, "formset": formset})


@require_http_methods(["GET", "POST"])
@login_required
def groupement_edit(request, pk):
    groupement = get_groupement_for_user(request.user, pk, perm=MANAGE_GROUPEMENT)
    if groupement.state != GroupementState.DRAFT:
        messages.error(request, _("The convention can be edited only as a draft."))
        return redirect("groupement:detail", pk=pk)
    if request.method == "POST":
        form = GroupementForm(request.POST)
        formset = MemberFormSet(request.POST, prefix="members")
        saved = _save_convention(
            request,
            form,
            formset,
            lambda terms: services.groupement_update(
                groupement=groupement, user=request.user, terms=terms
            ),
        )
        if saved:
            messages.success(request, _("Convention saved."))
            return redirect("groupement:detail", pk=pk)
    else:
        form = GroupementForm(
            initial={
                "name": groupement.name,
                "purpose": groupement.purpose,
                "duration_months": groupement.duration_months,
                "mission": groupement.mission,
                "committee_kind": groupement.committee_kind,
                "withdrawal_allowed": groupement.withdrawal_allowed,
                "committee_members": list(groupement.committee_members.all()),
                "committee_chair": groupement.committee_chair,
                "committee_quorum": groupement.committee_quorum,
            }
        )
        formset = MemberFormSet(
            prefix="members",
            initial=[
                {"organisation": m.organisation, "share": m.share}
                for m in groupement.memberships.select_related("organisation")
            ],
        )
    return render(
        request,
        "groupement/groupement_form.html",
        {"form": form, "formset": formset, "groupement": groupement},
    )


def _refused(request, refusal):
    for message in refusal.messages:
        messages.error(request, message)


@require_POST
@login_required
def groupement_submit(request, pk):
    groupement = get_groupement_for_user(request.user, pk, perm=MANAGE_GROUPEMENT)
    try:
        services.groupement_submit(groupement=groupement, user=request.user)
        messages.success(request, _("The convention was sent to the members' assemblies."))
    except services.BusinessRuleError as refusal:
        _refused(request, refusal)
    return redirect("groupement:detail", pk=pk)


@require_POST
@login_required
def groupement_put_in_force(request, pk):
    groupement = get_groupement_for_user(request.user, pk, perm=MANAGE_GROUPEMENT)
    try:
        services.groupement_put_in_force(groupement=groupement, user=request.user)
        messages.success(request, _("The groupement is in force."))
    except services.BusinessRuleError as refusal:
        _refused(request, refusal)
    return redirect("groupement:detail", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def groupement_dissolve(request, pk):
    groupement = get_groupement_for_user(request.user, pk, perm=MANAGE_GROUPEMENT)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.groupement_dissolve(
                groupement=groupement, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The groupement is dissolved."))
            return redirect("groupement:detail", pk=pk)
        except services.BusinessRuleError as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
    return render(
        request,
        "groupement/action_form.html",
        {
            "form": form,
            "groupement": groupement,
            "title": _("Dissolve the groupement"),
            "submit_label": _("Dissolve"),
        },
    )


def _membership_form_view(
    request,
    membership_pk,
    *,
    form_class,
    title,
    submit_label,
    run,
    success,
    multipart=False,
):
    membership = get_membership_for_user(request.user, membership_pk, perm=ACT_FOR_MEMBERSHIP)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, membership=membership)
        if form.is_valid():
            try:
                run(membership, form.cleaned_data)
                messages.success(request, success)
                return redirect("groupement:detail", pk=membership.groupement_id)
            except services.BusinessRuleError as refusal:
                for message in refusal.messages:
                    form.add_error(None, message)
    else:
        form = form_class(membership=membership)
    return render(
        request,
        "groupement/action_form.html",
        {
            "form": form,
            "groupement": membership.groupement,
            "membership": membership,
            "title": title,
            "submit_label": submit_label,
            "multipart": multipart,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def membership_deliberation(request, membership_pk):
    return _membership_form_view(
        request,
        membership_pk,
        form_class=DeliberationForm,
        title=_("Record the assembly's deliberation"),
        submit_label=_("Record the deliberation"),
        multipart=True,
        success=_("Deliberation recorded."),
        run=lambda m, data: services.membership_record_deliberation(
            membership=m,
            user=request.user,
            number=data["number"],
            date=data["date"],
            document=data["document"],
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def membership_sign(request, membership_pk):
    return _membership_form_view(
        request,
        membership_pk,
        form_class=SignForm,
        title=_("Sign the convention"),
        submit_label=_("Record the signature"),
        success=_("Signature recorded."),
        run=lambda m, data: services.membership_sign(
            membership=m, user=request.user, signed_on=data["signed_on"]
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def membership_withdraw(request, membership_pk):
    return _membership_form_view(
        request,
        membership_pk,
        form_class=WithdrawalForm,
        title=_("Withdraw from the groupement"),
        submit_label=_("Withdraw"),
        success=_("Withdrawal recorded."),
        run=lambda m, data: services.membership_withdraw(
            membership=m, user=request.user, reason=data["reason"]
        ),
    )


@require_GET
@login_required
def membership_document(request, membership_pk):
    membership = get_membership_for_user(request.user, membership_pk)
    if not membership.decision_document:
        raise Http404
    return FileResponse(
        membership.decision_document.open("rb"),
        as_attachment=True,
        filename=membership.decision_document_name or "deliberation.pdf",
        content_type="application/pdf",
    )
