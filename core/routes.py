"""Every URL pattern of the site, and a pattern filled in with values: what the crawls and the
page benchmark request."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

ROUTE_ARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
REGEX_ARG = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _patterns(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace, entry.name, prefix + str(entry.pattern)


def all_routes() -> list[tuple[str, str, str]]:
    """(namespace, name, route) of every pattern."""
    return list(_patterns(get_resolver().url_patterns))


def route_arguments(route: str) -> set[str]:
    return {m["name"] for m in ROUTE_ARG.finditer(route)} | {
        m["name"] for m in REGEX_ARG.finditer(route)
    }


def fill(route, values):
    """Turn a route (path() or re_path() syntax) into a URL, or raise KeyError for an unknown
    argument."""
    url = ROUTE_ARG.sub(lambda m: str(values[m["name"]]), route)
    url = REGEX_ARG.sub(lambda m: str(values[m["name"]]), url)
    url = url.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + url.lstrip("/")
