"""The public decision log's pages, for the browser quality suite (see
core/registries/pages.py). Everyone reads them, signed in or not."""

from django.urls import reverse

from guichet.core.registries.pages import ANONYMOUS, Page, exempt_url, register
from guichet.governance.demo import ADOPTED_TITLE
from guichet.governance.models import Proposal


def _demo_adopted() -> str:
    """The reference of the demo's decided (adopted, by consent) proposal."""
    found = Proposal.objects.filter(title=ADOPTED_TITLE).order_by("pk").first()
    if found is None:
        raise LookupError("The demo has no adopted proposal: load the demo.")
    return found.reference


register(Page("decision-log", lambda: reverse("governance:log"), (ANONYMOUS,), ("governance:log",)))
register(Page("decision-log-adopted", lambda: reverse("governance:log") + "?outcome=adopted"))
register(
    Page(
        "decision-log-entry",
        lambda: reverse("governance:log_entry", args=[_demo_adopted()]),
        (ANONYMOUS,),
        ("governance:log_entry",),
    )
)
register(
    Page(
        "how-we-decide",
        lambda: reverse("governance:rules"),
        (ANONYMOUS,),
        ("governance:rules",),
    )
)
exempt_url("governance:feed_rss", "A feed (RSS), read by feed readers: XML, not a page.")
exempt_url("governance:feed_atom", "A feed (Atom), read by feed readers: XML, not a page.")
exempt_url("governance:export_csv", "An open-data download (CSV), not a page.")
exempt_url("governance:export_ods", "An open-data download (ODS), not a page.")
