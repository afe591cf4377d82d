import pytest

from core import clock as server_clock
from groupement.models import Role
from journal.models import Entry
from procurement import services
from procurement.access import member_membership
from procurement.models import Consultation, ConsultationState
from tests.conftest import rolled_back
from tests.fixtures_procurement import build_consultation, terms
from tests.groupement.test_permission_matrix import MANAGER, ROLES
from tests.matrix import case_of, check_case, each_action_and_role, each_state

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


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture(scope="module")
def built(request, module_world):
    """The consultation in the state `request.param`, built once for all its cases."""
    state = request.param
    with rolled_back():
        world = module_world.fresh()
        world.ours_in("in_force")
        if state in ("closed", "opened", "analysis"):
            consultation = build_consultation(world, ConsultationState.PUBLISHED)
            server_clock.move(days=41)
            services.consultations_close_due()
            if state in ("opened", "analysis"):
                services.consultation_open_bids(consultation=consultation, user=world.coordinator())
            if state == "analysis":
                services.consultation_start_analysis(
                    consultation=consultation, user=world.coordinator()
                )
        elif state == "draft":
            consultation = build_consultation(world, "draft_with_documents")
        else:
            consultation = build_consultation(world, state)
        consultation.refresh_from_db()
        assert consultation.state == state
        yield consultation.pk


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


@each_state(STATES)
@each_action_and_role(ACTIONS, ROLES)
def test_consultation_actions_follow_the_matrix(world, built, action, role):
    consultation = Consultation.objects.get(pk=built)
    case = case_of(consultation.state, action, role, ALLOWED)
    user = world.user(*role)

    def snapshot():
        c = Consultation.objects.get(pk=consultation.pk)
        return (c.state, c.title, c.reviews.count(), Entry.objects.count())

    offered = _offered(consultation, action, user)
    check_case(
        case,
        run=lambda: _run(consultation, action, user),
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
