"""Sections that later apps add to an earlier app's page, without that app importing them.

An app earlier in the dependency order names its extensible pages (e.g. "organisation
profile", "request follow-up"); a later app registers a section for one when it starts
(AppConfig.ready), naming its template and a function giving the template's context for
the page's object. The page renders every section registered for it, in that order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

ORGANISATION_PROFILE = "network.organisation_profile"  # public: aggregates only
REQUEST_FOLLOW = "needs.request_follow"  # the client's private follow-up page


@dataclass(frozen=True)
class Section:
    """One section: a stable key, its template, and its context for the page's object (the
    template also receives the object, under the name the page gives it)."""

    key: str
    template: str
    context: Callable[[Any], dict[str, Any]]


_sections: dict[str, dict[str, Section]] = defaultdict(dict)


def register_section(page: str, section: Section) -> None:
    """Add (or replace, by key) a section of `page` (idempotent)."""
    _sections[page][section.key] = section


def sections_render(
    page: str, subject: Any, *, name: str, request: HttpRequest | None = None
) -> list[SafeString]:
    """Every section registered for `page`, rendered for `subject` (`name` in templates)."""
    return [
        render_to_string(
            section.template, {name: subject, **section.context(subject)}, request=request
        )
        for section in _sections[page].values()
    ]
