"""The associates' proposal pages, for the browser quality suite (see core/registries/pages.py).

The demo (governance/demo.py) holds a proposal in discussion, one in a round of consent, and
one decided: each page is visited on them by a coordinator and by an associate.
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from guichet.core.registries.pages import Page, exempt_url, register
from guichet.governance.demo import ADOPTED_TITLE, DISCUSSION_TITLE, OPEN_TITLE
from guichet.governance.models import Proposal

VIEWERS = ("coordinator", "associate")


def _demo_proposal(title: str) -> Proposal:
    found = Proposal.objects.filter(title=title).order_by("pk").first()
    if found is None:
        raise LookupError(f"No demo proposal is titled {title!r}: load the demo.")
    return found


def _proposal_url(title: str) -> str:
    return reverse("governance:proposal", args=[_demo_proposal(title).reference])


def _latest_version_url() -> str:
    """The latest version of the demo proposal with the most versions (its comparison with
    the one before is shown when there are two or more)."""
    found = Proposal.objects.annotate(count=Count("versions")).order_by("-count", "pk").first()
    if found is None:
        raise LookupError("No demo proposal: load the demo.")
    latest = found.versions.order_by("-number").values_list("number", flat=True).first()
    return reverse("governance:version", args=[found.reference, latest or 1])


register(
    Page(
        "governance-proposals",
        lambda: reverse("governance:proposals"),
        VIEWERS,
        ("governance:proposals",),
    )
)
register(
    Page(
        "governance-proposals-open",
        lambda: reverse("governance:proposals") + "?status=voting",
        ("associate",),
    )
)
register(
    Page(
        "governance-proposal-new",
        lambda: reverse("governance:proposal_new"),
        VIEWERS,
        ("governance:proposal_new",),
    )
)
register(
    Page(
        "governance-proposal-round",
        lambda: _proposal_url(OPEN_TITLE),
        VIEWERS,
        ("governance:proposal",),
    )
)
register(Page("governance-proposal-discussion", lambda: _proposal_url(DISCUSSION_TITLE), VIEWERS))
register(Page("governance-proposal-adopted", lambda: _proposal_url(ADOPTED_TITLE), VIEWERS))
register(
    Page(
        "governance-proposal-amend",
        lambda: reverse("governance:proposal_amend", args=[_demo_proposal(OPEN_TITLE).reference]),
        ("coordinator",),
        ("governance:proposal_amend",),
    )
)
register(Page("governance-version", _latest_version_url, VIEWERS, ("governance:version",)))
register(
    Page(
        "governance-proxies",
        lambda: reverse("governance:proxies"),
        VIEWERS,
        ("governance:proxies",),
    )
)
exempt_url("governance:attachment", "A file download, for those who take part in decisions.")
