"""Running one state-machine transition the way every service must.

Permission first (PermissionDenied, a 403), then the state and the conditions (a
BusinessRuleError whose messages name the rule), then the transition and the save, then the
journal entry. Callers hold `transaction.atomic()` and a fresh copy of the object from
`locked()`.
"""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from core.hooks import Hook
from core.permissions import forget_cached_perms

transition_recorders = Hook(
    "recorder(actor=, obj=, action=, from_state=, to_state=, reason=) writes each transition "
    "down; the journal app registers its own when it starts, so this layer stays below it."
)


class BusinessRuleError(Exception):
    """A refusal a user can act on; `messages` are French sentences naming the rule."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(" ".join(self.messages))


def refuse_if(errors) -> None:
    """Raises the errors of a rule function, if it found any."""
    if errors:
        raise BusinessRuleError(errors)


def locked(queryset, pk):
    """A fresh copy of one row, locked until the transaction ends.

    `queryset` is a model or a queryset with its select_related; only the row itself is
    locked (PostgreSQL refuses FOR UPDATE on the nullable side of an outer join).
    """
    queryset = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    return queryset.select_for_update(of=("self",)).get(pk=pk)


def state_label(model, state) -> str:
    return str(dict(model._meta.get_field("state").choices).get(state, state))


def run_transition(obj, method_name, user, *, action, reason="", blockers=None, **kwargs):
    """Runs `obj.method_name(**kwargs)` for `user`, saves and journals it.

    `blockers()` says in the user's words why the conditions refuse, when they do.
    `user=None` is the system acting on its own (the closing at the deadline).
    """
    if not transition_recorders:
        raise ImproperlyConfigured("No journal records the transitions (is `journal` installed?)")
    method = getattr(obj, method_name)
    if user is not None:
        forget_cached_perms(user)
    meta = method._django_fsm
    field = meta.field
    current = getattr(obj, field.name)
    # Every source state of a transition shares its permission: check it whatever the state.
    if not next(iter(meta.transitions.values())).has_perm(obj, user):
        raise PermissionDenied
    if not meta.has_transition(current):
        raise BusinessRuleError(
            _("This action is not possible now: %(model)s in the state “%(state)s”.")
            % {
                "model": obj._meta.verbose_name,
                "state": dict(field.choices).get(current, current),
            }
        )
    if not can_proceed(method):
        raise BusinessRuleError(
            (blockers() if blockers else None) or [_("This action is not possible now.")]
        )
    try:
        method(**kwargs)
        obj.save()
    except ConcurrentTransition:
        raise BusinessRuleError(
            _("Someone changed this %(model)s meanwhile; reload the page and try again.")
            % {"model": obj._meta.verbose_name}
        ) from None
    for record in transition_recorders:
        record(
            actor=user,
            obj=obj,
            action=action,
            from_state=current,
            to_state=getattr(obj, field.name),
            reason=reason,
        )
    return obj
