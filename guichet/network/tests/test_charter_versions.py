"""Coordinators draft a new version of the charter from the site, then put it to the
associates' decision, which publishes it.

A draft starts as a copy of the current version; its values are edited without JavaScript
(a blank value to add one, a box to remove one, a position to reorder); put to decision, it
can no longer change until the associates decide; adopted, it becomes current and every
member organisation's managers are asked, by email, to sign it again. The decision itself is
taken through the governance services (tests/deciding.py).

Pages are asked in English (/en/): the messages are then the source ones, whatever the state
of the French catalogue.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import ORG_X
from guichet.core.models import AuditEntry
from guichet.network.messages import error_message
from guichet.network.models import Charter, CharterValue, Membership, Organisation
from guichet.network.services.charter import (
    CharterError,
    charter_draft_start,
    charter_draft_update,
    charter_publish,
    current_charter,
    draft_in_progress,
)
from guichet.network.services.decisions import charter_put_to_decision
from guichet.network.tests.deciding import decided


def en(name: str, args: list[Any] | None = None) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


VERSIONS = en("network:coordination_charter")
EMPTY = {"title": "", "title_en": "", "text": "", "text_en": "", "ORDER": ""}


def as_person(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def rows_of(charter: Charter) -> list[dict[str, Any]]:
    """The draft's values as its form shows them: one row each, in order."""
    return [
        {
            "title": v.title,
            "title_en": v.title_en,
            "text": v.text,
            "text_en": v.text_en,
            "ORDER": str(number),
        }
        for number, v in enumerate(charter.values.order_by("position"), start=1)
    ]


def form_data(
    charter: Charter,
    rows: list[dict[str, Any]],
    *,
    preamble: str | None = None,
    preamble_en: str | None = None,
) -> dict[str, str]:
    """What the browser sends: the preamble, the management form, then each row (saved ones
    first, as on the page; extra rows after them are new values)."""
    data = {
        "preamble": charter.preamble if preamble is None else preamble,
        "preamble_en": charter.preamble_en if preamble_en is None else preamble_en,
        "values-TOTAL_FORMS": str(len(rows)),
        "values-INITIAL_FORMS": str(charter.values.count()),
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if name == "DELETE" and not value:
                continue
            data[f"values-{index}-{name}"] = "on" if value is True else value
    return data


def titles(charter: Charter) -> list[str]:
    return list(charter.values.order_by("position").values_list("title_en", flat=True))


@pytest.fixture
def coordinator(demo: dict[str, Any]) -> Client:
    return as_person(demo["coordinator"])


@pytest.fixture
def draft(demo: dict[str, Any]) -> Charter:
    return charter_draft_start(by=demo["coordinator"])


def test_a_coordinator_starts_a_draft_copied_from_the_current_version(
    coordinator: Client,
) -> None:
    current = current_charter()
    assert current is not None

    response = coordinator.post(VERSIONS)

    draft = draft_in_progress()
    assert draft is not None
    assert draft.version == current.version + 1
    assert response.status_code == 302
    assert response["Location"] == en("network:coordination_charter_draft", args=[2])
    assert draft.preamble == current.preamble
    assert draft.preamble_en == current.preamble_en
    assert rows_of(draft) == rows_of(current)
    assert AuditEntry.objects.filter(action="charter.draft", object_id=str(draft.pk)).exists()
    page = coordinator.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    first = current.values.order_by("position")[0]
    assert f'value="{first.title_en}"' in html
    # The draft is not the charter yet: the public page still shows the current version.
    public = Client().get(en("network:charter"))
    assert public.context["charter"] == current


def test_only_one_draft_at_a_time(coordinator: Client, draft: Charter) -> None:
    listing = coordinator.get(VERSIONS)
    response = coordinator.post(VERSIONS, follow=True)

    assert Charter.objects.filter(published_at__isnull=True).count() == 1
    assert listing.context["draft"] == draft
    assert f'action="{VERSIONS}"' not in listing.content.decode()  # no "start" button
    assert response.redirect_chain[-1][0] == en(
        "network:coordination_charter_draft", args=[draft.version]
    )
    assert "A draft of the charter is already in progress" in response.content.decode()


def test_editing_adds_removes_and_reorders_values(coordinator: Client, draft: Charter) -> None:
    url = en("network:coordination_charter_draft", args=[draft.version])
    before = titles(draft)
    rows = rows_of(draft)
    rows[0]["DELETE"] = True  # remove the first value
    rows[-1]["ORDER"] = "0"  # move the last one to the top
    new = {
        "title": "Sobriété",
        "title_en": "Sufficiency",
        "text": "Nous visons la sobriété numérique.",
        "text_en": "We aim for digital sufficiency.",
        "ORDER": "",  # no position: it goes last
    }

    response = coordinator.post(url, form_data(draft, [*rows, new], preamble_en="A new preamble."))

    assert response.status_code == 302
    assert response["Location"] == url
    draft.refresh_from_db()
    assert draft.preamble_en == "A new preamble."
    assert titles(draft) == [before[-1], *before[1:-1], "Sufficiency"]
    assert AuditEntry.objects.filter(action="charter.draft_update").exists()
    page = coordinator.get(url)
    assert "The draft is saved." in page.content.decode()
    # Once saved, a new blank value is offered for the next one.
    assert page.context["values"].total_form_count() == len(before) + 1


def test_an_incomplete_value_is_refused_and_nothing_typed_or_saved_is_lost(
    coordinator: Client, draft: Charter
) -> None:
    url = en("network:coordination_charter_draft", args=[draft.version])
    saved = rows_of(draft)
    rows = rows_of(draft)
    rows[1]["title_en"] = "Giving back, changed"
    half = {**EMPTY, "title": "Sobriété", "title_en": "Sufficiency", "text": "Nous visons."}

    response = coordinator.post(url, form_data(draft, [*rows, half], preamble="Un préambule neuf"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "Give the value&#x27;s text in English." in html
    assert "Text in English (value " in html  # the summary says which value
    # What was typed comes back, to be completed rather than typed again…
    assert 'value="Sufficiency"' in html
    assert 'value="Giving back, changed"' in html
    assert "Un préambule neuf" in html
    # …and nothing was written: the saved draft is as it was.
    draft.refresh_from_db()
    assert rows_of(draft) == saved
    assert draft.preamble != "Un préambule neuf"


def test_a_draft_keeps_at_least_one_value(coordinator: Client, draft: Charter) -> None:
    url = en("network:coordination_charter_draft", args=[draft.version])
    rows = [{**row, "DELETE": True} for row in rows_of(draft)]
    count = draft.values.count()

    response = coordinator.post(url, form_data(draft, [*rows, EMPTY]))

    assert response.status_code == 400
    assert "A charter needs at least one value." in response.content.decode()
    assert draft.values.count() == count


def test_an_adopted_decision_makes_the_draft_current_and_asks_every_member_to_sign_again(
    coordinator: Client,
    draft: Charter,
    demo: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = en("network:coordination_charter_draft", args=[draft.version])
    rows = rows_of(draft)
    rows[0]["title_en"] = "Free software, first and always"
    coordinator.post(url, form_data(draft, rows))
    publish = en("network:coordination_charter_publish", args=[draft.version])
    members = Organisation.objects.filter(is_member=True)
    managers = Membership.objects.filter(
        organisation__is_member=True, is_manager=True, person__is_active=True
    )

    response = coordinator.post(publish, {"publish-confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == url
    draft.refresh_from_db()
    proposal = draft.proposal
    assert proposal is not None
    assert draft.published_at is None  # not before the associates decide
    assert "Free software, first and always" in proposal.text
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decided(proposal)

    draft.refresh_from_db()
    assert current_charter() == draft
    assert draft.decision_reference == proposal.reference
    # The public page shows the new version, signed by nobody yet, and its decision.
    public = Client().get(en("network:charter")).content.decode()
    assert f"Version {draft.version}," in public
    assert "Free software, first and always" in public
    assert "Signed by 0 members" in public
    assert f'href="{en("governance:log_entry", args=[proposal.reference])}"' in public
    # The coordinators see every member as not having signed it, and the decision.
    listing = coordinator.get(VERSIONS)
    assert {o.pk for o in listing.context["unsigned"]} == {o.pk for o in members}
    assert Organisation.objects.get(slug=ORG_X).name in listing.content.decode()
    assert f"decision {proposal.reference}" in listing.content.decode()
    # Each manager of each member organisation gets an email with the way to sign.
    signing = [m for m in mail.outbox if "#charter-title" in m.body]
    assert len(signing) == managers.count() > 0
    member = demo["member"]
    (email,) = [m for m in signing if m.to == [member.email] and ORG_X in m.body]
    with translation.override("fr"):  # emails link to the pages in the site's language
        space = reverse("network:organisation_space", args=[ORG_X])
    assert f"{settings.GUICHET_BASE_URL}{space}#charter-title" in email.body
    assert str(draft.version) in email.subject
    # The manager's space asks them to sign, with the button to do it.
    page = as_person(member).get(en("network:organisation_space", [ORG_X]))
    assert page.context["can_sign"]
    assert f'action="{en("network:organisation_charter_sign", args=[ORG_X])}"' in (
        page.content.decode()
    )


def test_the_signing_emails_leave_only_once_the_publication_is_committed(
    draft: Charter, demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    proposal = charter_put_to_decision(charter=draft, by=demo["coordinator"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decided(proposal)

    assert callbacks
    assert mail.outbox == []


def test_putting_to_decision_needs_the_confirmation(coordinator: Client, draft: Charter) -> None:
    publish = en("network:coordination_charter_publish", args=[draft.version])

    response = coordinator.post(publish, {})

    assert response.status_code == 400
    assert "Tick the box to confirm." in response.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is None
    assert draft.proposal is None
    assert mail.outbox == []


def test_a_draft_before_the_associates_is_shown_as_it_stands_and_cannot_change(
    coordinator: Client, draft: Charter, demo: dict[str, Any]
) -> None:
    url = en("network:coordination_charter_draft", args=[draft.version])
    discard = en("network:coordination_charter_discard", args=[draft.version])
    publish = en("network:coordination_charter_publish", args=[draft.version])
    saved = rows_of(draft)
    proposal = charter_put_to_decision(charter=draft, by=demo["coordinator"])
    rows = rows_of(draft)
    rows[0]["title_en"] = "Changed while they decide"

    shown = coordinator.get(url)
    edited = coordinator.post(url, form_data(draft, rows))
    discarded = coordinator.post(discard, {"discard-confirm": "on"})
    again = coordinator.post(publish, {"publish-confirm": "on"})

    html = shown.content.decode()
    assert shown.status_code == 200
    assert shown.context["under_decision"]
    assert f'href="{en("governance:proposal", args=[proposal.reference])}"' in html
    assert f'action="{url}"' not in html  # no form to change it
    assert f'action="{discard}"' not in html
    assert saved[0]["title_en"] in html  # its text, as put to decision
    refusal = error_message("charter_under_decision")
    for response in (edited, discarded, again):
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
        assert str(refusal).replace("'", "&#x27;") in response.content.decode()
    assert rows_of(draft) == saved
    assert Charter.objects.filter(pk=draft.pk).exists()
    draft.refresh_from_db()
    assert draft.proposal == proposal
    # The versions list says the draft is before the associates.
    listing = coordinator.get(VERSIONS).content.decode()
    assert f"before the associates: decision {proposal.reference}" in listing


def test_a_draft_not_adopted_can_be_changed_and_put_to_decision_again(
    coordinator: Client, draft: Charter, demo: dict[str, Any]
) -> None:
    url = en("network:coordination_charter_draft", args=[draft.version])
    publish = en("network:coordination_charter_publish", args=[draft.version])
    first = decided(charter_put_to_decision(charter=draft, by=demo["coordinator"]), adopted=False)
    rows = rows_of(draft)
    rows[0]["title_en"] = "Changed after the objection"

    page = coordinator.get(url)
    edited = coordinator.post(url, form_data(draft, rows))
    again = coordinator.post(publish, {"publish-confirm": "on"})

    assert not page.context["under_decision"]
    assert first.reference in page.content.decode()
    assert edited.status_code == 302
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is None
    assert draft.proposal is not None
    assert draft.proposal != first
    assert "Changed after the objection" in draft.proposal.text


def test_a_published_version_cannot_be_edited(coordinator: Client) -> None:
    current = current_charter()
    assert current is not None
    url = en("network:coordination_charter_draft", args=[current.version])
    saved = rows_of(current)
    rows = rows_of(current)
    rows[0]["title_en"] = "Changed after the fact"

    shown = coordinator.get(url, follow=True)
    posted = coordinator.post(url, form_data(current, rows))

    assert shown.redirect_chain == [(VERSIONS, 302)]
    assert "it can no longer be changed" in shown.content.decode()
    assert posted.status_code == 302
    assert rows_of(current) == saved
    publish = en("network:coordination_charter_publish", args=[current.version])
    assert coordinator.post(publish, {"publish-confirm": "on"}).status_code == 302
    assert current.proposal is None
    discard = en("network:coordination_charter_discard", args=[current.version])
    coordinator.post(discard, {"discard-confirm": "on"})
    assert Charter.objects.filter(pk=current.pk).exists()


def test_a_coordinator_discards_the_draft(coordinator: Client, draft: Charter) -> None:
    discard = en("network:coordination_charter_discard", args=[draft.version])

    refused = coordinator.post(discard, {})
    response = coordinator.post(discard, {"discard-confirm": "on"}, follow=True)

    assert refused.status_code == 400
    assert response.redirect_chain == [(VERSIONS, 302)]
    assert not Charter.objects.filter(pk=draft.pk).exists()
    assert not CharterValue.objects.filter(charter_id=draft.pk).exists()
    assert AuditEntry.objects.filter(action="charter.discard", object_id=str(draft.pk)).exists()
    # And a new draft may be started again.
    assert coordinator.post(VERSIONS).status_code == 302
    assert draft_in_progress() is not None


@pytest.mark.parametrize("key", ["member", "associate", "member_other", "client"])
def test_nobody_but_coordinators_reaches_any_of_it(
    demo: dict[str, Any], draft: Charter, key: str
) -> None:
    client = as_person(demo[key])
    draft_url = en("network:coordination_charter_draft", args=[draft.version])
    publish = en("network:coordination_charter_publish", args=[draft.version])
    discard = en("network:coordination_charter_discard", args=[draft.version])

    answers = [
        client.get(VERSIONS).status_code,
        client.post(VERSIONS).status_code,
        client.get(draft_url).status_code,
        client.post(draft_url, form_data(draft, rows_of(draft), preamble="x")).status_code,
        client.post(publish, {"publish-confirm": "on"}).status_code,
        client.post(discard, {"discard-confirm": "on"}).status_code,
    ]

    assert answers == [404] * 6
    draft.refresh_from_db()
    assert draft.published_at is None
    assert draft.preamble != "x"
    assert Charter.objects.filter(published_at__isnull=True).count() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(draft: Charter) -> None:
    response = Client().get(en("network:coordination_charter_draft", args=[draft.version]))

    assert response.status_code == 302
    assert response["Location"].startswith(en("account_login"))


def test_the_dashboard_links_coordinators_to_the_charter_versions(
    coordinator: Client, demo: dict[str, Any]
) -> None:
    link = f'href="{VERSIONS}"'

    assert link in coordinator.get(en("web:dashboard")).content.decode()
    assert link not in as_person(demo["member"]).get(en("web:dashboard")).content.decode()


def test_the_versions_list_counts_signatures_and_who_has_not_signed_yet(
    coordinator: Client, draft: Charter, demo: dict[str, Any]
) -> None:
    charter_publish(charter=draft)
    as_person(demo["member"]).post(en("network:organisation_charter_sign", [ORG_X]))

    response = coordinator.get(VERSIONS)

    counts = {v.version: v.signature_count for v in response.context["versions"]}
    members = Organisation.objects.filter(is_member=True).count()
    assert counts == {draft.version: 1, draft.version - 1: members}
    unsigned = {o.slug for o in response.context["unsigned"]}
    assert ORG_X not in unsigned
    assert len(unsigned) == members - 1
    assert f"{members - 1} member organisations out of {members}" in response.content.decode()


def test_the_services_refuse_what_the_pages_refuse(draft: Charter) -> None:
    current = current_charter()
    assert current is not None
    complete = [("Sobriété", "Sufficiency", "Nous visons la sobriété.", "We aim for it.")]

    with pytest.raises(CharterError) as second:
        charter_draft_start()
    with pytest.raises(CharterError) as published:
        charter_draft_update(charter=current, values=complete)
    with pytest.raises(CharterError) as incomplete:
        charter_draft_update(charter=draft, values=[("Sobriété", "Sufficiency", "Oui.", " ")])
    with pytest.raises(CharterError) as empty:
        charter_draft_update(charter=draft, values=[])

    assert second.value.code == "charter_draft_exists"
    assert published.value.code == "charter_already_published"
    assert incomplete.value.code == "charter_value_incomplete"
    assert empty.value.code == "charter_without_values"
    assert rows_of(draft) == rows_of(current)
