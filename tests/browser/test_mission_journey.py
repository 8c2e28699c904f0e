"""The demo consortium's mission, from its start to its closure, walked in Chromium.

A coordinator starts the mission of the demo's consortium (answered by Libre et Local, the
"member" demo login's organisation, as lead) with development work; the lead's manager sets
it running, records the days delivered this month and logs an upstream contribution, then
delivers it; the client, by the link emailed to it, evaluates the mission without an
account; the member's satisfaction — in matching and on its public profile — counts one
evaluation more; the manager closes the mission, which its contribution allows.

Emails are read in `django.core.mail.outbox`, polled from Python (see test_guichet_journey).
The browser package commits its data: the mission is deleted at the end (its members, days,
evaluation and timeline go with it; its contribution and invoices first, as they protect
it), and so are the rankings made to read matching's satisfaction; every table but the
audit log, the sessions and the network snapshots must hold as many rows as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import ContextFactory, Site
from .test_guichet_journey import (
    field,
    fr,
    link_in_latest_email,
    row_counts,
    starting,
    status_message,
)

pytestmark = pytest.mark.browser

LEAD = "libre-et-local"
CONTRIBUTION_URL = "https://github.com/glpi-project/glpi/pull/990001"


def consortium() -> Any:
    from guichet.needs.demo import CONSORTIUM_TITLE
    from guichet.needs.models import Consortium

    return Consortium.objects.select_related("request").get(request__title=CONSORTIUM_TITLE)


def satisfaction_count() -> int:
    """How many evaluations matching counts for the lead (0 when none)."""
    from guichet.needs.satisfaction import satisfaction_of
    from guichet.network.models import Organisation

    lead = Organisation.objects.get(slug=LEAD)
    found = satisfaction_of([lead.pk], []).get(lead.pk)
    return found.count if found else 0


def ranked_satisfaction(lot: Any) -> dict[str, Any]:
    """The satisfaction component of the lead in a fresh ranking of `lot`, on the index."""
    from guichet.needs.services.matching import lot_rank, run_result
    from guichet.network.models import Organisation

    lead = Organisation.objects.get(slug=LEAD)
    result = run_result(lot_rank(lot=lot))
    entry = next(item for item in result["ranked"] if item["organisation"] == lead.pk)
    return next(c for c in entry["components"] if c["name"] == "satisfaction")


@pytest.fixture
def mission_journey(site: Site, browser: Any) -> Iterator[None]:
    from guichet.missions.models import Contribution, Invoice, Mission
    from guichet.needs.models import MatchingRun

    assert not Mission.objects.filter(consortium=consortium()).exists()
    before = row_counts()
    last_run = MatchingRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        yield
    finally:
        # The rankings the test made to read the lead's satisfaction in matching.
        MatchingRun.objects.filter(pk__gt=last_run).delete()
        missions = Mission.objects.filter(consortium=consortium())
        Contribution.objects.filter(mission__in=missions).delete()
        Invoice.objects.filter(member__mission__in=missions).delete()
        missions.delete()
    after = row_counts()
    changed = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
    assert not changed, f"The journey left rows behind (table: (before, after)): {changed}"


def change_status(page: Any, target: str, label: str) -> None:
    form = page.locator("form").filter(has=page.locator("input[name=action][value=move]"))
    field(form, fr("New status")).select_option(target)
    form.get_by_role("button", name=fr("Change the status")).click()
    expect(status_message(page)).to_have_text(fr("The mission's status is changed."))
    expect(page.locator("#status")).to_have_text(fr(label))


def test_a_consortium_s_mission_runs_to_closure_and_its_evaluation_counts(
    site: Site, new_context: ContextFactory, mission_journey: None
) -> None:
    from guichet.needs.models import Lot

    team = consortium()
    request = team.request
    lot = Lot.objects.filter(request=request, software__slug="glpi").first()
    assert lot is not None
    counted = satisfaction_count()
    assert ranked_satisfaction(lot)["reason"]["params"].get("count", 0) == counted

    # 1. A coordinator starts the mission from the consortium waiting for it.
    coordinator = new_context("coordinator").new_page()
    coordinator.goto(reverse("missions:list"))
    ready = coordinator.get_by_role("region", name=fr("Ready to start"))
    row = ready.get_by_role("row").filter(has_text=request.reference)
    row.get_by_label(fr("includes development work")).check()
    row.get_by_role("button", name=starting(fr("Start the mission"))).click()
    expect(status_message(coordinator)).to_have_text(
        fr("The mission starts: its members are told by email.")
    )
    expect(coordinator.locator("#status")).to_have_text(fr("Planned"))
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(request.title)

    # 2. The lead's manager finds it in its missions and sets it running.
    member = new_context("member").new_page()
    member.goto(reverse("missions:list"))
    member.get_by_role("link", name=re.compile(re.escape(request.title))).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(request.title)
    change_status(member, "running", "Running")

    # 3. It records this month's delivered days, typed the French way.
    member.get_by_text(fr("Record delivered days"), exact=True).click()
    days = member.locator("form").filter(has=member.locator("input[name=action][value=days]"))
    expect(field(days, fr("Organisation"))).to_have_value(re.compile(r"^\d+$"))
    field(days, fr("Month")).fill(timezone.localdate().strftime("%Y-%m"))
    field(days, fr("Person-days delivered")).fill("12,5")
    days.get_by_role("button", name=fr("Record")).click()
    expect(status_message(member)).to_have_text(fr("The delivered days are recorded."))
    members = member.get_by_role("region", name=fr("Members, days and rates"))
    expect(members.locator("tfoot")).to_contain_text("12,5")

    # 4. It logs the contribution made upstream to GLPI during the mission.
    member.get_by_role("link", name=fr("Log an upstream contribution")).click()
    form = member.get_by_role("main").locator("form")
    field(form, fr("Title")).fill("Inventaire : export ODS des postes")
    field(form, fr("Address")).fill(CONTRIBUTION_URL)
    form.get_by_role("button").last.click()
    expect(status_message(member)).to_have_text(
        fr("The contribution to %(project)s is logged.", project="GLPI")
    )
    expect(
        member.get_by_role("link", name="Inventaire : export ODS des postes", exact=True)
    ).to_be_visible()

    # 5. The mission is delivered: the client is asked for its evaluation by email.
    change_status(member, "delivered", "Delivered")
    client = new_context().new_page()
    client.goto(link_in_latest_email(request.contact_email, "missions:evaluation"))
    expect(client.get_by_role("heading", level=1)).to_contain_text(request.title)
    answers = client.get_by_role("main").locator("form").first
    for criterion in ("Quality of the work", "Deadlines kept", "Communication", "Openness"):
        group = answers.get_by_role("group", name=fr(criterion))
        group.get_by_label(fr("5 — excellent")).check()
    answers.get_by_role(
        "group", name=fr("Would you recommend the members who worked on this mission?")
    ).get_by_label(fr("Yes")).check()
    field(answers, fr("Comment (optional)")).fill("Très bon travail, livré à temps.")
    answers.get_by_role("button", name=fr("Send my evaluation")).click()
    expect(client.get_by_role("heading", name=fr("Your evaluation"))).to_be_visible()

    # 6. Matching counts one evaluation more for the lead, and so does its public profile.
    assert satisfaction_count() == counted + 1
    assert ranked_satisfaction(lot)["reason"]["params"]["count"] == counted + 1
    public = new_context().new_page()
    public.goto(reverse("network:organisation", args=[LEAD]))
    section = public.get_by_role("region", name=fr("Client satisfaction"))
    expect(section).to_contain_text(f"({counted + 1} ")

    # 7. Evaluated, with its contribution logged, the mission closes.
    member.reload()
    expect(member.locator("#status")).to_have_text(fr("Evaluated by the client"))
    change_status(member, "closed", "Closed")
