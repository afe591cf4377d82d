import pytest

from groupement import services
from groupement.models import GroupementState, Role
from groupement.selectors import available_actions
from journal.models import Entry
from tests.conftest import rolled_back
from tests.factories import terms
from tests.matrix import case_of, check_case, each_action_and_role, each_state

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


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture(scope="module")
def groupement_built(request, module_world):
    with rolled_back():
        _groupement_in(module_world.fresh(), request.param)
        yield request.param


@each_state(GROUPEMENT_STATES, "groupement_built")
@each_action_and_role(GROUPEMENT_ACTIONS, ROLES)
def test_groupement_transitions_follow_the_matrix(world, groupement_built, action, role):
    case = case_of(groupement_built, action, role, GROUPEMENT_ALLOWED)
    groupement = world.ours
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


def test_matrix_covers_every_declared_transition():
    """A transition added to a model later must be added to the matrix too."""
    from groupement.models import Groupement

    declared = {t.name for t in Groupement.get_all_state_transitions(Groupement())}
    assert declared == set(GROUPEMENT_ACTIONS) - {"update"}
