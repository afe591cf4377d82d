from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import clock
from core.forms import ReasonForm
from core.pages import action_page, add_refusal, button_action, file_download
from core.workflow import BusinessRuleError
from groupement import hooks, rules, selectors, services
from groupement.access import (
    get_groupement_for_user,
    get_membership_for_user,
    has_role,
    user_roles,
)
from groupement.forms import (
    DeliberationForm,
    GroupementForm,
    MemberFormSet,
    SignForm,
    WithdrawalForm,
)
from groupement.models import GroupementState, Role
from journal.memo import remembered
from journal.selectors import history_for, history_page


def pending_actions(user) -> list:
    """What waits for this user in every app (each registers its own, groupement.hooks).

    The most requested page reads every consultation and contract of the user's groupements:
    its list is kept until the journal moves on (journal.memo), the user's roles change or the
    minute turns, since a deadline or a standstill that ends makes a step due without any
    entry. A step is thus listed at most a minute late; taking it checks the rules again."""
    roles = user_roles(user)
    minute = clock.now().replace(second=0, microsecond=0)
    key = ("pending actions", user.pk, frozenset(roles), get_language(), minute)
    return remembered(key, lambda: hooks.dashboard_sources.collect(user))


@require_GET
@login_required
def dashboard(request):
    return render(
        request,
        "groupement/dashboard.html",
        {"actions": pending_actions(request.user), "roles": user_roles(request.user)},
    )


@require_GET
@login_required
def groupement_list(request):
    return render(
        request,
        "groupement/groupement_list.html",
        {
            "groupements": selectors.groupements_for_user(request.user),
            "can_create": has_role(request.user, Role.GESTIONNAIRE),
        },
    )


@require_GET
@login_required
def groupement_detail(request, pk):
    groupement = selectors.groupement_detail(get_groupement_for_user(request.user, pk))
    memberships = selectors.memberships_with_actions(groupement, request.user)
    actions = selectors.groupement_actions(request.user, groupement)
    return render(
        request,
        "groupement/groupement_detail.html",
        {
            "groupement": groupement,
            "memberships": memberships,
            "active_total": rules.shares_total(groupement.active_memberships()),
            "actions": [a.name for a in actions if not a.blockers],
            "blockers": [b for a in actions for b in a.blockers],
            "history": history_page(history_for(groupement, groupement.memberships.all()), request),
            "panels": hooks.groupement_panels.collect(request, groupement),
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
        signatory_name=data["signatory_name"],
        signatory_title=data["signatory_title"],
        tribunal=data["tribunal"],
    )


def _save_convention(request, form, formset, save):
    if form.is_valid() and formset.is_valid():
        try:
            return save(_terms(form, formset))
        except BusinessRuleError as refusal:
            add_refusal(form, refusal)
    return None


@require_http_methods(["GET", "POST"])
@login_required
def groupement_create(request):
    if not has_role(request.user, Role.GESTIONNAIRE):
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
    groupement = get_groupement_for_user(request.user, pk, manage=True)
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
                "signatory_name": groupement.signatory_name,
                "signatory_title": groupement.signatory_title,
                "tribunal": groupement.tribunal,
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


def _detail_url(groupement_pk):
    return reverse("groupement:detail", args=[groupement_pk])


@require_POST
@login_required
def groupement_submit(request, pk):
    groupement = get_groupement_for_user(request.user, pk, manage=True)
    return button_action(
        request,
        lambda: services.groupement_submit(groupement=groupement, user=request.user),
        success=_("The convention was sent to the members' assemblies."),
        next_url=_detail_url(pk),
    )


@require_POST
@login_required
def groupement_put_in_force(request, pk):
    groupement = get_groupement_for_user(request.user, pk, manage=True)
    return button_action(
        request,
        lambda: services.groupement_put_in_force(groupement=groupement, user=request.user),
        success=_("The groupement is in force."),
        next_url=_detail_url(pk),
    )


@require_http_methods(["GET", "POST"])
@login_required
def groupement_dissolve(request, pk):
    groupement = get_groupement_for_user(request.user, pk, manage=True)
    return action_page(
        request,
        ReasonForm(request.POST or None),
        run=lambda data: services.groupement_dissolve(
            groupement=groupement, user=request.user, reason=data["reason"]
        ),
        success=_("The groupement is dissolved."),
        title=_("Dissolve the groupement"),
        submit_label=_("Dissolve"),
        subject=groupement,
        back_url=_detail_url(pk),
    )


def _membership_page(request, membership_pk, *, form_class, run, multipart=False, **texts):
    """A référent's step for their member: the form, the service, back to the groupement."""
    membership = get_membership_for_user(request.user, membership_pk, act=True)
    return action_page(
        request,
        form_class(request.POST or None, request.FILES or None, membership=membership),
        run=lambda data: run(membership, data),
        subject=f"{membership.groupement} — {membership.organisation}",
        back_url=_detail_url(membership.groupement_id),
        multipart=multipart,
        **texts,
    )


@require_http_methods(["GET", "POST"])
@login_required
def membership_deliberation(request, membership_pk):
    return _membership_page(
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
    return _membership_page(
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
    return _membership_page(
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
    return file_download(
        request,
        membership.decision_document,
        filename=membership.decision_document_name or "deliberation.pdf",
        sha256=membership.decision_document_sha256,
        back_url=reverse("groupement:detail", args=[membership.groupement_id]),
        content_type="application/pdf",
    )
