"""Two hundred associates take their positions on one round at the same moment, each from a
connection of its own: every position is counted once, none lost, none duplicated (the round's
row is locked by each write, and a unique constraint stands behind it), and the outcome
computed at the close is right.

Only on PostgreSQL: SQLite serialises writers by itself, so there is nothing to race there.
The test commits (threads cannot see an uncommitted transaction), so the database is emptied
after it, as for every transactional test; it does not rely on the demo being there.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from guichet.accounts.models import Role, RoleGrant, User
from guichet.core.audit import audit_verify
from guichet.core.models import AuditEntry
from guichet.governance.models import Position, ProposalStatus, Proxy, Round
from guichet.governance.services.common import GovernanceError, statutes_current
from guichet.governance.services.positions import objection_examine, position_take
from guichet.governance.services.proposals import proposal_amend
from guichet.governance.services.proxies import proxy_give
from guichet.governance.services.rounds import round_close
from guichet.governance.tests.factories import (
    college,
    governance_cleared,
    opened,
    proposal,
    without_discussion,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers by itself; the race exists on PostgreSQL only.",
    ),
]

PEOPLE = 200
# Below PostgreSQL's default of 100 connections, with room for the test's own.
WORKERS = 40


def the_associates() -> list[User]:
    """Exactly PEOPLE associates, in the three colleges: nobody else is one."""
    governance_cleared()
    colleges = [college(slug) for slug in ("fondateurs", "contributeurs", "partenaires")]
    people = User.objects.bulk_create(
        User(email=f"associe-{n}@concurrence.test", full_name=f"Associé {n}") for n in range(PEOPLE)
    )
    RoleGrant.objects.bulk_create(
        RoleGrant(user=person, role=Role.ASSOCIATE, college=colleges[n % 3])
        for n, person in enumerate(people)
    )
    return people


def take_all_at_once(round_id: int, choices: list[tuple[User, dict[str, str]]]) -> list[str]:
    """Each associate's position in its own thread and connection, released together."""
    start = threading.Event()
    errors: list[str] = []

    def take(person: User, fields: dict[str, str]) -> None:
        try:
            start.wait()
            position_take(round=Round.objects.get(pk=round_id), by=person, **fields)
        except BaseException as error:  # reported to the test below
            errors.append(f"{person.email}: {error!r}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(take, person, fields) for person, fields in choices]
        start.set()
        for future in futures:
            future.result()
    return errors


CONSENT = {"value": "consent"}
CONCERN = {"value": "concern", "comment": "Le calendrier est serré."}
ABSTAIN = {"value": "abstain"}
OBJECTION = {
    "value": "objection",
    "comment": "Cela priverait les petits projets de tout reversement.",
    "change_requested": "Un plancher par projet.",
}


def test_two_hundred_positions_at_once_are_each_counted_once_and_decide_the_round() -> None:
    people = the_associates()
    without_discussion()  # the last position closes the round early, inside its thread
    item = proposal(people[0], title="Reverser aux projets amont")
    running = opened(item)
    assert running.electorate_size == PEOPLE
    choices = (
        [(p, CONSENT) for p in people[:150]]
        + [(p, CONCERN) for p in people[150:180]]
        + [(p, ABSTAIN) for p in people[180:]]
    )
    audit_before = AuditEntry.objects.filter(action="position.take").count()

    errors = take_all_at_once(running.pk, choices)

    assert errors == []
    positions = Position.objects.filter(round=running)
    assert positions.count() == PEOPLE
    assert set(positions.values_list("person_id", flat=True)) == {p.pk for p in people}
    taken = dict(positions.values_list("person_id", "value"))
    assert all(taken[person.pk] == fields["value"] for person, fields in choices)
    running.refresh_from_db()
    assert running.closed_at is not None  # by the last position, early
    assert (running.adopted, running.reason, running.participation) == (True, "consent", PEOPLE)
    assert running.counts == {"consent": 150, "concern": 30, "objection": 0, "abstain": 20}
    assert sum(sum(c.values()) for c in running.counts_by_college.values()) == PEOPLE
    item.refresh_from_db()
    assert item.status == ProposalStatus.ADOPTED
    assert AuditEntry.objects.filter(action="position.take").count() == audit_before + PEOPLE
    assert AuditEntry.objects.filter(action="round.close", object_id=str(item.pk)).count() == 1
    assert audit_verify() is None


def test_one_objection_among_two_hundred_positions_at_once_blocks_the_round() -> None:
    people = the_associates()
    item = proposal(people[0], title="Reverser aux projets amont")
    running = opened(item)  # seven days of discussion: no early close
    choices: list[tuple[User, dict[str, Any]]] = [(p, CONSENT) for p in people[:-1]]
    choices.append((people[-1], OBJECTION))

    errors = take_all_at_once(running.pk, choices)

    assert errors == []
    assert Position.objects.filter(round=running).count() == PEOPLE
    running.refresh_from_db()
    assert running.closed_at is None
    result = round_close(round=running, now=running.closes_at + timedelta(minutes=1))
    assert (result.adopted, result.reason, result.participation) == (
        False,
        "objection_standing",
        PEOPLE,
    )
    assert result.counts == {"consent": 199, "concern": 0, "objection": 1, "abstain": 0}


def test_an_amendment_amid_positions_taken_at_once_loses_none_and_never_deadlocks() -> None:
    people = the_associates()[:100]
    author = people[0]
    item = proposal(author, title="Reverser aux projets amont")
    first = opened(item)
    start = threading.Event()
    refused: list[str] = []
    errors: list[str] = []

    def take(person: User) -> None:
        try:
            start.wait()
            position_take(round=first, by=person, **CONSENT)
        except GovernanceError as error:
            refused.append(error.code)
        except BaseException as error:  # a deadlock would land here
            errors.append(repr(error))
        finally:
            connection.close()

    def amend() -> None:
        try:
            start.wait()
            proposal_amend(proposal=item, by=author, title=item.title, text="Plafonné", note="N")
        except BaseException as error:
            errors.append(repr(error))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(take, person) for person in people[:50]]
        futures.append(pool.submit(amend))
        futures += [pool.submit(take, person) for person in people[50:]]
        start.set()
        for future in futures:
            future.result()

    assert errors == []
    assert set(refused) <= {"round_closed"}
    # Each position landed in the first round before the amendment, or was refused after it.
    assert Position.objects.filter(round=first).count() + len(refused) == len(people)
    second = Round.objects.get(proposal=item, number=2)
    assert second.closed_at is None
    assert not second.positions.exists()


def test_proxies_given_at_once_to_one_holder_never_pass_the_cap() -> None:
    holder, *givers = the_associates()[:21]
    statutes = statutes_current()
    statutes.max_proxies = 2
    statutes.save()
    item = proposal(holder, title="Reverser aux projets amont")
    start = threading.Event()
    refused: list[str] = []
    errors: list[str] = []

    def give(giver: User) -> None:
        try:
            start.wait()
            proxy_give(giver=giver, holder=holder, proposal=item)
        except GovernanceError as error:
            refused.append(error.code)
        except BaseException as error:
            errors.append(repr(error))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(givers)) as pool:
        futures = [pool.submit(give, giver) for giver in givers]
        start.set()
        for future in futures:
            future.result()

    assert errors == []
    assert Proxy.objects.filter(holder=holder).count() == 2
    assert refused == ["holder_at_cap"] * (len(givers) - 2)


def test_objections_examined_while_their_authors_change_them_never_deadlock() -> None:
    people = the_associates()[:41]
    author, objectors = people[0], people[1:]
    facilitator = User.objects.create(email="facilitation@concurrence.test")
    RoleGrant.objects.create(user=facilitator, role=Role.COORDINATOR)
    item = proposal(author, title="Reverser aux projets amont")
    running = opened(item)
    raised = [position_take(round=running, by=person, **OBJECTION) for person in objectors]
    start = threading.Event()
    errors: list[str] = []

    def change(person: User, turn: int) -> None:
        try:
            start.wait()
            position_take(
                round=running,
                by=person,
                value="objection",
                comment=f"Une autre raison, la {turn}e.",
                change_requested="Un plancher par projet.",
            )
        except GovernanceError:
            pass  # refused moves are fine; only a database error is not
        except BaseException as error:
            errors.append(repr(error))
        finally:
            connection.close()

    def examine(position: Position) -> None:
        try:
            start.wait()
            objection_examine(position=position, by=facilitator, valid=True)
        except GovernanceError:
            pass
        except BaseException as error:
            errors.append(repr(error))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = []
        for turn in range(3):
            for person, position in zip(objectors, raised, strict=True):
                futures.append(pool.submit(change, person, turn))
                futures.append(pool.submit(examine, position))
        start.set()
        for future in futures:
            future.result()

    assert errors == []
    assert Position.objects.filter(round=running).count() == len(objectors)
