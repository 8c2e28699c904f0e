"""The page registry: every page of the site, listed once, for the browser quality suite.

Each app declares its pages in its own `pages.py` (found at start-up by CoreConfig).
A page names who views it and how to build its URL from the demo data; the browser suite
visits every page in both languages and checks accessibility and weight budgets, and a test
fails when a URL pattern is neither registered nor listed as exempt with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANONYMOUS = "anonymous"

# Who can view a page in the browser suite: a demo login key (see each app's demo.py) or anonymous.
Viewer = str


@dataclass(frozen=True)
class Page:
    """One page: a stable key, how to get its path, and who looks at it."""

    key: str
    path: Callable[[], str]
    viewers: tuple[Viewer, ...] = (ANONYMOUS,)
    # Patterns this page stands for, so the coverage test knows they are covered.
    url_names: tuple[str, ...] = ()
    # Pages exempt from the weight budgets (the admin, the API's interactive docs).
    weight_exempt: bool = False
    # Extra set-up the browser needs before the visit (e.g. a pending login stage).
    prepare: Callable[[Any], None] | None = None


@dataclass
class PageRegistry:
    pages: dict[str, Page] = field(default_factory=dict)
    exempt: dict[str, str] = field(default_factory=dict)

    def register(self, page: Page) -> Page:
        if page.key in self.pages:
            raise ValueError(f"Page {page.key!r} is registered twice.")
        self.pages[page.key] = page
        return page

    def exempt_url(self, url_name: str, reason: str) -> None:
        """A URL pattern that is no page (a POST endpoint, a file download), and why."""
        self.exempt[url_name] = reason

    def covered_url_names(self) -> set[str]:
        names = {name for page in self.pages.values() for name in page.url_names}
        return names | set(self.exempt)


registry = PageRegistry()
register = registry.register
exempt_url = registry.exempt_url
