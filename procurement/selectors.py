from types import SimpleNamespace

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import clock
from core.actions import Action, listed
from core.permissions import objects_for_user
from groupement.models import VIEW_GROUPEMENT, Groupement, Membership
from journal.memo import remembered
from journal.selectors import history_for
from procurement import hooks, rules
from procurement.access import bids_are_open, can_manage, can_read_bids, member_membership
from procurement.choices import (
    ANALYSIS_STATES,
    CANCELLABLE,
    REGISTRATION_STATES,
    CandidatureState,
    OfferState,
)
from procurement.filters import BidFilter
from procurement.models import (
    Bid,
    Consultation,
    ConsultationState,
    MemberReview,
    Question,
    TenderDocument,
)
from procurement.pages import consultation_url


def consultations_for_user(user):
    groupements = objects_for_user(user, VIEW_GROUPEMENT, Groupement)
    return (
        Consultation.objects.filter(groupement__in=groupements)
        .select_related("groupement")
        .prefetch_related("lots")
        # The pk breaks ties: consultations created at the same moment (an import, the demo)
        # would otherwise repeat or go missing between the pages of the list.
        .order_by("-created_at", "-pk")
    )


def consultation_detail(consultation):
    return (
        Consultation.objects.select_related("groupement__coordinator")
        .prefetch_related(
            "lots",
            Prefetch(
                "documents",
                queryset=TenderDocument.objects.select_related(
                    "uploaded_by__organisation"
                ).order_by("kind", "title", "-version"),
            ),
            Prefetch(
                "reviews",
                queryset=MemberReview.objects.select_related(
                    "organisation", "decided_by__organisation"
                ),
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


BIDS_PAGE_SIZE = 50


def bids_count(consultation) -> int:
    return Bid.objects.filter(lot__consultation=consultation).count()


def bids_table(consultation, user, query) -> tuple[BidFilter, Page]:
    """The filters (`query`: the request's GET) and one page (?plis=N) of the bids, as each
    person may see them: before the opening, the deposit only. A large consultation receives
    hundreds of deposits."""
    unsealed = bids_are_open(consultation) and can_read_bids(user, consultation)
    bids = (
        Bid.objects.filter(lot__consultation=consultation)
        .select_related("lot", "bidder")
        .prefetch_related("members__bidder", "subcontractors", "documents")
        .order_by("lot__number", "received_at", "pk")
    )
    filters, shown = _bid_page(bids, query, list(consultation.lots.all()))
    for bid in shown:
        bid.unsealed = unsealed and not bid.late
    return filters, shown


def _bid_page(bids, query, lots) -> tuple[BidFilter, Page]:
    """The filters of `query` (the request's GET) on `bids`, and the page of them asked for
    (?plis=N)."""
    filters = BidFilter(query, queryset=bids, lots=lots)
    return filters, Paginator(filters.qs, BIDS_PAGE_SIZE).get_page(query.get("plis"))


def analysis_table(consultation, query, lots) -> tuple[BidFilter, Page, dict]:
    """The filters, one page (?plis=N) of the opened offers to analyse, and each lot's regular
    prices (rules.RegularPrices), read from every offer of the lot: a price is abnormally low
    against the whole lot, not against the page."""
    bids = (
        Bid.objects.filter(lot__consultation=consultation, late=False)
        .select_related("lot", "bidder")
        .order_by("lot__number", "received_at", "pk")
    )
    filters, shown = _bid_page(bids, query, lots)
    # The few fields the rule reads, not hundreds of model instances.
    rows = [SimpleNamespace(**row) for row in bids.values("pk", "lot_id", "price", "late", "offer")]
    return filters, shown, rules.regular_prices_by_lot(rows)


def consultation_actions(user, consultation, *, pending_only=False) -> list[Action]:
    """The steps this user may take now on a consultation (reads `consultation.reviews.all()`
    and the groupement's memberships: callers that loop prefetch them). `pending_only`: the
    steps that wait for the user, what the dashboard lists; the others cost queries of their
    own (the cancellation reads the lots' contracts)."""
    manager = can_manage(user, consultation)
    state = consultation.state
    subject = str(consultation)
    actions = []

    def add(name, label, route, *, pending=False, post=False, blockers=()):
        url = reverse(route, args=[consultation.pk])
        actions.append(Action(name, label, url, subject, pending, post, blockers=list(blockers)))

    if manager:
        if state == ConsultationState.DRAFT:
            add("edit", _("Edit"), "procurement:edit")
        if state in (ConsultationState.DRAFT, ConsultationState.PUBLISHED):
            add("document_add", _("Add a document"), "procurement:document_add")
        if state == ConsultationState.DRAFT:
            blockers = rules.review_blockers(consultation)
            label = _("Send to the members for review")
            add(
                "submit_for_review",
                label,
                "procurement:submit",
                pending=True,
                post=True,
                blockers=blockers,
            )
        if state == ConsultationState.READY:
            blockers = rules.publication_blockers(consultation)
            label = _("Publish the consultation")
            add("publish", label, "procurement:publish", pending=True, post=True, blockers=blockers)
        if state == ConsultationState.PUBLISHED:
            add("extend", _("Extend the deadline"), "procurement:extend")
            add("question_add", _("Record a question"), "procurement:question_add")
        if state in REGISTRATION_STATES:
            add("bid_register", _("Register a deposit"), "procurement:bid_register")
            add("bids_import", _("Import the deposit register"), "procurement:bids_import")
        if state in (
            ConsultationState.PUBLISHED,
            ConsultationState.CLOSED,
        ) and rules.deadline_passed(consultation):
            add("open_bids", _("Open the bids"), "procurement:opening", pending=True)
        if state == ConsultationState.OPENED:
            add("start_analysis", _("Start the analysis"), "procurement:analysis", pending=True)
        if not pending_only and state in CANCELLABLE and not hooks.blockers("cancel", consultation):
            add("cancel", _("Declare sans suite"), "procurement:cancel")
    if state == ConsultationState.MEMBER_REVIEW:
        membership = member_membership(user, consultation)
        answered = {
            r.organisation_id
            for r in consultation.reviews.all()
            if r.review_round == consultation.review_round
        }
        if membership is not None and membership.organisation_id not in answered:
            add("review", _("Review the tender documents"), "procurement:review", pending=True)
    return actions


def pending_actions(user) -> list[Action]:
    """What waits for this user on consultations, for the "Mes actions" dashboard."""
    visible = objects_for_user(user, VIEW_GROUPEMENT, Groupement)
    waiting = (
        Consultation.objects.filter(
            groupement__in=visible,
            state__in=[
                ConsultationState.DRAFT,
                ConsultationState.MEMBER_REVIEW,
                ConsultationState.READY,
                ConsultationState.PUBLISHED,
                ConsultationState.CLOSED,
                ConsultationState.OPENED,
            ],
        )
        .select_related("groupement__coordinator")
        .prefetch_related("groupement__memberships", "reviews", "lots", "documents")
        .order_by("offers_deadline")
    )
    actions = []
    for consultation in waiting:
        steps = consultation_actions(user, consultation, pending_only=True)
        actions += listed(steps, consultation_url(consultation))
    return actions + counted_steps(user, visible)


def counted_steps(user, groupements) -> list[Action]:
    """The steps that wait on the coordinator while some items do, one line per consultation
    with their count: the questions of a published consultation to answer, the bids on time
    of an analysis to decide on."""
    questions = Question.objects.filter(
        consultation__groupement__in=groupements,
        consultation__state=ConsultationState.PUBLISHED,
        answered_at__isnull=True,
    )
    bids = Bid.objects.filter(
        lot__consultation__groupement__in=groupements,
        lot__consultation__state__in=ANALYSIS_STATES,
        lot__outcome="",  # a lot closed without award waits for nobody
        late=False,
    ).filter(
        Q(candidature=CandidatureState.PENDING)
        | Q(candidature=CandidatureState.ADMITTED, offer=OfferState.PENDING)
    )
    steps = [
        (
            "answer",
            _counts(questions, "consultation"),
            lambda n: ngettext(
                "Answer the questions (%(left)d waiting)",
                "Answer the questions (%(left)d waiting)",
                n,
            ),
            lambda consultation: consultation_url(consultation, "questions"),
        ),
        (
            "examine",
            _counts(bids, "lot__consultation"),
            lambda n: ngettext(
                "Examine the bids (%(left)d to decide on)",
                "Examine the bids (%(left)d to decide on)",
                n,
            ),
            lambda consultation: reverse("procurement:analysis", args=[consultation.pk]),
        ),
    ]
    concerned = {pk for _name, counts, _label, _url in steps for pk in counts}
    consultations = Consultation.objects.filter(pk__in=concerned).select_related(
        "groupement__coordinator"
    )
    actions = []
    for consultation in consultations.order_by("offers_deadline"):
        if not can_manage(user, consultation):
            continue
        for name, counts, label, url in steps:
            if left := counts.get(consultation.pk):
                text = label(left) % {"left": left}
                actions.append(Action(name, text, url(consultation), str(consultation), True))
    return actions


def _counts(queryset, consultation_field) -> dict[int, int]:
    """{consultation pk: number of rows of `queryset`}, in one query."""
    return dict(
        queryset.values_list(consultation_field)
        .annotate(n=Count("pk"))
        .values_list(consultation_field, "n")
    )


def pending_price_justifications(consultation) -> list[Bid]:
    """Flagged bids still without a judged justification: no award until they are settled."""
    return unjudged_low_prices(consultation.lots.all())


def unjudged_low_prices(lots) -> list[Bid]:
    """The offers of `lots` flagged abnormally low whose justification is not judged yet, each
    compared with the other offers of its own lot. Every price and decision it reads is
    journaled, so the result holds until the journal moves on (journal.memo): the award page
    asks for it on every visit and it reads every offer of the lot."""
    pks = tuple(sorted(lot.pk for lot in lots))
    return remembered(("low prices", *pks), lambda: _unjudged_low_prices(pks))


def _unjudged_low_prices(lot_pks) -> list[Bid]:
    bids = list(Bid.objects.filter(lot__in=lot_pks, late=False).select_related("lot", "bidder"))
    prices = rules.regular_prices_by_lot(bids)
    return [
        bid
        for bid in bids
        if rules.abnormally_low_reasons(bid, prices[bid.lot_id]) and not bid.low_price_decision
    ]


# --- What candidates read on the public notices -----------------------------------------------


def public_consultations():
    """The consultations open to candidates, the nearest deadline first."""
    return (
        Consultation.objects.filter(
            state=ConsultationState.PUBLISHED, offers_deadline__gt=clock.now()
        )
        .select_related("groupement")
        .prefetch_related("lots")
        .order_by("offers_deadline", "pk")
        .distinct()
    )


def public_documents(consultation) -> list:
    """The current version of each tender document; the replaced ones stay with the buyers."""
    return list(consultation.documents.filter(current=True).order_by("kind", "title"))


def public_answers(consultation) -> list:
    """The questions answered, as every candidate received them: never who asked."""
    return list(
        consultation.questions.exclude(answered_at=None)
        .select_related("lot")
        .order_by("answered_at", "pk")
    )
