from django.urls import reverse

from guichet.core.registries.pages import ANONYMOUS, Page, exempt_url, register

register(
    Page(
        "api-docs",
        lambda: reverse("api-1:openapi-view"),
        (ANONYMOUS,),
        ("api-1:openapi-view",),
        weight_exempt=True,
    )
)
exempt_url("api-1:openapi-json", "The OpenAPI document (JSON), not a page.")
# The endpoints answer JSON to programs; list each new one here.
for _name in ("api-root", "me", "tokens", "token_revoke"):
    exempt_url(f"api-1:{_name}", "An endpoint of the JSON API, not a page.")
for _name in (
    "organisations",
    "organisation",
    "organisation_links",
    "organisation_link",
    "software_list",
    "software",
    "links",
    "link_evidence",
):
    exempt_url(f"api-1:{_name}", "An endpoint of the JSON API (network), not a page.")
for _name in (
    "needs_requests",
    "needs_request_status",
    "needs_coordination_requests",
    "needs_coordination_request",
    "needs_coordination_lots",
    "needs_coordination_lot_rank",
    "needs_coordination_lot_shortlist",
    "needs_coordination_request_send",
    "needs_coordination_consortium",
):
    exempt_url(f"api-1:{_name}", "An endpoint of the JSON API (needs), not a page.")
for _name in (
    "missions_list",
    "missions_detail",
    "missions_days",
    "missions_invoices",
    "missions_contributions",
    "missions_evaluation",
):
    exempt_url(f"api-1:{_name}", "An endpoint of the JSON API (missions), not a page.")
for _name in (
    "governance_proposals",
    "governance_proposal",
    "governance_outcome",
    "governance_position",
    "governance_ballot",
):
    exempt_url(f"api-1:{_name}", "An endpoint of the JSON API (governance), not a page.")
