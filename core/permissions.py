"""Object permissions as django-guardian keeps them, read once per person and page.

The checker is cached on the user object so that prefetched permissions serve a whole page;
`run_transition` forgets it before deciding, so a decision never rests on a stale cache.

Superusers administer reference data and accounts; on business objects they hold only the
roles given to them, like anybody else: guardian's superuser bypass is switched off here, the
one place that reads object permissions.
"""

import copy

from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

# What a person object may carry between two decisions; see forget_cached_perms.
_CACHES = ("_perm_checker", "_roles_cache")


def _as_anybody(user):
    """The same person without the superuser flag, which guardian's checker obeys blindly."""
    if not user.is_superuser:
        return user
    plain = copy.copy(user)
    plain.is_superuser = False
    return plain


def checker_for(user) -> ObjectPermissionChecker:
    checker = getattr(user, "_perm_checker", None)
    if checker is None:
        checker = ObjectPermissionChecker(_as_anybody(user))
        user._perm_checker = checker
    return checker


def objects_for_user(user, perm: str, klass):
    """The objects of `klass` on which the user holds `perm` through a role, a queryset."""
    return get_objects_for_user(
        user, perm, klass=klass, accept_global_perms=False, with_superuser=False
    )


def has_object_perm(user, perm: str, obj) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return checker_for(user).has_perm(perm, obj)


def cached_on_user(user, name: str, compute):
    """compute() once per user object; forgotten with the permissions."""
    if name not in _CACHES:
        raise ValueError(f"{name} is not a known per-user cache")
    value = user.__dict__.get(name)
    if value is None:
        value = compute()
        user.__dict__[name] = value
    return value


def forget_cached_perms(user) -> None:
    for attr in _CACHES:
        user.__dict__.pop(attr, None)
