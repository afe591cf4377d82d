from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from core import clock
from groupement.hooks import PendingAction
from groupement.models import (
    ACT_FOR_MEMBERSHIP,
    MANAGE_GROUPEMENT,
    VIEW_GROUPEMENT,
    Groupement,
    Membership,
    MembershipState,
)
from journal.selectors import history_for
from procurement import rules
from procurement.access import bids_are_open, can_read_bids
from procurement.models import Bid, Consultation, ConsultationState, MemberReview, TenderDocument


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
    answers = {
        r.organisation_id: r
        for r in consultation.reviews.all()
        if r.review_round == consultation.review_round
    }
    return [(org, answers.get(org.pk)) for org in rules.reviewing_organisations(consultation)]


def time_left(consultation):
    """The time before the offers deadline, or None once it has passed."""
    remaining = consultation.offers_deadline - clock.now()
    return remaining if remaining.total_seconds() > 0 else None


def consultation_history(consultation):
    return history_for(consultation, Bid.objects.filter(lot__consultation=consultation))


def bids_table(consultation, user):
    """The bids as each person may see them: before the opening, the deposit only."""
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


def pending_price_justifications(consultation) -> list[Bid]:
    """Flagged bids still without a judged justification: no award until they are settled."""
    bids = list(
        Bid.objects.filter(lot__consultation=consultation, late=False).select_related(
            "lot", "bidder"
        )
    )
    by_lot = {}
    for bid in bids:
        by_lot.setdefault(bid.lot_id, []).append(bid)
    return [
        bid
        for bid in bids
        if rules.abnormally_low_reasons(bid, by_lot[bid.lot_id]) and not bid.low_price_decision
    ]
