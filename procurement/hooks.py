"""What the apps built on consultations add to them (registered in their AppConfig.ready()).

The consultation's state machine runs to the award and the contracts, but this app knows
neither the evaluation nor the contracts: they take part through these hooks.
"""

from core.hooks import Hook, HookTable

publication = Hook(
    "hook(consultation): called inside the publication's transaction (grids are frozen then)."
)
bid_readers = Hook(
    "reader(user, bid) -> bool: who else may read an opened bid's documents (evaluators)."
)
transition_blockers = HookTable(
    "blockers(consultation) -> [str]: why a transition of the consultation cannot run now, "
    "each naming its rule; the transition runs when every registered function finds nothing"
)
evaluation_changed = Hook(
    "on_change(lot, user, what): a value that fed the lot's ranking was corrected (inside the "
    "caller's transaction); what was built on the earlier value is to be redone."
)
consultation_links = Hook(
    "links(request, consultation) -> [Link]: buttons on the consultation's page."
)
consultation_panels = Hook(
    "panel(request, consultation) -> Panel | None: a section of the consultation's page."
)


def blockers(transition: str, consultation) -> list[str]:
    return transition_blockers[transition].collect(consultation)


def no_blockers(transition: str):
    """A transition condition: no registered blocker objects."""

    def condition(consultation) -> bool:
        return not blockers(transition, consultation)

    condition.__name__ = f"no_{transition}_blockers"
    return condition
