"""Rounds close without anyone: the worker at each deadline, and `close_due_rounds` (cron)
for whatever it missed, reminders first. Run twice, or late, each round decides once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.tasks import default_task_backend
from django.test import override_settings

from guichet.core.models import AuditEntry
from guichet.governance import tasks
from guichet.governance.models import ProposalStatus, Round
from guichet.governance.services.positions import position_take
from guichet.governance.services.rounds import close_round
from guichet.governance.tests.factories import (
    after_deadline,
    associates,
    discussed,
    opened,
    proposal,
    without_discussion,
)

pytestmark = pytest.mark.django_db

DEFERRING = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def run_command() -> str:
    out = StringIO()
    call_command("close_due_rounds", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def running(cleared: dict[str, Any]) -> Round:
    """A round where one of three associates has consented."""
    author, *_others = associates(3)
    opened_round = opened(discussed(proposal(author)))
    position_take(round=opened_round, by=author, value="consent")
    return opened_round


def test_the_command_reminds_then_closes_and_says_how_many(
    running: Round, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with (
        time_machine.travel(running.closes_at - timedelta(hours=47), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run_command() == "1 round(s) reminded, 0 round(s) closed."
    assert len(mail.outbox) == 2  # the two associates who have not positioned

    with time_machine.travel(after_deadline(running), tick=False):
        assert run_command() == "0 round(s) reminded, 1 round(s) closed."
        assert run_command() == "0 round(s) reminded, 0 round(s) closed."

    running.refresh_from_db()
    assert (running.adopted, running.reason) == (True, "consent")
    assert (
        AuditEntry.objects.filter(action="round.close", object_id=str(running.proposal_id)).count()
        == 1
    )


def test_the_command_run_long_after_the_deadline_closes_without_reminding(
    running: Round, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with (
        time_machine.travel(running.closes_at + timedelta(days=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run_command() == "0 round(s) reminded, 1 round(s) closed."

    subjects = {message.subject for message in mail.outbox}
    assert len(subjects) == 1  # the outcome only
    running.refresh_from_db()
    assert running.closed_at == running.closes_at + timedelta(days=5)


def test_the_command_closes_a_complete_round_once_its_discussion_has_run(
    cleared: dict[str, Any],
) -> None:
    author, other = associates(2)
    item = proposal(author)  # seven days of discussion
    early = opened(item, days=10)
    position_take(round=early, by=author, value="consent")
    position_take(round=early, by=other, value="abstain")
    assert Round.objects.get(pk=early.pk).closed_at is None

    with time_machine.travel(item.discussion_ends_at + timedelta(minutes=5), tick=False):
        assert run_command() == "0 round(s) reminded, 1 round(s) closed."

    early.refresh_from_db()
    assert early.closed_at is not None
    assert early.closed_at < early.closes_at


def test_the_worker_closes_a_round_at_its_deadline_once(running: Round) -> None:
    with time_machine.travel(after_deadline(running), tick=False):
        first = close_round.call(round_id=running.pk)
        second = close_round.call(round_id=running.pk)

    assert (first, second) == (True, False)
    running.refresh_from_db()
    assert running.proposal.status == ProposalStatus.ADOPTED
    assert (
        AuditEntry.objects.filter(action="round.close", object_id=str(running.proposal_id)).count()
        == 1
    )


def test_the_periodic_task_closes_what_is_due(running: Round) -> None:
    with time_machine.travel(after_deadline(running), tick=False):
        assert tasks.close_due_rounds.call() == 1
        assert tasks.close_due_rounds.call() == 0


@override_settings(TASKS=DEFERRING)
def test_opening_a_round_schedules_its_close_at_the_deadline(
    cleared: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    without_discussion()
    author = associates(1)[0]
    item = proposal(author)
    default_task_backend.clear()

    with django_capture_on_commit_callbacks(execute=True):
        opened_round = opened(item, days=3)

    scheduled = [r for r in default_task_backend.results if r.task.name == "close_round"]
    assert len(scheduled) == 1
    assert scheduled[0].task.run_after == opened_round.closes_at
    assert scheduled[0].kwargs == {"round_id": opened_round.pk}
