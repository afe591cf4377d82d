"""A permission-matrix helper: state x action x role -> allowed or refused.

Declare what is allowed; `each_state` and `each_action_and_role` (or `permission_matrix`, when
each case builds its own state) expand every combination into pytest params, and `check_case`
runs one: an allowed action must change the database, a refused one must raise
PermissionDenied or a BusinessRuleError and leave the database exactly as it was. The UI flag
(`offered`, which drives the buttons) must agree with the outcome.
"""

import contextlib
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied

from core.workflow import BusinessRuleError
from tests.conftest import rolled_back


@dataclass(frozen=True)
class Case:
    state: str
    action: str
    role: tuple  # (organisation key, role)
    allowed: bool


def each_state(states, fixture="built"):
    """Parametrizes the module-scoped `fixture` with `states`: pytest builds each state once
    (see tests/conftest.py) and runs every case of it before building the next."""
    return pytest.mark.parametrize(fixture, states, indirect=True, scope="module")


def each_action_and_role(actions, roles):
    return pytest.mark.parametrize(
        ("action", "role"),
        [pytest.param(a, r, id=f"{a}-{r[0]}.{r[1]}") for a in actions for r in roles],
    )


def case_of(state, action, role, allowed) -> Case:
    """allowed: {action: {(state, role), ...}}; every other combination must be refused."""
    return Case(state, action, role, (state, role) in allowed.get(action, set()))


class Chain:
    """States that each add one step to the previous one, built in order once each.

    `reach(state)` runs the steps from the state reached so far; asked for an earlier state, it
    rolls back to the first one and starts again. The cases of a state run in their own
    savepoints, so they leave the chain where it was."""

    def __init__(self, states, advance):
        self.states, self.advance = states, advance
        self.reached, self.stack = 0, None

    def reach(self, state):
        target = self.states.index(state)
        if self.stack is None or target < self.reached:
            self.close()
            self.stack = contextlib.ExitStack()
            self.stack.enter_context(rolled_back())
            self.reached = 0
        for step in self.states[self.reached + 1 : target + 1]:
            self.advance(step)
        self.reached = target

    def close(self):
        if self.stack is not None:
            self.stack.close()
            self.stack = None


def permission_matrix(*, states, actions, roles, allowed):
    """allowed: {action: {(state, role), ...}}; every other combination must be refused."""
    return [
        pytest.param(
            Case(state, action, role, (state, role) in allowed.get(action, set())),
            id=f"{state}-{action}-{role[0]}.{role[1]}",
        )
        for state in states
        for action in actions
        for role in roles
    ]


def check_case(case: Case, *, run, snapshot, offered=None, before=None):
    """`before`: the snapshot, when the caller knows it (every case of a state starts from the
    same one)."""
    before = snapshot() if before is None else before
    if offered is not None:
        assert offered() == case.allowed, f"button offered should be {case.allowed}"
    if case.allowed:
        run()
        assert snapshot() != before, "an allowed action must change something"
    else:
        with pytest.raises((PermissionDenied, BusinessRuleError)):
            run()
        assert snapshot() == before, "a refused action must change nothing"
