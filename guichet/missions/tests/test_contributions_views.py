"""The contribution pages: logging one (refusals shown on the form with nothing lost, 404
for another organisation), changing its status, the justification and its approval, and
the public "given back" page with its CSV (embargo kept, withdrawn left out, counts, a
fixed number of queries)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from guichet.missions.models import Contribution, Mission
from guichet.missions.services.contributions import contribution_add
from guichet.missions.services.missions import mission_move
from guichet.missions.tests.test_contributions import REASON, consortium_mission
from guichet.network.models import Organisation, Software

pytestmark = pytest.mark.django_db

URL = "https://github.com/glpi-project/glpi/pull/4242"


@pytest.fixture
def mission(demo: dict[str, Any]) -> Mission:
    return consortium_mission(demo["coordinator"])


def en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def log(mission: Mission, by: Any, n: int = 0, **fields: Any) -> Contribution:
    values: dict[str, Any] = {
        "organisation": Organisation.objects.get(slug="libre-et-local"),
        "software": Software.objects.get(slug="glpi"),
        "kind": "patch",
        "title": f"Inventory import fix {n}",
        "url": f"https://github.com/glpi-project/glpi/pull/{9000 + n}",
    }
    values.update(fields)
    return contribution_add(mission=mission, by=by, **values)


def form_data(**overrides: str) -> dict[str, str]:
    org = Organisation.objects.get(slug="libre-et-local")
    data = {
        "organisation": str(org.pk),
        "software": "glpi",
        "other_software": "",
        "kind": "patch",
        "title": "Faster inventory import",
        "url": URL,
        "status": "proposed",
        "embargo_until": "",
    }
    data.update(overrides)
    return data


# --- Logging a contribution -----------------------------------------------------------------


def test_the_form_offers_the_lots_software_and_logs_a_contribution(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    client = client_as(demo["associate"])  # any person of a member organisation
    url = en("missions:contribution_add", mission.pk)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="glpi" selected>GLPI</option>' in html  # the lots' software first
    assert '<option value="nextcloud">' in html
    response = client.post(url, form_data())
    assert response.status_code == 302
    assert response["Location"].endswith(f"/missions/{mission.pk}/#contributions")
    contribution = Contribution.objects.get(url=URL)
    assert (contribution.mission, contribution.software.slug) == (mission, "glpi")
    assert contribution.created_by == demo["associate"]


def test_another_catalogue_project_is_typed_by_name(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    client = client_as(demo["member"])
    url = en("missions:contribution_add", mission.pk)
    response = client.post(url, form_data(software="", other_software="postgresql"))
    assert response.status_code == 302
    assert Contribution.objects.get(url=URL).software.slug == "postgresql"
    response = client.post(
        url,
        form_data(software="", other_software="No such software", url=URL.replace("4242", "4243")),
    )
    assert response.status_code == 400
    assert "No project of the catalogue has this name" in unescape(response.content.decode())


def test_a_non_http_address_is_refused_on_the_form_and_nothing_is_lost(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    client = client_as(demo["member"])
    response = client.post(
        en("missions:contribution_add", mission.pk),
        form_data(url="ftp://example.org/fix.diff", title="Keep my title"),
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "starting with https:// or http://" in html
    assert 'aria-describedby="id_url_helptext id_url_error"' in html
    assert 'value="Keep my title"' in html
    assert 'value="ftp://example.org/fix.diff"' in html
    assert not Contribution.objects.filter(mission=mission).exists()


def test_a_duplicate_address_is_refused_with_a_clear_message(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    log(mission, demo["member"], url=URL)
    client = client_as(demo["member"])
    response = client.post(
        en("missions:contribution_add", mission.pk),
        form_data(url=URL.replace("https://github.com", "HTTPS://GitHub.com") + "/"),
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "This address is already logged as a contribution" in html
    assert 'id="id_url_error"' in html
    assert Contribution.objects.filter(mission=mission).count() == 1


def test_the_refusal_is_in_the_page_language(client_as: Any, demo: Any, mission: Mission) -> None:
    client = client_as(demo["member"])
    with translation.override("fr"):
        url = reverse("missions:contribution_add", args=[mission.pk])
    response = client.post(url, form_data(url="ftp://example.org/fix.diff"))
    assert response.status_code == 400
    assert '<html lang="fr"' in response.content.decode()


def test_another_organisation_finds_no_page_on_the_mission(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    contribution = log(mission, demo["member"])
    client = client_as(demo["member_other"])
    org = Organisation.objects.get(slug="atelier-du-code-commun")
    add_url = en("missions:contribution_add", mission.pk)
    assert client.get(add_url).status_code == 404
    assert client.post(add_url, form_data(organisation=str(org.pk))).status_code == 404
    edit_url = en("missions:contribution_edit", mission.pk, contribution.pk)
    assert client.get(edit_url).status_code == 404
    assert client.post(edit_url, {"status": "withdrawn"}).status_code == 404
    assert client.get(en("missions:justification", mission.pk)).status_code == 404
    assert not Contribution.objects.filter(organisation=org).exists()
    contribution.refresh_from_db()
    assert contribution.status == "proposed"


def test_a_member_cannot_log_for_another_organisation_of_its_mission(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    other = mission.members.exclude(organisation__slug="libre-et-local").first()
    assert other is not None, "the demo consortium has a subcontractor"
    client = client_as(demo["member"])
    response = client.post(
        en("missions:contribution_add", mission.pk),
        form_data(organisation=str(other.organisation_id)),
    )
    assert response.status_code == 400
    assert not Contribution.objects.filter(mission=mission).exists()


def test_anonymous_is_sent_to_sign_in(client: Client, mission: Mission) -> None:
    response = client.get(en("missions:contribution_add", mission.pk))
    assert response.status_code == 302
    assert "login" in response["Location"] or "connexion" in response["Location"]


def test_the_status_page_marks_it_merged(client_as: Any, demo: Any, mission: Mission) -> None:
    contribution = log(mission, demo["member"])
    client = client_as(demo["member"])
    url = en("missions:contribution_edit", mission.pk, contribution.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "merged", "embargo_until": ""})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == "merged"
    assert contribution.merged_at is not None
    response = client.post(url, {"status": "merged", "embargo_until": "not a date"})
    assert response.status_code == 400


# --- The justification ----------------------------------------------------------------------


def test_a_manager_writes_the_justification_and_a_coordinator_approves_it(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    url = en("missions:justification", mission.pk)
    client = client_as(demo["associate"])  # reads, may not write
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "submit", "text": REASON}).status_code == 403
    client = client_as(demo["member"])
    response = client.post(url, {"action": "submit", "text": "Too short."})
    assert response.status_code == 400
    assert "at least 40 characters" in unescape(response.content.decode())
    assert client.post(url, {"action": "submit", "text": REASON}).status_code == 302
    assert client.post(url, {"action": "approve"}).status_code == 403
    client = client_as(demo["coordinator"])
    page = client.get(url).content.decode()
    assert "Approve the justification" in page
    assert client.post(url, {"action": "approve"}).status_code == 302
    mission.refresh_from_db()
    assert mission.justification_approved_by == demo["coordinator"]


def test_closing_is_refused_on_the_mission_page_then_allowed_after_approval(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    coordinator = demo["coordinator"]
    mission_move(mission=mission, target="running", by=coordinator)
    mission_move(mission=mission, target="delivered", by=coordinator)
    page = en("missions:mission", mission.pk)
    close = {"action": "move", "target": "closed"}
    response = client_as(coordinator).post(page, close)
    assert response.status_code == 400
    assert "it closes only once an upstream contribution is logged" in unescape(
        response.content.decode()
    )
    url = en("missions:justification", mission.pk)
    client_as(demo["member"]).post(url, {"action": "submit", "text": REASON})
    client = client_as(coordinator)
    client.post(url, {"action": "approve"})
    assert client.post(page, close).status_code == 302
    mission.refresh_from_db()
    assert mission.status == "closed"


# --- What the network gave back -------------------------------------------------------------


def test_the_public_page_hides_embargoed_details_until_their_date(
    client: Client, demo: Any, mission: Mission
) -> None:
    member = demo["member"]
    secret = log(
        mission,
        member,
        1,
        title="Confidential inventory connector",
        embargo_until=timezone.localdate() + timedelta(days=60),
    )
    log(mission, member, 2, title="Public inventory fix", status="merged")
    html = unescape(client.get(en("missions:given_back")).content.decode())
    assert "<title>Given back upstream" in html
    assert "Public inventory fix" in html
    assert "Confidential inventory connector" not in html
    assert secret.url not in html
    assert "a contribution to GLPI" in html
    rows = list(
        csv.DictReader(io.StringIO(client.get(en("missions:given_back_csv")).content.decode()))
    )
    hidden = next(row for row in rows if row["details_public"] == "no")
    assert (hidden["project"], hidden["title"], hidden["url"]) == ("GLPI", "", "")
    assert hidden["member_slug"] == "libre-et-local"
    # Once the date has come, everything shows.
    Contribution.objects.filter(pk=secret.pk).update(
        embargo_until=timezone.localdate() - timedelta(days=1)
    )
    html = unescape(client.get(en("missions:given_back")).content.decode())
    assert "Confidential inventory connector" in html
    assert secret.url in html
    csv_text = client.get(en("missions:given_back_csv")).content.decode()
    assert secret.url in csv_text


def test_the_public_page_counts_merged_and_leaves_withdrawn_out(
    client: Client, demo: Any, mission: Mission
) -> None:
    Contribution.objects.all().delete()  # counted from nothing, not from the demo's
    member = demo["member"]
    log(mission, member, 1, status="merged")
    log(mission, member, 2, status="merged", embargo_until=timezone.localdate() + timedelta(9))
    log(mission, member, 3)
    log(mission, member, 4, status="withdrawn", title="Withdrawn attempt")
    response = client.get(en("missions:given_back"))
    groups = response.context["groups"]
    glpi = next(group for group in groups.by_project if group.slug == "glpi")
    assert (glpi.total, glpi.merged) == (3, 2)
    lead = next(group for group in groups.by_member if group.slug == "libre-et-local")
    assert (lead.total, lead.merged) == (3, 2)
    html = unescape(response.content.decode())
    assert "Withdrawn attempt" not in html
    filtered = client.get(en("missions:given_back"), {"member": "libre-et-local"})
    assert "Contributions of" in unescape(filtered.content.decode())
    assert filtered.context["page"].paginator.count == 3
    csv_text = client.get(en("missions:given_back_csv")).content.decode()
    assert "Withdrawn attempt" not in csv_text


def test_the_public_page_makes_as_many_queries_for_many_contributions(
    client: Client, demo: Any, mission: Mission
) -> None:
    member = demo["member"]
    for n in range(3):
        log(mission, member, n)
    with CaptureQueriesContext(connection) as few:
        assert client.get(en("missions:given_back")).status_code == 200
    nextcloud = Software.objects.get(slug="nextcloud")
    for n in range(3, 23):
        log(mission, member, n, software=nextcloud if n % 2 else Software.objects.get(slug="glpi"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(en("missions:given_back")).status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 6


# --- The mission page's section, and a cancelled mission -------------------------------------


def test_the_section_links_each_organisation_to_its_own_contributions_only(
    demo: Any, mission: Mission
) -> None:
    from django.template.loader import render_to_string

    from guichet.missions.selectors_contributions import contribution_section

    contribution = log(mission, demo["member"])
    edit = en("missions:contribution_edit", mission.pk, contribution.pk)
    with translation.override("en"):
        mine = render_to_string(
            "missions/contributions/mission_section.html",
            {"mission": mission, **contribution_section(mission=mission, user=demo["member"])},
        )
    assert edit in mine
    assert contribution.title in mine
    assert en("missions:contribution_add", mission.pk) in mine
    subcontractor = mission.members.exclude(organisation__slug="libre-et-local").get()
    subcontractor_section = contribution_section(mission=mission, user=demo["coordinator"])
    assert subcontractor.organisation_id in subcontractor_section["contribution_edit_orgs"]


def test_a_cancelled_mission_sends_back_to_its_page_saying_why(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    mission_move(mission=mission, target="cancelled", by=demo["coordinator"])
    client = client_as(demo["member"])
    response = client.get(en("missions:contribution_add", mission.pk), follow=True)
    assert response.redirect_chain[0][0].endswith(f"/missions/{mission.pk}/#contributions")
    assert "This mission is cancelled" in unescape(response.content.decode())
