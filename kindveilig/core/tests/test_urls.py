"""Every named URL resolves to itself: no pattern shadows another, so the order of
``config/urls.py`` (the busiest first) is free to follow speed."""

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter

SAMPLE = {IntConverter: 7}


def _named_patterns(patterns, namespace="", prefix=""):
    """(name, full route, converters) of every named pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            converters = dict(entry.pattern.converters)
            route = prefix + str(entry.pattern)
            for name, full, outer in _named_patterns(entry.url_patterns, inner, route):
                yield name, full, {**converters, **outer}
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.pattern.converters


def test_each_named_url_resolves_to_its_own_pattern() -> None:
    checked = 0
    for name, route, converters in _named_patterns(get_resolver().url_patterns):
        kwargs = {key: SAMPLE.get(type(conv), "x") for key, conv in converters.items()}
        url = reverse(name, kwargs=kwargs)
        # The API names one route per method (list and create): the route must be its own.
        assert resolve(url).route == route, url
        checked += 1
    assert checked > 60
