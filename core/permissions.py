"""Object permissions as django-guardian keeps them, read once per person and page.

The checker is cached on the user object so that prefetched permissions serve a whole page;
`run_transition` forgets it before deciding, so a decision never rests on a stale cache.
"""

from guardian.core import ObjectPermissionChecker

# What a person object may carry between two decisions; see forget_cached_perms.
_CACHES = ("_perm_checker", "_roles_cache")


def checker_for(user) -> ObjectPermissionChecker:
    checker = getattr(user, "_perm_checker", None)
    if checker is None:
        checker = ObjectPermissionChecker(user)
        user._perm_checker = checker
    return checker


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
