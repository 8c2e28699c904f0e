"""Every URL pattern of the site is a registered page or is exempt with a reason.

No browser needed: this walks the URL resolver of config.urls and compares it with the page
registry, so a new page cannot escape the browser suite's budgets unnoticed.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from guichet.core.registries.pages import registry


def named_url_patterns(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = ""
) -> dict[str, str]:
    """Every named pattern, as "namespace:name" → the route it answers."""
    if patterns is None:
        patterns = get_resolver("config.urls").url_patterns
    names: dict[str, str] = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            for name, route in named_url_patterns(pattern.url_patterns, inner).items():
                names[name] = f"{pattern.pattern}{route}"
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            names.setdefault(name, str(pattern.pattern))
    return names


def test_every_named_url_is_a_registered_page_or_exempt() -> None:
    uncovered = sorted(set(named_url_patterns()) - registry.covered_url_names())
    routes = named_url_patterns()
    assert not uncovered, (
        "These URL patterns are neither a registered page nor exempt. Register each page in its "
        "app's pages.py (Page(..., url_names=(name,))), or exempt it with a reason "
        "(exempt_url(name, reason)):\n"
        + "\n".join(f"  {name}  ({routes[name]})" for name in uncovered)
    )


def test_registered_url_names_exist() -> None:
    known = set(named_url_patterns())
    stale = sorted(
        f"{page.key}: {name}"
        for page in registry.pages.values()
        for name in page.url_names
        if name not in known
    )
    assert not stale, "Pages name URL patterns that do not exist:\n" + "\n".join(stale)


def test_exemptions_name_existing_urls_and_give_a_reason() -> None:
    known = set(named_url_patterns())
    assert not sorted(set(registry.exempt) - known), "Exempt URL names that no longer exist."
    assert all(reason.strip() for reason in registry.exempt.values())


def test_a_url_is_either_a_page_or_exempt_never_both() -> None:
    paged = {name for page in registry.pages.values() for name in page.url_names}
    assert not sorted(paged & set(registry.exempt))


def test_every_page_has_a_viewer() -> None:
    assert all(page.viewers for page in registry.pages.values())
