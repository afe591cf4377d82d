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
    return history_for(consultation)
