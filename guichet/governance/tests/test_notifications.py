"""The associates' emails: a new proposal, a round opening, the reminder 48 hours before the
close (once, to those who have not positioned), the outcome; each kind can be refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from guichet.accounts.models import NotificationOptOut
from guichet.accounts.notifications import kinds
from guichet.governance import notifications
from guichet.governance.models import Round
from guichet.governance.services.positions import position_take
from guichet.governance.services.rounds import round_close, rounds_remind
from guichet.governance.tests.factories import (
    after_deadline,
    associates,
    discussed,
    opened,
    proposal,
)

pytestmark = pytest.mark.django_db


def recipients() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


def emails(people: list[Any]) -> list[str]:
    return sorted(person.email for person in people)


def test_every_kind_of_governance_email_can_be_refused() -> None:
    registered = {kind.key for kind in kinds()}

    assert {
        notifications.PROPOSAL_NEW,
        notifications.ROUND_OPENED,
        notifications.ROUND_CLOSING,
        notifications.OUTCOME,
    } <= registered


def test_a_new_proposal_is_announced_to_the_other_associates(
    cleared: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    author, *others = associates(3)

    with django_capture_on_commit_callbacks(execute=True):
        item = proposal(author, title="Reverser aux projets amont")

    assert recipients() == emails(others)  # not the author, nor who is not an associate
    message = mail.outbox[0]
    assert item.reference in message.subject
    assert "Reverser aux projets amont" in message.body
    assert f"/decisions/{item.reference}/" in message.body


def test_an_associate_who_refused_a_kind_of_email_does_not_get_it(
    cleared: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    author, refusing, other = associates(3)
    NotificationOptOut.objects.create(person=refusing, kind=notifications.PROPOSAL_NEW)

    with django_capture_on_commit_callbacks(execute=True):
        item = discussed(proposal(author))
    assert recipients() == emails([other])

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        opened(item)
    # Only the kind refused: the round's opening still reaches them.
    assert recipients() == emails([author, refusing, other])


def test_the_opening_of_a_round_is_announced_to_its_electorate(
    cleared: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    people = associates(3)
    item = discussed(proposal(people[0]))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        running = opened(item)

    assert recipients() == emails(people)
    assert item.reference in mail.outbox[0].subject
    assert running.closes_at is not None


@pytest.fixture
def pending(cleared: dict[str, Any]) -> tuple[list[Any], Round]:
    """A round where the first of three associates has positioned, the others not."""
    people = associates(3)
    running = opened(discussed(proposal(people[0])))
    position_take(round=running, by=people[0], value="consent")
    mail.outbox.clear()
    return people, running


def test_the_reminder_goes_48_hours_before_the_close_to_those_who_have_not_positioned(
    pending: tuple[list[Any], Round], django_capture_on_commit_callbacks: Any
) -> None:
    people, running = pending

    with django_capture_on_commit_callbacks(execute=True):
        early = rounds_remind(now=running.closes_at - timedelta(hours=49))
        due = rounds_remind(now=running.closes_at - timedelta(hours=47))

    assert (early, due) == (0, 1)
    assert recipients() == emails(people[1:])
    assert running.proposal.reference in mail.outbox[0].subject


def test_the_reminder_leaves_only_once(
    pending: tuple[list[Any], Round], django_capture_on_commit_callbacks: Any
) -> None:
    people, running = pending
    when = running.closes_at - timedelta(hours=40)

    with django_capture_on_commit_callbacks(execute=True):
        first = rounds_remind(now=when)
        second = rounds_remind(now=when)
        third = rounds_remind(now=when + timedelta(hours=20))

    assert (first, second, third) == (1, 0, 0)
    assert recipients() == emails(people[1:])
    running.refresh_from_db()
    assert running.reminded_at == when


def test_no_reminder_for_a_round_already_past_its_deadline(
    pending: tuple[list[Any], Round], django_capture_on_commit_callbacks: Any
) -> None:
    _people, running = pending

    with django_capture_on_commit_callbacks(execute=True):
        assert rounds_remind(now=after_deadline(running)) == 0

    assert mail.outbox == []


def test_a_reminder_respects_the_refusal_of_its_kind(
    pending: tuple[list[Any], Round], django_capture_on_commit_callbacks: Any
) -> None:
    people, running = pending
    NotificationOptOut.objects.create(person=people[1], kind=notifications.ROUND_CLOSING)

    with django_capture_on_commit_callbacks(execute=True):
        rounds_remind(now=running.closes_at - timedelta(hours=47))

    assert recipients() == emails(people[2:])


def test_the_outcome_is_sent_once_to_the_electorate(
    pending: tuple[list[Any], Round], django_capture_on_commit_callbacks: Any
) -> None:
    people, running = pending
    NotificationOptOut.objects.create(person=people[2], kind=notifications.OUTCOME)

    with django_capture_on_commit_callbacks(execute=True):
        round_close(round=running, now=after_deadline(running))
        round_close(round=running, now=after_deadline(running, timedelta(hours=2)))

    assert recipients() == emails(people[:2])
    message = mail.outbox[0]
    assert running.proposal.reference in message.subject
    assert running.proposal.title in message.body


def test_nothing_leaves_when_the_step_is_rolled_back(
    cleared: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    author, _other = associates(2)

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                proposal(author)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    assert mail.outbox == []


def test_decisions_written_while_silenced_email_nobody_and_the_next_ones_do(
    cleared: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    author, *others = associates(3)

    with django_capture_on_commit_callbacks(execute=True), notifications.silenced():
        opened(discussed(proposal(author, title="Une décision du passé")))
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        proposal(author, title="Une décision d'aujourd'hui")
    assert recipients() == emails(others)
