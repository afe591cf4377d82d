"""The contract page, its steps, and the amendments."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from contracts import award_rules, contract_rules, forms, selectors, services
from contracts.access import (
    can_see_award,
    get_amendment_for_user,
    get_contract_for_user,
    signing_organisation,
)
from contracts.award_views import member_answer_page
from contracts.choices import AmendmentState
from contracts.filters import ContractFilter
from contracts.pages import contract_url
from contracts.services.contracts import TERM_FIELDS, ContractTerms
from core import clock
from core.forms import DayForm
from core.listing import filtered_page
from core.pages import action_page
from procurement.access import can_manage, member_membership

AMENDMENTS_PAGE_SIZE = 10


@require_GET
@login_required
def contract_list(request):
    contracts = selectors.contracts_for_user(request.user)
    filters, page = filtered_page(ContractFilter, contracts, request)
    return render(request, "contracts/contract_list.html", {"filters": filters, "contracts": page})


@require_GET
@login_required
def contract_detail(request, contract_pk):
    contract = get_contract_for_user(request.user, contract_pk)
    consultation = contract.lot.consultation
    amendments = list(contract.amendments.all())
    # A contract may have dozens of amendments: one page of them, the latest first; their
    # answers and signatures are read for that page and for those that still wait for some.
    page = Paginator(amendments[::-1], AMENDMENTS_PAGE_SIZE).get_page(request.GET.get("avenants"))
    shown = {a.pk for a in page}
    prefetch_related_objects(
        [
            a
            for a in amendments
            if a.pk in shown or a.state in (AmendmentState.PROPOSED, AmendmentState.APPROVED)
        ],
        "approvals__organisation",
        "signatures__organisation",
    )
    # Read once: the page, the missing signatories and the available steps use them.
    prefetch_related_objects([contract], "signatures__organisation", "signatures__signed_by")
    signatures = list(contract.signatures.all())
    earliest = award_rules.earliest_signature_day(contract.award)
    change = contract_rules.cumulated_change(contract, amendments)
    shares = list(contract.shares.select_related("organisation"))
    # Each member's part of the amount as amended, split the same exact way.
    current = contract_rules.split_amount(change.current_amount, {s.pk: s.share for s in shares})
    for share in shares:
        share.current_amount = current[share.pk]
    actions = selectors.contract_actions(request.user, contract, amendments)
    for amendment in page:
        amendment.actions = [a for a in actions if a.target is amendment]
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "consultation": consultation,
            "sees_award": can_see_award(request.user, consultation),
            "shares": shares,
            "signatures": [s for s in signatures if s.amendment_id is None],
            "missing_signatories": contract_rules.missing_signatories(contract),
            "amendments": page,
            "change": change,
            "earliest_signature": earliest,
            "days_left": (earliest - clock.today()).days if earliest else None,
            "actions": [a for a in actions if a.target is None and a.name != "publish"],
            "data_due": contract_rules.essential_data_due(contract, amendments),
        },
    )


def _day_page(request, contract, *, run, title, submit_label, success):
    """A step that only asks for its date; `run(on=…)` calls the service."""
    return action_page(
        request,
        DayForm(request.POST or None, initial={"on": clock.today()}),
        subject=contract.lot.consultation,
        back_url=contract_url(contract),
        run=lambda data: run(on=data["on"]),
        success=success,
        title=title,
        submit_label=submit_label,
    )


@require_http_methods(["GET", "POST"])
@login_required
def contract_sign(request, contract_pk):
    contract = get_contract_for_user(request.user, contract_pk)
    if signing_organisation(request.user, contract) is None:
        raise PermissionDenied
    return _day_page(
        request,
        contract,
        run=partial(services.contract_sign, contract=contract, user=request.user),
        title=f"{_('Sign the contract')} — {contract.number}",
        submit_label=_("Record the signature"),
        success=_("Signature recorded."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def contract_notify(request, contract_pk):
    contract = get_contract_for_user(request.user, contract_pk, manage=True)
    return _day_page(
        request,
        contract,
        run=partial(services.contract_notify, contract=contract, user=request.user),
        title=f"{_('Notify the contract to its holder')} — {contract.number}",
        submit_label=_("Record the notification"),
        success=_("Notification recorded."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def contract_start(request, contract_pk):
    contract = get_contract_for_user(request.user, contract_pk, manage=True)
    return _day_page(
        request,
        contract,
        run=partial(services.contract_start, contract=contract, user=request.user),
        title=f"{_('Start of the execution')} — {contract.number}",
        submit_label=_("Record"),
        success=_("Start of the execution recorded."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def contract_finish(request, contract_pk):
    contract = get_contract_for_user(request.user, contract_pk, manage=True)
    return _day_page(
        request,
        contract,
        run=partial(services.contract_finish, contract=contract, user=request.user),
        title=f"{_('End of the execution')} — {contract.number}",
        submit_label=_("Record"),
        success=_("End of the contract recorded."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def contract_terminate(request, contract_pk):
    contract = get_contract_for_user(request.user, contract_pk, manage=True)
    return action_page(
        request,
        forms.TerminationForm(request.POST or None, initial={"on": clock.today()}),
        subject=contract.lot.consultation,
        back_url=contract_url(contract),
        run=lambda data: services.contract_terminate(
            contract=contract,
            user=request.user,
            on=data["on"],
            ground=data["ground"],
            reason=data["reason"],
        ),
        success=_("Termination recorded."),
        title=_("Terminate contract %(number)s") % {"number": contract.number},
        submit_label=_("Terminate"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def contract_terms(request, contract_pk):
    contract = get_contract_for_user(request.user, contract_pk, manage=True)
    return action_page(
        request,
        forms.ContractTermsForm(
            request.POST or None, initial={f: getattr(contract, f) for f in TERM_FIELDS}
        ),
        subject=contract.lot.consultation,
        back_url=contract_url(contract),
        run=lambda data: services.contract_update(
            contract=contract, user=request.user, terms=ContractTerms(**data)
        ),
        success=_("Terms of the contract saved."),
        title=_("Terms of contract %(number)s") % {"number": contract.number},
        submit_label=_("Save"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def contract_shares(request, contract_pk):
    contract = get_contract_for_user(request.user, contract_pk, manage=True)
    members = contract_rules.contract_members(contract)
    current = {s.organisation_id: s.share for s in contract.shares.all()}
    form = forms.SharesForm(
        request.POST or None,
        members=members,
        initial={"use_key": not contract.shares_overridden}
        | {f"share_{org.pk}": current.get(org.pk) for org in members},
    )
    return action_page(
        request,
        form,
        subject=contract.lot.consultation,
        back_url=contract_url(contract),
        run=lambda data: services.contract_set_shares(
            contract=contract, user=request.user, shares=form.shares()
        ),
        success=_("Members' shares saved."),
        title=_("Members' shares of contract %(number)s") % {"number": contract.number},
        submit_label=_("Save"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def amendment_propose(request, contract_pk):
    contract = get_contract_for_user(request.user, contract_pk, manage=True)
    return action_page(
        request,
        forms.AmendmentForm(request.POST or None),
        subject=contract.lot.consultation,
        back_url=contract_url(contract),
        run=lambda data: services.amendment_propose(contract=contract, user=request.user, **data),
        success=_("Amendment proposed to the members."),
        title=_("New amendment to contract %(number)s") % {"number": contract.number},
        submit_label=_("Propose"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def amendment_review(request, amendment_pk):
    amendment = get_amendment_for_user(request.user, amendment_pk)
    consultation = amendment.contract.lot.consultation
    if member_membership(request.user, consultation) is None:
        raise PermissionDenied
    return member_answer_page(
        request,
        consultation,
        answer=lambda approve, comment: services.amendment_review(
            amendment=amendment, user=request.user, approve=approve, comment=comment
        ),
        title=str(amendment),
        next_url=contract_url(amendment.contract),
    )


@require_http_methods(["GET", "POST"])
@login_required
def amendment_sign(request, amendment_pk):
    amendment = get_amendment_for_user(request.user, amendment_pk)
    if signing_organisation(request.user, amendment.contract) is None:
        raise PermissionDenied
    return _day_page(
        request,
        amendment.contract,
        run=partial(services.amendment_sign, amendment=amendment, user=request.user),
        title=_("Sign %(amendment)s") % {"amendment": amendment},
        submit_label=_("Record the signature"),
        success=_("Signature recorded."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def amendment_notify(request, amendment_pk):
    amendment = get_amendment_for_user(request.user, amendment_pk)
    if not can_manage(request.user, amendment.contract.lot.consultation):
        raise PermissionDenied
    return _day_page(
        request,
        amendment.contract,
        run=partial(services.amendment_notify, amendment=amendment, user=request.user),
        title=_("Notify %(amendment)s") % {"amendment": amendment},
        submit_label=_("Record the notification"),
        success=_("Notification recorded."),
    )
