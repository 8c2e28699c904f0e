"""The decision log as open data: CSV and ODS, one row per round closed with an outcome,
counts only (no name but the elected), under the network's open licence."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from odfdo import Document

from guichet.accounts.models import User
from guichet.governance.exports import COLUMNS
from guichet.governance.models import Round
from guichet.governance.services.positions import position_take
from guichet.governance.services.proposals import proposal_amend
from guichet.governance.tests.factories import discussed, opened, proposal
from guichet.governance.tests.test_log import (
    OBJECTION_CHANGE,
    OBJECTION_REASON,
    decided_consent,
    decided_election,
    decided_quickly,
    en,
    people,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "reference",
    "title",
    "kind",
    "mode",
    "round",
    "opened",
    "closed",
    "adopted",
    "reason",
    "electorate",
    "participation",
    "consent",
    "concern",
    "objection",
    "abstain",
    "yes",
    "no",
    "ballots",
    "elected",
    "page_url",
]


def csv_rows(client: Client) -> list[dict[str, str]]:
    response = client.get(en("governance:export_csv"))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_has_one_row_per_round_decided_with_its_counts(
    client: Client, coordinator: User
) -> None:
    adopted = decided_consent(coordinator, named=True)
    author, voter = people("Fanny Auteur", "Gilles Voix")
    amended = discussed(proposal(author, title="Amendée"))
    first = opened(amended)
    position_take(
        round=first,
        by=voter,
        value="objection",
        comment=OBJECTION_REASON,
        change_requested=OBJECTION_CHANGE,
    )
    proposal_amend(proposal=amended, by=author, title="Amendée, v2", text="Nouveau.", note="Oui.")
    running = discussed(proposal(author, title="Encore au vote"))
    opened(running)

    response = client.get(en("governance:export_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="guichet-decisions-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert "etalab.gouv.fr/licence-ouverte" in response["Link"]
    assert 'rel="license"' in response["Link"]
    text = response.content.decode()
    assert text.splitlines()[0] == ",".join(HEADER)
    assert COLUMNS == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    # The round superseded by the amendment, and the one under way, have no outcome yet.
    assert [row["reference"] for row in rows] == [adopted.reference]
    row = rows[0]
    assert row["title"] == adopted.title
    assert (row["kind"], row["mode"], row["round"]) == ("general", "consent", "1")
    assert (row["adopted"], row["reason"]) == ("True", "consent")
    assert (row["electorate"], row["participation"]) == ("4", "3")
    assert (row["consent"], row["concern"], row["objection"], row["abstain"]) == (
        "1",
        "1",
        "1",
        "0",
    )
    assert (row["yes"], row["no"], row["ballots"], row["elected"]) == ("", "", "", "")
    assert row["opened"] < row["closed"]
    assert row["page_url"] == "http://testserver" + en("governance:log_entry", adopted.reference)
    # Counts only: the positions' names are never in the open data.
    for name in ("Alice Martin", "Bruno Petit", "Chloé Durand"):
        assert name not in text
    assert OBJECTION_REASON not in text


def test_the_csv_keeps_rejected_decisions_and_the_second_round_of_an_amended_one(
    client: Client, cleared: dict[str, Any]
) -> None:
    author, voter = people("Fanny Auteur", "Gilles Voix")
    rejected = decided_quickly(author, voter, "Refusée", adopt=False)
    amended = discussed(proposal(author, title="Amendée"))
    first = opened(amended)
    position_take(round=first, by=author, value="consent")
    proposal_amend(proposal=amended, by=author, title="Amendée, v2", text="Nouveau.", note="Oui.")
    second = Round.objects.get(proposal=amended, number=2)
    position_take(round=second, by=author, value="consent")
    position_take(round=second, by=voter, value="consent")  # everyone: it closes

    rows = csv_rows(client)

    # (In the order the rounds closed: the objection kept the first one open to its deadline.)
    by_reference = {row["reference"]: row for row in rows}
    assert sorted((row["reference"], row["round"], row["adopted"]) for row in rows) == [
        (rejected.reference, "1", "False"),
        (amended.reference, "2", "True"),
    ]
    assert by_reference[rejected.reference]["reason"] == "objection_standing"
    assert by_reference[amended.reference]["title"] == "Amendée, v2"


def test_an_election_row_gives_its_ballots_and_the_elected_not_the_voters(
    client: Client, cleared: dict[str, Any]
) -> None:
    _item, _candidates, voters = decided_election()

    rows = csv_rows(client)

    assert len(rows) == 1
    row = rows[0]
    assert (row["mode"], row["reason"], row["ballots"], row["participation"]) == (
        "election",
        "elected",
        "2",
        "2",
    )
    assert row["elected"] == "Camille Candidate"
    assert row["consent"] == row["yes"] == ""
    text = ",".join(row.values())
    for voter in voters:
        assert voter.full_name not in text


def test_the_ods_opens_with_the_rows_and_states_its_licence(
    client: Client, coordinator: User
) -> None:
    adopted = decided_consent(coordinator)

    response = client.get(en("governance:export_ods"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert response["Content-Disposition"].endswith('.ods"')
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    tables = document.body.get_tables()
    assert [table.name for table in tables] == ["decisions", "licence"]
    values = tables[0].get_values()
    assert values[0] == HEADER
    assert len(values) == 2
    row = dict(zip(HEADER, values[1], strict=True))
    assert row["reference"] == adopted.reference
    assert row["adopted"] is True
    assert (row["participation"], row["consent"], row["objection"]) == (3, 1, 1)
    licence = dict(tables[1].get_values())
    assert licence["dataset"] == "decisions"
    assert str(licence["licence"]).startswith("Licence Ouverte")


def test_the_exports_are_public_and_fine_when_nothing_is_decided(
    client: Client, cleared: dict[str, Any]
) -> None:
    assert csv_rows(client) == []
    response = client.get(en("governance:export_ods"))
    assert response.status_code == 200
    tables = Document(io.BytesIO(response.content)).body.get_tables()
    assert tables[0].get_values() == [HEADER]
    assert client.post(en("governance:export_csv")).status_code == 405
