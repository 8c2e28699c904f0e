"""Sections that later apps add to an organisation's public profile (directory).

Network comes before missions in the dependency order, so it never imports them: an app
registers a section when it starts (AppConfig.ready), naming its template and a function
that gives the template's context for one organisation. The profile page renders every
registered section, in the order registered, below the organisation's software.

A section is public: it shows only what anyone may read (aggregates, never per client).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class ProfileSection:
    """One section: a stable key, its template, and its context for an organisation (the
    template also receives `organisation`)."""

    key: str
    template: str
    context: Callable[[Any], dict[str, Any]]


_sections: dict[str, ProfileSection] = {}


def register_section(section: ProfileSection) -> None:
    """Add (or replace, by key) a section of the public profile (idempotent)."""
    _sections[section.key] = section


def sections() -> list[ProfileSection]:
    return list(_sections.values())


def sections_render(organisation: Any, request: HttpRequest | None = None) -> list[SafeString]:
    """Every registered section rendered for this organisation, in the order registered."""
    return [
        render_to_string(
            section.template,
            {"organisation": organisation, **section.context(organisation)},
            request=request,
        )
        for section in _sections.values()
    ]
