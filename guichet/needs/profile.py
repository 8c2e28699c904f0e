"""On a member's public profile, the way to ask that member: the request form with the
member named (`/demande/?membre=<slug>`). The network's profile page cannot link the
guichet itself, which comes later in the dependency order: it renders this section."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from guichet.core.registries.sections import ORGANISATION_PROFILE, Section, register_section
from guichet.needs.forms_intake import MEMBER_PARAMETER


def ask_context(organisation: Any) -> dict[str, Any]:
    url = f"{reverse('needs:request_new')}?{MEMBER_PARAMETER}={organisation.slug}"
    return {"ask_url": url}


def connect() -> None:
    """From NeedsConfig.ready() (idempotent)."""
    register_section(
        ORGANISATION_PROFILE,
        Section(key="needs.ask", template="needs/intake/profile_section.html", context=ask_context),
    )
