from django.db.models import Prefetch
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from groupement.access import VIEW_GROUPEMENT
from groupement.models import Groupement, Membership
from journal.selectors import history_for
from procurement.models import Consultation, MemberReview, TenderDocument


def consultations_for_user(user):
    groupements = get_objects_for_user(
        user, VIEW_GROUPEMENT, klass=Groupement, accept_global_perms=False
    )
    return (
        Consultation.objects.filter(groupement__in=groupements)
        .select_related("groupement")
        .prefetch_related("lots")
        .order_by("-created_at")
    )


def consultation_detail(consultation):
    return (
        Consultation.objects.select_related("groupement__coordinator")
        .prefetch_related(
            "lots",
            Prefetch(
                "documents",
                queryset=TenderDocument.objects.select_related("uploaded_by").order_by(
                    "kind", "title", "-version"
                ),
            ),
            Prefetch(
                "reviews",
                queryset=MemberReview.objects.select_related("organisation", "decided_by"),
            ),
            Prefetch(
                "groupement__memberships",
                queryset=Membership.objects.select_related("organisation"),
            ),
        )
        .get(pk=consultation.pk)
    )


def review_table(consultation):
    """One row per reviewing member for the current round: (organisation, review or None)."""
    from procurement.rules import reviewing_organisations

    answers = {
        r.organisation_id: r
        for r in consultation.reviews.all()
        if r.review_round == consultation.review_round
    }
    return [(org, answers.get(org.pk)) for org in reviewing_organisations(consultation)]


def time_left(consultation):
    """The time before the offers deadline, or None once it has passed."""
    remaining = consultation.offers_deadline - timezone.now()
    return remaining if remaining.total_seconds() > 0 else None


def consultation_history(consultation):
    from procurement.models import Bid

    return history_for(consultation, Bid.objects.filter(lot__consultation=consultation))


def bids_table(consultation, user):
    """The bids as each person may see them: before the opening, the deposit only."""
    from procurement.access import bids_are_open, can_read_bids
    from procurement.models import Bid

    unsealed = bids_are_open(consultation) and can_read_bids(user, consultation)
    bids = list(
        Bid.objects.filter(lot__consultation=consultation)
        .select_related("lot", "bidder")
        .prefetch_related("members__bidder", "subcontractors", "documents")
        .order_by("lot__number", "received_at")
    )
    for bid in bids:
        bid.unsealed = unsealed and not bid.late
    return bids


def pending_actions(user):
    """What waits for this user on consultations, for the "Mes actions" dashboard."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from groupement.access import ACT_FOR_MEMBERSHIP, MANAGE_GROUPEMENT
    from groupement.models import MembershipState
    from groupement.selectors import PendingAction
    from procurement.models import ConsultationState

    managed = get_objects_for_user(
        user, MANAGE_GROUPEMENT, klass=Groupement, accept_global_perms=False
    )
    labels = {
        ConsultationState.READY: _("Publish the consultation"),
        ConsultationState.CLOSED: _("Open the bids"),
        ConsultationState.OPENED: _("Start the analysis"),
    }
    actions = []
    for consultation in Consultation.objects.filter(
        groupement__in=managed, state__in=list(labels)
    ).order_by("offers_deadline"):
        actions.append(
            PendingAction(
                labels[consultation.state],
                str(consultation),
                reverse("procurement:detail", args=[consultation.pk]),
            )
        )
    memberships = get_objects_for_user(
        user, ACT_FOR_MEMBERSHIP, klass=Membership, accept_global_perms=False
    ).filter(state=MembershipState.SIGNED)
    reviewing = Consultation.objects.filter(
        groupement__memberships__in=memberships, state=ConsultationState.MEMBER_REVIEW
    ).distinct()
    answered = set(
        MemberReview.objects.filter(
            consultation__in=reviewing, organisation_id=user.organisation_id
        ).values_list("consultation_id", "review_round")
    )
    for consultation in reviewing:
        if (consultation.pk, consultation.review_round) not in answered:
            actions.append(
                PendingAction(
                    _("Review the tender documents"),
                    str(consultation),
                    reverse("procurement:review", args=[consultation.pk]),
                )
            )
    return actions


def award_pending_actions(user):
    """What waits for this user in the award, the contracts and their open data."""
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from groupement.access import MANAGE_GROUPEMENT, VIEW_GROUPEMENT
    from groupement.selectors import PendingAction
    from procurement import contract_rules
    from procurement.access import reviewing_membership
    from procurement.models import (
        AmendmentState,
        AwardApproval,
        AwardDecision,
        ConsultationState,
        Contract,
        ContractState,
        Letter,
    )
    from procurement.services.award import may_record_decision
    from procurement.services.contracts import signing_organisation

    visible = get_objects_for_user(
        user, VIEW_GROUPEMENT, klass=Groupement, accept_global_perms=False
    )
    managed = set(
        get_objects_for_user(
            user, MANAGE_GROUPEMENT, klass=Groupement, accept_global_perms=False
        ).values_list("pk", flat=True)
    )
    actions = []
    proposed = list(
        Consultation.objects.filter(groupement__in=visible, state=ConsultationState.AWARD_PROPOSED)
        .select_related("groupement__coordinator")
        .prefetch_related("groupement__memberships")
    )
    # Decisions and approvals of every proposed consultation, each read once.
    decided = set(
        AwardDecision.objects.filter(consultation__in=proposed).values_list(
            "consultation_id", "award_round"
        )
    )
    approved = set(
        AwardApproval.objects.filter(consultation__in=proposed).values_list(
            "consultation_id", "award_round", "organisation_id"
        )
    )
    for consultation in proposed:
        url = reverse("procurement:award", args=[consultation.pk])
        round_key = (consultation.pk, consultation.award_round)
        if round_key not in decided:
            if may_record_decision(user, consultation):
                actions.append(
                    PendingAction(_("Record the award decision"), str(consultation), url)
                )
            continue
        membership = reviewing_membership(consultation, user)
        if membership is not None and (*round_key, membership.organisation_id) not in approved:
            actions.append(PendingAction(_("Approve the award"), str(consultation), url))
    for consultation in Consultation.objects.filter(
        groupement__in=managed, state=ConsultationState.AWARDED
    ).exclude(pk__in=Letter.objects.values("award__lot__consultation")):
        actions.append(
            PendingAction(
                _("Send the award and rejection letters"),
                str(consultation),
                reverse("procurement:award", args=[consultation.pk]),
            )
        )
    contracts = list(
        Contract.objects.filter(lot__consultation__groupement__in=visible)
        .exclude(state__in=[ContractState.COMPLETED, ContractState.TERMINATED])
        .select_related("lot__consultation__groupement__coordinator", "award", "holder")
        .prefetch_related(
            "signatures",
            "amendments__approvals",
            "lot__consultation__groupement__memberships__organisation",
        )
    )
    for contract in contracts:
        url = reverse("procurement:contract", args=[contract.pk])
        signer = signing_organisation(user, contract)
        consultation = contract.lot.consultation
        if (
            contract.state == ContractState.TO_SIGN
            and signer in contract_rules.missing_signatories(contract)
            and not contract_rules.standstill_errors(contract)
        ):
            actions.append(PendingAction(_("Sign the contract"), str(contract), url))
        if contract.state == ContractState.SIGNED and consultation.groupement_id in managed:
            actions.append(PendingAction(_("Notify the contract"), str(contract), url))
        membership = reviewing_membership(consultation, user)
        for amendment in contract.amendments.all():
            answered = {a.organisation_id for a in amendment.approvals.all()}
            if (
                amendment.state == AmendmentState.PROPOSED
                and membership is not None
                and membership.organisation_id not in answered
            ):
                actions.append(PendingAction(_("Approve the amendment"), str(amendment), url))
        if consultation.groupement_id in managed:
            for what, due in contract_rules.essential_data_due(
                contract, list(contract.amendments.all())
            ):
                actions.append(
                    PendingAction(
                        _("Publish before %(day)s") % {"day": date_format(due, "j F Y")},
                        what,
                        reverse("procurement:opendata", args=[consultation.groupement_id]),
                    )
                )
    return actions
