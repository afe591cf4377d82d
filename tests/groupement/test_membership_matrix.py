"""The permission matrix of a member's answer: deliberation, signature, withdrawal.

(Its own module: each module builds one kind of state at a time, see tests/conftest.py.)
"""

import datetime

import pytest

from groupement import services
from groupement.models import GroupementState, Membership, Role
from groupement.selectors import available_actions
from journal.models import Entry
from tests.conftest import rolled_back
from tests.factories import deliberate, pdf, sign
from tests.groupement.test_permission_matrix import ROLES
from tests.matrix import case_of, check_case, each_action_and_role, each_state


@pytest.fixture
def world(shared_world):
    return shared_world


MEMBERSHIP_STATES = [
    "invited_in_draft",
    "invited",
    "deliberated",
    "signed",
    "withdrawn",
    "signed_in_force",
]
MEMBERSHIP_ACTIONS = ["record_deliberation", "sign", "withdraw"]
OWN_REFERENT = ("M1", Role.REFERENT)
MEMBERSHIP_ALLOWED = {
    "record_deliberation": {("invited", OWN_REFERENT)},
    "sign": {("deliberated", OWN_REFERENT)},
    "withdraw": {("invited", OWN_REFERENT), ("deliberated", OWN_REFERENT)},
}


def _membership_in(world, state):
    referent = world.user(*OWN_REFERENT)
    if state == "invited_in_draft":
        return world.membership("M1")
    if state == "signed_in_force":
        world.ours_in(GroupementState.IN_FORCE)
        return world.membership("M1")
    world.ours_in(GroupementState.DELIBERATING)
    membership = world.membership("M1")
    if state in ("deliberated", "signed"):
        membership = deliberate(membership, referent)
    if state == "signed":
        membership = sign(membership, referent)
    if state == "withdrawn":
        membership = services.membership_withdraw(
            membership=membership, user=referent, reason="Projet abandonné."
        )
    assert membership.state == state.removesuffix("_in_draft").removesuffix("_in_force")
    return membership


def _run_membership_action(membership, action, user):
    if action == "record_deliberation":
        services.membership_record_deliberation(
            membership=membership,
            user=user,
            number="D-1",
            date=datetime.date(2024, 5, 2),
            document=pdf(),
        )
    elif action == "sign":
        services.membership_sign(
            membership=membership, user=user, signed_on=datetime.date(2024, 5, 9)
        )
    elif action == "withdraw":
        services.membership_withdraw(membership=membership, user=user, reason="Retrait voté.")


@pytest.fixture(scope="module")
def membership_built(request, module_world):
    with rolled_back():
        _membership_in(module_world.fresh(), request.param)
        yield request.param


@each_state(MEMBERSHIP_STATES, "membership_built")
@each_action_and_role(MEMBERSHIP_ACTIONS, ROLES)
def test_membership_transitions_follow_the_matrix(world, membership_built, action, role):
    case = case_of(membership_built, action, role, MEMBERSHIP_ALLOWED)
    membership = world.membership("M1")
    user = world.user(*case.role)

    def snapshot():
        m = type(membership).objects.get(pk=membership.pk)
        return (m.state, m.decision_number, m.signed_on, m.withdrawal_reason, Entry.objects.count())

    check_case(
        case,
        run=lambda: _run_membership_action(membership, case.action, user),
        snapshot=snapshot,
        offered=lambda: case.action in available_actions(membership, user),
    )


def test_matrix_covers_every_membership_transition():
    declared = {t.name for t in Membership().get_all_state_transitions()}
    assert declared == set(MEMBERSHIP_ACTIONS)
