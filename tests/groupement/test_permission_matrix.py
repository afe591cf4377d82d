import datetime

import pytest

from groupement import services
from groupement.models import GroupementState, Role
from groupement.selectors import available_actions
from journal.models import Entry
from tests.factories import deliberate, pdf, sign, terms
from tests.matrix import check_case, permission_matrix

ROLES = [(org, role) for org in ("COORD", "M1") for role in Role] + [
    ("OUT1", Role.GESTIONNAIRE),
    ("OUT1", Role.REFERENT),
]
MANAGER = ("COORD", Role.GESTIONNAIRE)

GROUPEMENT_STATES = ["draft", "deliberating", "deliberating_all_signed", "in_force", "dissolved"]
GROUPEMENT_ACTIONS = ["update", "submit_to_members", "put_in_force", "dissolve"]
GROUPEMENT_ALLOWED = {
    "update": {("draft", MANAGER)},
    "submit_to_members": {("draft", MANAGER)},
    "put_in_force": {("deliberating_all_signed", MANAGER)},
    "dissolve": {("in_force", MANAGER)},
}


def _groupement_in(world, state):
    if state == "deliberating_all_signed":
        world.ours_in(GroupementState.DELIBERATING)
        world.sign_all()
        world.ours.refresh_from_db()
        return world.ours
    return world.ours_in(state)


def _groupement_snapshot(world):
    g = type(world.ours).objects.get(pk=world.ours.pk)
    return (
        g.state,
        g.name,
        tuple(g.memberships.order_by("pk").values_list("state", "share")),
        Entry.objects.count(),
    )


def _run_groupement_action(world, groupement, action, user):
    if action == "update":
        services.groupement_update(
            groupement=groupement,
            user=user,
            terms=terms(
                coordinator_people={r: world.user("COORD", r) for r in Role},
                members=[(m.organisation, m.share) for m in groupement.memberships.all()],
                name="Nouveau nom",
            ),
        )
    elif action == "submit_to_members":
        services.groupement_submit(groupement=groupement, user=user)
    elif action == "put_in_force":
        services.groupement_put_in_force(groupement=groupement, user=user)
    elif action == "dissolve":
        services.groupement_dissolve(groupement=groupement, user=user, reason="Fin de l'objet.")


@pytest.mark.parametrize(
    "case",
    permission_matrix(
        states=GROUPEMENT_STATES,
        actions=GROUPEMENT_ACTIONS,
        roles=ROLES,
        allowed=GROUPEMENT_ALLOWED,
    ),
)
def test_groupement_transitions_follow_the_matrix(world, case):
    groupement = _groupement_in(world, case.state)
    user = world.user(*case.role)
    offered = None
    if case.action != "update":

        def offered():
            return case.action in available_actions(groupement, user)

    check_case(
        case,
        run=lambda: _run_groupement_action(world, groupement, case.action, user),
        snapshot=lambda: _groupement_snapshot(world),
        offered=offered,
    )


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


@pytest.mark.parametrize(
    "case",
    permission_matrix(
        states=MEMBERSHIP_STATES,
        actions=MEMBERSHIP_ACTIONS,
        roles=ROLES,
        allowed=MEMBERSHIP_ALLOWED,
    ),
)
def test_membership_transitions_follow_the_matrix(world, case):
    membership = _membership_in(world, case.state)
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


def test_matrix_covers_every_declared_transition():
    """A transition added to a model later must be added to the matrix too."""
    from groupement.models import Groupement, Membership

    declared = {t.name for t in Groupement.get_all_state_transitions(Groupement())}
    assert declared == set(GROUPEMENT_ACTIONS) - {"update"}
    declared = {t.name for t in Membership().get_all_state_transitions()}
    assert declared == set(MEMBERSHIP_ACTIONS)
