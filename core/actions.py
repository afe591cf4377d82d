"""The steps a person may take on an object, worked out once for its page and « Mes actions »."""

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass
class Action:
    """A step this person may take now: a button on the object's page and, when the step
    waits on them (`pending`), a line of « Mes actions »."""

    name: str
    label: str
    url: str
    subject: str = ""
    pending: bool = False
    # A form-less step posted by a button, rather than a page with its form.
    post: bool = False
    # The object it acts on when a page lists several (an amendment of a contract).
    target: Any = None
    # Why it cannot be taken yet, each naming its rule: the page shows them instead of the
    # button, « Mes actions » still lists the step.
    blockers: list = field(default_factory=list)


def pending(actions) -> list[Action]:
    return [action for action in actions if action.pending]


def listed(actions, page: str) -> list[Action]:
    """The pending steps of `actions` as « Mes actions » lists them: a step taken by a button
    (a form posted from the object's page) leads to `page`, where the button and the step's
    blockers show, never to its POST-only address."""
    return [replace(a, url=page, post=False) if a.post else a for a in pending(actions)]
