import pytest

from groupement.models import Role
from journal.models import Entry
from procurement import services
from procurement.access import member_membership
from procurement.models import Consultation, ConsultationState
from tests.fixtures_procurement import terms
from tests.groupement.test_permission_matrix import MANAGER, ROLES
from tests.matrix import check_case, permission_matrix

STATES = [
    "draft",
    "member_review",
    "ready",
    "published",
    "closed",
    "opened",
    "analysis",
    "cancelled",
]
ACTIONS = [
    "update",
    "submit_for_review",
    "approve",
    "request_changes",
    "publish",
    "open_bids",
    "start_analysis",
    "start_negotiation",
    "declare_unsuccessful",
    "cancel",
]
REVIEWERS = {("COORD", Role.REFERENT), ("M1", Role.REFERENT)}
ALLOWED = {
    "update": {("draft", MANAGER)},
    "submit_for_review": {("draft", MANAGER)},
    "approve": {("member_review", role) for role in REVIEWERS},
    "request_changes": {("member_review", role) for role in REVIEWERS},
    "publish": {("ready", MANAGER)},
    "open_bids": {("closed", MANAGER)},
    "start_analysis": {("opened", MANAGER)},
    # An appel d'offres never negotiates (the matrix's consultation is one): refused to all.
    "start_negotiation": set(),
    "declare_unsuccessful": {("analysis", MANAGER)},
    "cancel": {(state, MANAGER) for state in STATES if state != "cancelled"},
}


def _build(consultation_in, clock, state, world):
    if state in ("closed", "opened", "analysis"):
        consultation = consultation_in(ConsultationState.PUBLISHED)
        clock.move(days=41)
        services.consultations_close_due()
        if state in ("opened", "analysis"):
            services.consultation_open_bids(consultation=consultation, user=world.coordinator())
        if state == "analysis":
            services.consultation_start_analysis(
                consultation=consultation, user=world.coordinator()
            )
        consultation.refresh_from_db()
        return consultation
    if state == "draft":
        return consultation_in("draft_with_documents")
    return consultation_in(state)


def _run(consultation, action, user):
    if action == "update":
        services.consultation_update(
            consultation=consultation, user=user, terms=terms(title="Nouvel objet")
        )
    elif action == "submit_for_review":
        services.consultation_submit_for_review(consultation=consultation, user=user)
    elif action in ("approve", "request_changes"):
        services.consultation_review(
            consultation=consultation,
            user=user,
            approve=action == "approve",
            comment="" if action == "approve" else "Revoir le CCTP.",
        )
    elif action == "publish":
        services.consultation_publish(consultation=consultation, user=user)
    elif action == "open_bids":
        services.consultation_open_bids(consultation=consultation, user=user)
    elif action == "start_analysis":
        services.consultation_start_analysis(consultation=consultation, user=user)
    elif action == "start_negotiation":
        services.consultation_start_negotiation(consultation=consultation, user=user)
    elif action == "declare_unsuccessful":
        services.consultation_declare_unsuccessful(
            consultation=consultation, user=user, reason="Aucune offre acceptable."
        )
    elif action == "cancel":
        services.consultation_cancel(consultation=consultation, user=user, reason="Sans objet.")


def _offered(consultation, action, user):
    if action in ("approve", "request_changes"):
        return (
            consultation.state == ConsultationState.MEMBER_REVIEW
            and member_membership(user, consultation) is not None
        )
    if action == "update":
        return None
    names = [t.name for t in consultation.get_available_user_state_transitions(user)]
    return action in names


@pytest.mark.parametrize(
    "case",
    permission_matrix(states=STATES, actions=ACTIONS, roles=ROLES, allowed=ALLOWED),
)
def test_consultation_actions_follow_the_matrix(world, consultation_in, clock, case):
    consultation = _build(consultation_in, clock, case.state, world)
    assert consultation.state == case.state
    user = world.user(*case.role)

    def snapshot():
        c = Consultation.objects.get(pk=consultation.pk)
        return (c.state, c.title, c.reviews.count(), Entry.objects.count())

    offered = _offered(consultation, case.action, user)
    check_case(
        case,
        run=lambda: _run(consultation, case.action, user),
        snapshot=snapshot,
        offered=None if offered is None else (lambda: offered),
    )


def test_matrix_covers_every_consultation_transition():
    declared = {t.name for t in Consultation().get_all_state_transitions()}
    # mark_ready and send_back run inside the members' review; close runs at the deadline;
    # the award's transitions are in test_award_matrix.py.
    assert declared == (set(ACTIONS) - {"update", "approve", "request_changes"}) | {
        "send_back",
        "mark_ready",
        "close",
        "propose_award",
        "reconsider_award",
        "award",
        "complete",
    }
