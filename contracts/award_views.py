"""The award page of a consultation and the forms of each award step."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts import award_rules, forms, selectors, services
from contracts.access import (
    get_award_consultation_for_user,
    get_award_for_user,
    get_letter_for_user,
    may_record_decision,
)
from contracts.minutes import render_minutes
from contracts.models import AwardApproval, DecidingBody, Letter
from contracts.pages import AWARD_PAGE_STATES, award_url
from core import clock
from core.forms import ReasonForm
from core.pages import action_page, button_action, content_download, file_download, notice_page
from procurement.access import (
    get_consultation_for_user,
    get_lot_for_user,
    member_membership,
)
from scoring.ranking import lot_ranking, lots_ranking


def member_answer_page(request, consultation, *, answer, title, next_url):
    """A member's référent approves, or refuses with a reason (award, amendment)."""
    return action_page(
        request,
        forms.ApprovalForm(request.POST or None),
        subject=consultation,
        back_url=next_url,
        run=lambda data: answer(data["decision"] == "approve", data["comment"]),
        success=_("Your answer is recorded."),
        title=title,
        submit_label=_("Send"),
    )


def _lot_rows(consultation):
    awards = {a.lot_id: a for a in award_rules.awards_of(consultation)}
    letters = {}
    for letter in Letter.objects.filter(award__lot__consultation=consultation).select_related(
        "bid__bidder"
    ):
        letters.setdefault(letter.award_id, []).append(letter)
    rows = []
    lots = list(consultation.lots.select_related("contract"))
    rankings = lots_ranking(lots)
    for lot in lots:
        complete, ranking = rankings[lot.pk]
        award = awards.get(lot.pk)
        earliest = award_rules.earliest_signature_day(award) if award else None
        rows.append(
            {
                "lot": lot,
                "complete": complete,
                "ranking": ranking,
                "award": award,
                "certificates": list(award.certificates.all()) if award else [],
                # Checked until the letters go out; afterwards their age no longer matters.
                "certificate_errors": award_rules.certificate_errors(award)
                if award and not award.letters_sent_at
                else [],
                "letters": letters.get(award.pk, []) if award else [],
                "earliest_signature": earliest,
                "days_left": (earliest - clock.today()).days if earliest else None,
                "contract": getattr(lot, "contract", None),
            }
        )
    return rows


@require_GET
@login_required
def award_page(request, consultation_pk):
    consultation = get_award_consultation_for_user(request.user, consultation_pk)
    if consultation.state not in AWARD_PAGE_STATES:
        return render(
            request,
            "403.html",
            {"reason": _("The award is prepared once the analysis has started.")},
            status=403,
        )
    decision = award_rules.current_decision(consultation)
    approvals = {
        a.organisation_id: a
        for a in AwardApproval.objects.filter(
            consultation=consultation, award_round=consultation.award_round
        ).select_related("decided_by")
    }
    lots = _lot_rows(consultation)
    actions = selectors.award_actions(
        request.user,
        consultation,
        awards=[row["award"] for row in lots if row["award"]],
        decided=decision is not None,
        answered=set(approvals),
        letters_sent=any(row["letters"] for row in lots),
    )
    for row in lots:
        row["actions"] = {a.name for a in actions if a.target == row["lot"].pk}
    steps = {a.name: a for a in actions if a.target is None}
    submit = steps.get("submit")
    return render(
        request,
        "contracts/award.html",
        {
            "consultation": consultation,
            "lots": lots,
            "steps": {name: a for name, a in steps.items() if not a.blockers},
            "proposal_blockers": submit.blockers if submit else [],
            "body": DecidingBody(award_rules.deciding_body(consultation)).label,
            "decision": decision,
            "members": [
                (org, approvals.get(org.pk))
                for org in award_rules.reviewing_organisations(consultation)
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def award_propose(request, lot_pk):
    lot = get_lot_for_user(request.user, lot_pk, manage=True)
    consultation = lot.consultation
    _complete, ranking = lot_ranking(lot)
    ranked = [row for row in ranking if row.rank is not None]
    return action_page(
        request,
        forms.ProposalForm(
            request.POST or None,
            ranking=ranked,
            initial={"bid": str(ranked[0].bid.pk)} if ranked else None,
        ),
        subject=consultation,
        back_url=award_url(consultation),
        run=lambda data: services.award_propose(
            lot=lot, user=request.user, bid=data["bid"], reason=data["reason"]
        ),
        success=_("Award proposed."),
        title=_("Propose the winner of lot %(lot)s") % {"lot": lot.number},
        submit_label=_("Propose"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def lot_outcome(request, lot_pk):
    lot = get_lot_for_user(request.user, lot_pk, manage=True)
    consultation = lot.consultation
    return action_page(
        request,
        forms.LotOutcomeForm(request.POST or None),
        subject=consultation,
        back_url=award_url(consultation),
        run=lambda data: services.lot_close_without_award(
            lot=lot, user=request.user, outcome=data["outcome"], reason=data["reason"]
        ),
        success=_("Outcome of the lot recorded."),
        title=_("Lot %(lot)s without award") % {"lot": lot.number},
        submit_label=_("Record"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def certificate_record(request, award_pk):
    award = get_award_for_user(request.user, award_pk, manage=True)
    consultation = award.lot.consultation
    return action_page(
        request,
        forms.CertificateForm(request.POST or None),
        subject=consultation,
        back_url=award_url(consultation),
        run=lambda data: services.certificate_record(
            award=award,
            user=request.user,
            kind=data["kind"],
            issued_on=data["issued_on"],
            reference=data["reference"],
        ),
        success=_("Certificate checked and recorded."),
        title=_("Certificates of %(bidder)s, lot %(lot)s")
        % {"bidder": award.bid.bidder, "lot": award.lot.number},
        submit_label=_("Record"),
    )


@require_POST
@login_required
def award_submit(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    return button_action(
        request,
        lambda: services.consultation_propose_award(consultation=consultation, user=request.user),
        success=_("The award proposal goes to the deciding body."),
        next_url=award_url(consultation),
    )


@require_http_methods(["GET", "POST"])
@login_required
def award_decide(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk)
    if not may_record_decision(request.user, consultation):
        raise PermissionDenied
    committee = None
    if award_rules.deciding_body(consultation) == DecidingBody.COMMITTEE:
        committee = consultation.groupement.committee_members.select_related("organisation")
    form = forms.DecisionForm(
        request.POST or None, committee=committee, initial={"decided_on": clock.today()}
    )
    return action_page(
        request,
        form,
        subject=consultation,
        back_url=award_url(consultation),
        run=lambda data: services.award_decide(
            consultation=consultation,
            user=request.user,
            decided_on=data["decided_on"],
            present=data.get("present") or [],
            votes=form.votes(),
            minutes=data["minutes"],
        ),
        success=_("Award decision recorded."),
        title=_("Award decision: %(body)s")
        % {"body": DecidingBody(award_rules.deciding_body(consultation)).label},
        submit_label=_("Record the decision"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def award_approve(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk)
    if member_membership(request.user, consultation) is None:
        raise PermissionDenied
    return member_answer_page(
        request,
        consultation,
        answer=lambda approve, comment: services.award_approve(
            consultation=consultation, user=request.user, approve=approve, comment=comment
        ),
        title=_("Approve the award"),
        next_url=award_url(consultation),
    )


@require_http_methods(["GET", "POST"])
@login_required
def award_reconsider(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    return action_page(
        request,
        ReasonForm(request.POST or None),
        subject=consultation,
        back_url=award_url(consultation),
        run=lambda data: services.award_reconsider(
            consultation=consultation, user=request.user, reason=data["reason"]
        ),
        success=_("The award is back in analysis."),
        title=_("Reconsider the award"),
        submit_label=_("Reconsider"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def letters_send(request, consultation_pk):
    consultation = get_consultation_for_user(request.user, consultation_pk, manage=True)
    return action_page(
        request,
        forms.LettersForm(request.POST or None, initial={"electronic": True}),
        subject=consultation,
        back_url=award_url(consultation),
        run=lambda data: services.letters_send(
            consultation=consultation, user=request.user, electronic=data["electronic"]
        ),
        success=_("Letters sent: the standstill has started."),
        title=_("Send the award and rejection letters"),
        submit_label=_("Send the letters"),
    )


@require_GET
@login_required
def letter_download(request, letter_pk):
    letter = get_letter_for_user(request.user, letter_pk)
    name = f"{letter.get_kind_display()} lot {letter.award.lot.number} {letter.bid.bidder}.pdf"
    return file_download(
        request,
        letter.file,
        filename=name,
        sha256=letter.sha256,
        back_url=reverse("contracts:award", args=[letter.award.lot.consultation_id]),
    )


@require_GET
@login_required
def award_minutes(request, consultation_pk):
    """The procès-verbal of the current round's decision, for whoever sees the award page."""
    consultation = get_award_consultation_for_user(request.user, consultation_pk)
    # Where the award page is not shown (a consultation declared sans suite), nor is its record.
    decision = (
        award_rules.current_decision(consultation)
        if consultation.state in AWARD_PAGE_STATES
        else None
    )
    if decision is None:
        return notice_page(
            request,
            title=_("Minutes of the decision"),
            reason=_("No award decision is recorded for this consultation yet."),
            back_url=award_url(consultation),
            status=404,
        )
    filename = f"Procès-verbal {consultation.reference}.pdf"
    if decision.record:
        return file_download(
            request,
            decision.record,
            filename=filename,
            sha256=decision.record_sha256,
            back_url=award_url(consultation),
            content_type="application/pdf",
        )
    # A decision recorded before its procès-verbal was kept is drawn from what it recorded.
    with translation.override("fr"):  # a French official document, whatever the reader's language
        content = render_minutes(consultation, decision)
    return content_download(content, filename=filename, content_type="application/pdf")
