"""A permission-matrix helper: state x action x role -> allowed or refused.

Declare what is allowed; `permission_matrix` expands every combination into pytest params,
and `check_case` runs one: an allowed action must change the database, a refused one must raise
PermissionDenied or a BusinessRuleError and leave the database exactly as it was. The UI flag
(`offered`, which drives the buttons) must agree with the outcome.
"""

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied

from core.workflow import BusinessRuleError


@dataclass(frozen=True)
class Case:
    state: str
    action: str
    role: tuple  # (organisation key, role)
    allowed: bool


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


def check_case(case: Case, *, run, snapshot, offered=None):
    before = snapshot()
    if offered is not None:
        assert offered() == case.allowed, f"button offered should be {case.allowed}"
    if case.allowed:
        run()
        assert snapshot() != before, "an allowed action must change something"
    else:
        with pytest.raises((PermissionDenied, BusinessRuleError)):
            run()
        assert snapshot() == before, "a refused action must change nothing"
