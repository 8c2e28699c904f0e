"""Upstream contributions, through their services and selectors: logged once per address on
a mission of one's own organisation, merged with an email to the members who did not opt
out, shown publicly only after their embargo date, counted by project and member; and the
rule that a mission with development work closes only with a contribution or an approved
justification, end to end through mission_move."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from guichet.accounts.models import NotificationOptOut
from guichet.core.models import AuditEntry
from guichet.missions import notifications
from guichet.missions.messages import error_message
from guichet.missions.models import Contribution, Mission, MissionEvent, MissionStatus
from guichet.missions.selectors_contributions import (
    contribution_section,
    given_back,
    public_contributions,
    public_view,
)
from guichet.missions.services.common import MissionError
from guichet.missions.services.contributions import (
    contribution_add,
    contribution_update,
    justification_approve,
    justification_submit,
)
from guichet.missions.services.missions import mission_from_consortium, mission_move
from guichet.needs.models import Consortium
from guichet.network.models import Organisation, Software

pytestmark = pytest.mark.django_db

LEAD = "libre-et-local"
OUTSIDER = "atelier-du-code-commun"
REASON = (
    "Only configuration of GLPI was done, nothing reusable upstream: the client's "
    "inventory rules are specific to its sites."
)


def consortium_mission(coordinator: Any, *, development: bool = True) -> Mission:
    """The demo consortium's mission, planned, without contributions nor justification."""
    consortium = Consortium.objects.order_by("pk").first()
    assert consortium is not None, "the demo has a consortium"
    mission = Mission.objects.filter(consortium=consortium).first()
    if mission is None:
        mission = mission_from_consortium(
            consortium=consortium, by=coordinator, includes_development=development
        )
    else:  # a demo that already started it: bring it back to a fresh start
        Contribution.objects.filter(mission=mission).delete()
        Mission.objects.filter(pk=mission.pk).update(
            status=MissionStatus.PLANNED,
            includes_development=development,
            justification="",
            justification_approved_at=None,
        )
        mission.refresh_from_db()
    return mission


@pytest.fixture
def mission(demo: dict[str, Any]) -> Mission:
    return consortium_mission(demo["coordinator"])


def glpi() -> Software:
    return Software.objects.get(slug="glpi")


def lead() -> Organisation:
    return Organisation.objects.get(slug=LEAD)


def add(mission: Mission, by: Any, **fields: Any) -> Contribution:
    values: dict[str, Any] = {
        "organisation": lead(),
        "software": glpi(),
        "kind": "patch",
        "title": "Fix the CSV export of tickets",
        "url": "https://github.com/glpi-project/glpi/pull/101",
    }
    values.update(fields)
    return contribution_add(mission=mission, by=by, **values)


def refused(code: str) -> Any:
    return pytest.raises(MissionError, match=f"^{code}$")


# --- Logging --------------------------------------------------------------------------------


def test_a_member_logs_a_contribution_on_the_timeline(demo: Any, mission: Mission) -> None:
    contribution = add(mission, demo["member"])
    assert contribution.url_key == "https://github.com/glpi-project/glpi/pull/101"
    assert contribution.status == "proposed"
    assert contribution.merged_at is None
    assert contribution.created_by == demo["member"]
    event = MissionEvent.objects.filter(mission=mission, kind="contribution_added").get()
    assert event.data["organisation"] == lead().name
    assert event.by == demo["member"]


def test_the_same_address_is_refused_however_it_is_written(demo: Any, mission: Mission) -> None:
    add(mission, demo["member"])
    with refused("url_duplicate"):
        add(mission, demo["member"], url="HTTPS://GitHub.com/glpi-project/glpi/pull/101/#top")
    assert Contribution.objects.filter(mission=mission).count() == 1
    with translation.override("en"):
        assert "already logged" in error_message("url_duplicate")


def test_a_duplicate_logged_meanwhile_is_refused_by_the_database_too(
    demo: Any, mission: Mission, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guichet.missions.services import contributions

    add(mission, demo["member"])
    # Two people log the same address at once: both passed the check before either saved.
    monkeypatch.setattr(contributions, "contribution_url_refusal", lambda url: None)
    with refused("url_duplicate"):
        add(mission, demo["associate"])
    assert Contribution.objects.filter(mission=mission).count() == 1


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/patch.diff", "javascript:alert(1)", "github.com/x/y/pull/1", "https://"],
)
def test_an_address_that_is_not_http_is_refused(demo: Any, mission: Mission, url: str) -> None:
    with refused("url_not_http"):
        add(mission, demo["member"], url=url)
    assert not Contribution.objects.filter(mission=mission).exists()


def test_an_organisation_outside_the_mission_cannot_log_on_it(demo: Any, mission: Mission) -> None:
    with refused("organisation_not_member"):
        add(mission, demo["member_other"], organisation=Organisation.objects.get(slug=OUTSIDER))


def test_a_cancelled_mission_takes_no_contribution(demo: Any, mission: Mission) -> None:
    mission_move(mission=mission, target="cancelled", by=demo["coordinator"])
    mission.refresh_from_db()
    with refused("contributions_not_open"):
        add(mission, demo["member"])


def test_a_blank_title_is_refused(demo: Any, mission: Mission) -> None:
    with refused("contribution_title_missing"):
        add(mission, demo["member"], title="   ")


# --- Merged, and who is told ----------------------------------------------------------------


def test_merging_tells_the_members_who_did_not_opt_out(
    demo: Any, mission: Mission, django_capture_on_commit_callbacks: Any
) -> None:
    contribution = add(mission, demo["member"])
    NotificationOptOut.objects.create(
        person=demo["associate"], kind=notifications.CONTRIBUTION_MERGED
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contribution_update(
            contribution=contribution, status="merged", embargo_until=None, by=demo["member"]
        )
    contribution.refresh_from_db()
    assert contribution.status == "merged"
    assert contribution.merged_at is not None
    told = {address for email in mail.outbox for address in email.to}
    assert demo["member"].email in told
    assert demo["associate"].email not in told  # opted out of this kind
    assert demo["member_other"].email not in told  # not on the mission
    email = next(e for e in mail.outbox if demo["member"].email in e.to)
    assert "GLPI" in email.subject
    assert "Fix the CSV export of tickets" in email.body
    assert contribution.url in email.body


def test_merged_twice_tells_once_and_unmerging_forgets_the_date(
    demo: Any, mission: Mission, django_capture_on_commit_callbacks: Any
) -> None:
    contribution = add(mission, demo["member"])
    with django_capture_on_commit_callbacks(execute=True):
        contribution_update(
            contribution=contribution, status="merged", embargo_until=None, by=demo["member"]
        )
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        contribution_update(
            contribution=contribution,
            status="merged",
            embargo_until=date(2030, 1, 1),
            by=demo["member"],
        )
    assert len(mail.outbox) == sent
    contribution_update(
        contribution=contribution, status="rejected", embargo_until=None, by=demo["member"]
    )
    contribution.refresh_from_db()
    assert (contribution.status, contribution.merged_at) == ("rejected", None)


# --- Public view: embargo, withdrawn, counts ------------------------------------------------


def test_an_embargoed_contribution_shows_only_its_project_until_its_date(
    demo: Any, mission: Mission
) -> None:
    until = timezone.localdate() + timedelta(days=30)
    contribution = add(mission, demo["member"], embargo_until=until)
    before = public_view(contribution, today=until - timedelta(days=1))
    assert not before.public
    assert (before.title, before.url, before.kind, before.status) == ("", "", "", "")
    assert before.software_name == "GLPI"
    assert before.organisation_name == lead().name  # the member is still counted
    on_the_day = public_view(contribution, today=until)
    assert on_the_day.public
    assert on_the_day.title == "Fix the CSV export of tickets"
    assert on_the_day.url == contribution.url


def test_counts_by_project_and_member_include_embargoed_and_leave_out_withdrawn(
    demo: Any, mission: Mission
) -> None:
    Contribution.objects.all().delete()  # counted from nothing, not from the demo's
    member = demo["member"]
    nextcloud = Software.objects.get(slug="nextcloud")
    first = add(mission, member)
    add(mission, member, url="https://github.com/glpi-project/glpi/pull/102", status="merged")
    add(
        mission,
        member,
        url="https://github.com/glpi-project/glpi/issues/7",
        kind="issue",
        embargo_until=date(2099, 1, 1),
        status="merged",
    )
    add(mission, member, software=nextcloud, url="https://github.com/nextcloud/server/pull/9")
    contribution_update(contribution=first, status="withdrawn", embargo_until=None, by=member)

    groups = given_back()
    projects = {group.slug: (group.total, group.merged) for group in groups.by_project}
    assert projects["glpi"] == (2, 2)  # the withdrawn one is not counted, the embargoed is
    assert projects["nextcloud"] == (1, 0)
    members = {group.slug: (group.total, group.merged) for group in groups.by_member}
    assert members[LEAD] == (3, 2)
    assert (groups.total, groups.merged) == (3, 2)
    assert first not in public_contributions()


# --- Closing a mission with development work ------------------------------------------------


def delivered(mission: Mission, by: Any) -> Mission:
    mission_move(mission=mission, target="running", by=by)
    return mission_move(mission=mission, target="delivered", by=by)


def test_closing_without_contribution_nor_approved_justification_is_refused(
    demo: Any, mission: Mission
) -> None:
    coordinator = demo["coordinator"]
    delivered(mission, coordinator)
    with refused("close_needs_contribution"):
        mission_move(mission=mission, target="closed", by=coordinator)
    justification_submit(mission=mission, text=REASON, by=demo["member"])
    with refused("close_needs_contribution"):  # written, not yet approved
        mission_move(mission=mission, target="closed", by=coordinator)
    mission.refresh_from_db()
    assert mission.status == "delivered"
    with translation.override("en"):
        message = error_message("close_needs_contribution")
    assert "upstream contribution" in message
    assert "justification" in message


def test_an_approved_justification_lets_the_mission_close(demo: Any, mission: Mission) -> None:
    coordinator = demo["coordinator"]
    delivered(mission, coordinator)
    justification_submit(mission=mission, text=REASON, by=demo["member"])
    justification_approve(mission=mission, by=coordinator)
    assert mission.justification_approved_at is not None
    entry = AuditEntry.objects.filter(action="mission.justification_approve").latest("sequence")
    assert entry.data == {"mission": mission.pk}
    closed = mission_move(mission=mission, target="closed", by=coordinator)
    assert closed.status == "closed"


def test_a_contribution_lets_the_mission_close(demo: Any, mission: Mission) -> None:
    coordinator = demo["coordinator"]
    delivered(mission, coordinator)
    add(mission, demo["member"])
    assert mission_move(mission=mission, target="closed", by=coordinator).status == "closed"


def test_rewriting_an_approved_justification_waits_for_approval_again(
    demo: Any, mission: Mission
) -> None:
    justification_submit(mission=mission, text=REASON, by=demo["member"])
    justification_approve(mission=mission, by=demo["coordinator"])
    justification_submit(mission=mission, text=REASON + " Again.", by=demo["member"])
    mission.refresh_from_db()
    assert mission.justification_approved_at is None
    assert mission.justification.endswith("Again.")


def test_only_managers_write_and_only_coordinators_approve(demo: Any, mission: Mission) -> None:
    with refused("justification_not_allowed"):
        justification_submit(mission=mission, text=REASON, by=demo["associate"])  # not a manager
    with refused("justification_not_allowed"):
        justification_submit(mission=mission, text=REASON, by=demo["member_other"])
    with refused("justification_too_short"):
        justification_submit(mission=mission, text="Nothing.", by=demo["member"])
    justification_submit(mission=mission, text=REASON, by=demo["member"])
    with refused("justification_approve_not_allowed"):
        justification_approve(mission=mission, by=demo["member"])
    mission.refresh_from_db()
    assert mission.justification_approved_at is None
    assert "40" in error_message("justification_too_short")


def test_a_mission_without_development_needs_no_justification(demo: Any) -> None:
    mission = consortium_mission(demo["coordinator"], development=False)
    with refused("justification_not_needed"):
        justification_submit(mission=mission, text=REASON, by=demo["member"])


def test_the_mission_section_says_what_closing_still_needs(demo: Any, mission: Mission) -> None:
    section = contribution_section(mission=mission, user=demo["associate"])
    assert section["close_needs_contribution"]
    assert section["justification_state"] == "missing"
    assert section["contribution_add_url"]
    assert section["contribution_edit_orgs"] == {lead().pk}
    add(mission, demo["associate"])  # any person of the organisation may log one
    section = contribution_section(mission=mission, user=demo["associate"])
    assert not section["close_needs_contribution"]
    assert len(section["contributions"]) == 1


def test_every_code_the_contribution_services_raise_has_its_sentence() -> None:
    import re
    from pathlib import Path

    from guichet.missions import messages as mission_messages
    from guichet.missions.messages_contributions import MESSAGES
    from guichet.missions.services import contributions

    source = Path(contributions.__file__).read_text()
    codes = set(re.findall(r'MissionError\("([a-z_]+)"\)', source))
    codes |= set(re.findall(r'return "([a-z_]+)"', source))
    assert {"url_duplicate", "url_too_long", "justification_missing"} <= codes
    missing = codes - set(MESSAGES) - set(mission_messages.MESSAGES)
    assert not missing
    assert "url_not_http" in MESSAGES  # the domain's code, raised through url_refusal
