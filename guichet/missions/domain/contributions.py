"""Upstream contributions, as pure rules: what the public may see of one.

Confidential work may carry an embargo date: until then the public sees only that a
contribution to the project exists ("a contribution to X"), without its link or title.
"""

from __future__ import annotations

from datetime import date

KINDS = ("patch", "issue", "documentation", "translation", "release", "security_report")
STATUSES = ("proposed", "merged", "rejected", "withdrawn")


def is_public(*, embargo_until: date | None, today: date) -> bool:
    """Whether the contribution's link and title may be shown to the public today."""
    return embargo_until is None or embargo_until <= today


def url_refusal(url: str) -> str | None:
    """None for an http(s) address with a host, else the code of what is wrong."""
    lowered = url.strip().lower()
    if not (lowered.startswith("http://") or lowered.startswith("https://")):
        return "url_not_http"
    rest = lowered.split("://", 1)[1]
    if not rest or rest.startswith("/"):
        return "url_not_http"
    return None


def url_key(url: str) -> str:
    """The address as compared for duplicates: no trailing slash or fragment, scheme and
    host in lower case."""
    address = url.strip().split("#", 1)[0].rstrip("/")
    scheme, _, rest = address.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"
