"""The public decision log: the list with its filters, each decision's page, and how we
decide — read by anyone, without signing in, and never showing what is private: names of
anonymous positions, who voted for whom in an election, the discussion, the attachments."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from guichet.accounts.models import User
from guichet.governance.models import (
    CollegeRule,
    DecisionMode,
    Position,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Round,
)
from guichet.governance.services.common import statutes_current
from guichet.governance.services.positions import ballot_cast, objection_examine, position_take
from guichet.governance.services.proposals import (
    comment_add,
    outcome_statement_record,
    proposal_amend,
    proposal_withdraw,
)
from guichet.governance.services.proxies import proxy_give
from guichet.governance.tests.factories import (
    associate,
    closed,
    college,
    discussed,
    election,
    opened,
    proposal,
)

pytestmark = pytest.mark.django_db

OBJECTION_REASON = "Cela priverait les projets amont de leur part."
OBJECTION_CHANGE = "Plafonner le montant à 5 % du chiffre d'affaires."
CONCERN = "Le calendrier me paraît serré."
EXAMINATION = "Une préférence de calendrier, pas un tort fait au réseau."


def en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args or None)


def college_en(slug: str) -> str:
    with translation.override("en"):
        return college(slug).localized_name


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


# --- Builders, with the services (test_feeds and test_exports use them too) ----------------


def people(*names: str, college_slug: str = "contributeurs") -> list[User]:
    return [associate(college_slug, full_name=name) for name in names]


def decided_consent(
    coordinator: User,
    *,
    named: bool = True,
    title: str = "Adopter la charte de contribution",
    text: str = "Chaque membre **reverse** une part aux projets amont.",
) -> Proposal:
    """Adopted by consent: Alice consents, Bruno voices a concern, Chloé objects and the
    facilitator declares her objection not valid; Damien (called) takes no position."""
    alice, bruno = people("Alice Martin", "Bruno Petit", college_slug="fondateurs")
    chloe, _damien = people("Chloé Durand", "Damien Roux", college_slug="contributeurs")
    item = discussed(proposal(alice, title=title, text=text, named_positions=named))
    running = opened(item)
    position_take(round=running, by=alice, value="consent")
    position_take(round=running, by=bruno, value="concern", comment=CONCERN)
    objection = position_take(
        round=running,
        by=chloe,
        value="objection",
        comment=OBJECTION_REASON,
        change_requested=OBJECTION_CHANGE,
    )
    objection_examine(position=objection, by=coordinator, valid=False, reason=EXAMINATION)
    closed(running)
    item.refresh_from_db()
    assert item.status == ProposalStatus.ADOPTED
    return item


def decided_quickly(author: User, voter: User, title: str, adopt: bool = True) -> Proposal:
    """A consent proposal decided in one round: adopted, or not (an objection stands)."""
    item = discussed(proposal(author, title=title, text=f"Texte : {title}"))
    running = opened(item)
    position_take(round=running, by=author, value="consent")
    if not adopt:
        position_take(
            round=running,
            by=voter,
            value="objection",
            comment=OBJECTION_REASON,
            change_requested=OBJECTION_CHANGE,
        )
    closed(running)
    item.refresh_from_db()
    return item


def decided_election(seats: int = 1) -> tuple[Proposal, list[User], list[User]]:
    """An election decided by secret ballot: the candidates, and the voters (not standing)."""
    candidates = people("Camille Candidate", "Dominique Candidat", "Emma Candidate")
    voters = people("Victor Votant", "Valérie Votante", "Vincent Votant")
    item = election(voters[0], candidates, seats=seats)
    discussed(item)
    running = opened(item)
    ids = [c.pk for c in item.candidates.order_by("pk")]
    ballots = [[ids[0], ids[1]], [ids[0]], [ids[1], ids[0]]] if seats > 1 else [[ids[0]]] * 2
    for voter, choices in zip(voters, ballots, strict=False):
        ballot_cast(round=running, by=voter, choices=choices)
    closed(running)
    item.refresh_from_db()
    return item, candidates, voters


# --- The list ---------------------------------------------------------------------------------


def test_the_log_is_public_and_lists_what_was_put_to_a_round(
    client: Client, coordinator: User
) -> None:
    adopted = decided_consent(coordinator)
    author, voter = people("Fanny Auteur", "Gilles Voix")
    rejected = decided_quickly(author, voter, "Porter la cotisation à 200 euros", adopt=False)
    running_item = discussed(proposal(author, title="Ouvrir un groupe accessibilité"))
    opened(running_item)
    drafted = proposal(author, title="Un brouillon encore en discussion")
    withdrawn_after_round = discussed(proposal(author, title="Retirée pendant le vote"))
    opened(withdrawn_after_round)
    proposal_withdraw(proposal=withdrawn_after_round, by=author)
    withdrawn_draft = proposal(author, title="Retirée avant tout vote")
    proposal_withdraw(proposal=withdrawn_draft, by=author)

    html = page(client, en("governance:log"))

    for shown in (adopted, rejected, running_item, withdrawn_after_round):
        assert shown.reference in html
        assert en("governance:log_entry", shown.reference) in html
    # A draft in discussion, or withdrawn before any round, never left the associates' pages.
    assert drafted.reference not in html
    assert withdrawn_draft.reference not in html
    assert "4 decisions" in html
    row = re.search(rf"{rejected.reference}.*?</tr>", html, re.S)
    assert row is not None
    assert "Not adopted" in row.group(0)
    assert "2 of 6" in row.group(0)  # its electorate: Alice…Damien, Fanny, Gilles
    running_row = re.search(rf"{running_item.reference}.*?</tr>", html, re.S)
    assert running_row is not None
    assert "Under way" in running_row.group(0)
    withdrawn_row = re.search(rf"{withdrawn_after_round.reference}.*?</tr>", html, re.S)
    assert withdrawn_row is not None
    assert "Withdrawn" in withdrawn_row.group(0)
    withdrawn_page = page(client, en("governance:log_entry", withdrawn_after_round.reference))
    assert "The proposal was withdrawn before any round decided it." in withdrawn_page
    assert "Ended without an outcome" in withdrawn_page


def test_the_log_shows_the_newest_decision_first_and_those_under_way_before(
    client: Client, cleared: dict[str, Any]
) -> None:
    author, voter = people("Fanny Auteur", "Gilles Voix")
    older = decided_quickly(author, voter, "La plus ancienne")
    newer = decided_quickly(author, voter, "La plus récente")
    Proposal.objects.filter(pk=older.pk).update(decided_at=timezone.now() - timedelta(days=30))
    running_item = discussed(proposal(author, title="En cours de vote"))
    opened(running_item)

    html = page(client, en("governance:log"))

    positions = [html.index(item.reference) for item in (running_item, newer, older)]
    assert positions == sorted(positions)


def test_the_log_filters_by_kind_outcome_and_year_in_a_shareable_address(
    client: Client, cleared: dict[str, Any]
) -> None:
    author, voter = people("Fanny Auteur", "Gilles Voix")
    adopted = decided_quickly(author, voter, "Adoptée")
    rejected = decided_quickly(author, voter, "Refusée", adopt=False)
    last_year = decided_quickly(author, voter, "Adoptée l'an dernier")
    Proposal.objects.filter(pk=last_year.pk).update(
        decided_at=timezone.now().replace(year=timezone.now().year - 1)
    )
    budget = discussed(
        proposal(
            author,
            title="Un budget contributif",
            kind=ProposalKind.CONTRIBUTIVE_BUDGET,
            budget_amount=Decimal("1500.00"),
        )
    )
    opened(budget)
    log = en("governance:log")
    this_year = timezone.localdate().year

    only_adopted = page(client, f"{log}?outcome=adopted")
    assert adopted.reference in only_adopted
    assert last_year.reference in only_adopted
    assert rejected.reference not in only_adopted
    assert budget.reference not in only_adopted

    not_adopted = page(client, f"{log}?outcome=not_adopted")
    assert rejected.reference in not_adopted
    assert adopted.reference not in not_adopted

    under_way = page(client, f"{log}?outcome=under_way&kind=contributive_budget")
    assert budget.reference in under_way
    assert adopted.reference not in under_way
    assert page(client, f"{log}?kind=election").count("<tr>") == 0

    in_year = page(client, f"{log}?year={this_year - 1}")
    assert last_year.reference in in_year
    assert adopted.reference not in in_year
    # The filters come back selected, and the pages keep them.
    assert f'<option value="{this_year - 1}" selected>' in in_year
    assert 'value="adopted" selected' in only_adopted


def test_a_filter_the_log_does_not_know_is_a_bad_request_that_says_why(
    client: Client, cleared: dict[str, Any]
) -> None:
    response = client.get(en("governance:log") + "?outcome=lost&year=1850")

    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Outcome" in html
    assert "Year" in html


def test_the_log_paginates_by_twenty_five_and_its_queries_do_not_grow_with_the_rows(
    client: Client, cleared: dict[str, Any]
) -> None:
    author, voter = people("Fanny Auteur", "Gilles Voix")
    first = [decided_quickly(author, voter, f"Décision {n}") for n in range(3)]
    log = en("governance:log")
    with CaptureQueriesContext(connection) as few:
        page(client, log)
    more = [decided_quickly(author, voter, f"Décision {n}") for n in range(3, 26)]
    with CaptureQueriesContext(connection) as many:
        html = page(client, log)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert html.count("<tr>") == 1 + 25  # the header, then 25 decisions
    assert "Page 1 of 2" in html
    second = page(client, f"{log}?page=2")
    assert first[0].reference in second  # the oldest decision is alone on the second page
    assert more[-1].reference not in second
    # The next page keeps the filters.
    filtered = page(client, f"{log}?outcome=adopted")
    assert 'href="?outcome=adopted&amp;page=2"' in filtered


def test_the_log_links_its_feeds_and_its_open_data(client: Client, cleared: dict[str, Any]) -> None:
    html = page(client, en("governance:log"))

    for name in ("governance:feed_rss", "governance:feed_atom"):
        assert f'href="{en(name)}"' in html
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert f'href="{en("governance:export_csv")}"' in html
    assert f'href="{en("governance:export_ods")}"' in html
    assert "No decision has been put to the associates yet." in html


def test_the_footer_links_to_the_decision_log(client: Client, cleared: dict[str, Any]) -> None:
    html = page(client, en("web:home"))

    footer = html[html.index('<footer class="site-footer">') :]
    assert f'<a href="{en("governance:log")}">Decisions</a>' in footer


# --- One decision's page ----------------------------------------------------------------------


def test_a_decision_page_shows_the_text_the_outcome_its_reason_and_the_named_positions(
    client: Client, coordinator: User
) -> None:
    item = decided_consent(coordinator)
    outcome_statement_record(
        proposal=item, by=item.author, text="La charte entre en vigueur le mois prochain."
    )
    Proposal.objects.filter(pk=item.pk).update(effect_applied="Charte version 3 publiée.")

    html = page(client, en("governance:log_entry", item.reference))

    assert item.reference in html
    assert item.title in html
    assert "Chaque membre <strong>reverse</strong> une part" in html  # rendered Markdown
    assert "General" in html
    assert "Consent" in html
    assert "Adopted by consent: the quorum was met and no objection stood" in html
    assert "La charte entre en vigueur le mois prochain." in html
    assert "Charte version 3 publiée." in html
    # The counts, then who said what (named positions).
    counts = re.search(r"Positions counted.*?</table>", html, re.S)
    assert counts is not None
    assert re.findall(r"<th scope=\"row\">(\w+)</th><td>(\d+)</td>", counts.group(0)) == [
        ("Consent", "1"),
        ("Concern", "1"),
        ("Objection", "1"),
        ("Abstain", "0"),
    ]
    named = re.search(r"Who took which position.*?</table>", html, re.S)
    assert named is not None
    for name in ("Alice Martin", "Bruno Petit", "Chloé Durand"):
        assert name in named.group(0)
    assert "Damien Roux" not in html  # called, silent: only counted in the electorate
    assert CONCERN in html
    # The objection: its reason, the change asked, its state and the facilitator's reason.
    assert "Objection by Chloé Durand" in html
    assert OBJECTION_REASON.replace("'", "&#x27;") in html
    assert OBJECTION_CHANGE.replace("'", "&#x27;") in html
    assert "Declared not valid" in html
    assert EXAMINATION in html
    # Per college, by their names.
    colleges = re.search(r"Per college.*?</table>", html, re.S)
    assert colleges is not None
    assert college_en("fondateurs") in colleges.group(0)
    assert college_en("contributeurs") in colleges.group(0)
    assert "4" in html  # associates called


def test_a_decision_page_reads_the_same_number_of_queries_whatever_its_positions(
    client: Client, coordinator: User
) -> None:
    busy = decided_consent(coordinator)  # three positions, one objection examined
    author, voter = people("Fanny Auteur", "Gilles Voix")
    quiet = decided_quickly(author, voter, "Une seule position")

    with CaptureQueriesContext(connection) as few:
        page(client, en("governance:log_entry", quiet.reference))
    with CaptureQueriesContext(connection) as many:
        page(client, en("governance:log_entry", busy.reference))

    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_anonymous_decision_shows_counts_and_objections_but_no_name(
    client: Client, coordinator: User
) -> None:
    item = decided_consent(coordinator, named=False)

    html = page(client, en("governance:log_entry", item.reference))

    assert "published as counts, without names" in html
    assert "Who took which position" not in html
    for name in ("Alice Martin", "Bruno Petit", "Chloé Durand", "Damien Roux"):
        assert name not in html
    assert OBJECTION_REASON.replace("'", "&#x27;") in html  # the objection, unsigned
    assert "Objection by" not in html
    assert CONCERN not in html  # a concern's comment is part of a named position only
    assert re.search(r"Consent</th><td>1</td>", html)


def test_a_decision_page_never_shows_the_discussion_or_the_attachments(
    client: Client, coordinator: User
) -> None:
    alice = associate("fondateurs", full_name="Alice Martin")
    item = discussed(proposal(alice, title="Avec une discussion"))
    comment_add(proposal=item, by=alice, body="Un message du fil de discussion, privé.")
    running = opened(item)
    position_take(round=running, by=alice, value="consent")
    closed(running)

    html = page(client, en("governance:log_entry", item.reference))

    assert "Un message du fil de discussion" not in html
    assert "espace/" not in html.split("<main", 1)[1].split("</main>")[0]


def test_an_associate_finds_a_link_to_the_private_page_that_visitors_do_not(
    client: Client, coordinator: User
) -> None:
    item = decided_consent(coordinator)
    url = en("governance:log_entry", item.reference)
    private = en("governance:proposal", item.reference)

    assert private not in page(client, url)
    client.force_login(item.author)
    assert private in page(client, url)


def test_an_unknown_reference_or_a_draft_is_not_found(
    client: Client, cleared: dict[str, Any]
) -> None:
    draft = proposal(associate(), title="Un brouillon")

    page(client, en("governance:log_entry", "D-1999-999"), status=404)
    page(client, en("governance:log_entry", draft.reference), status=404)


def test_a_round_under_way_shows_its_deadline_but_no_position(
    client: Client, cleared: dict[str, Any]
) -> None:
    alice, _bruno = people("Alice Martin", "Bruno Petit")
    item = discussed(proposal(alice, title="En cours"))
    running = opened(item)
    position_take(round=running, by=alice, value="consent")

    html = page(client, en("governance:log_entry", item.reference))

    assert "Under way" in html
    assert "A round is under way" in html
    assert "Positions are published when the round closes" in html
    assert "Alice Martin" not in html
    assert "Who took which position" not in html


def test_every_round_is_in_the_history_with_the_objection_the_amendment_integrated(
    client: Client, cleared: dict[str, Any]
) -> None:
    alice, bruno = people("Alice Martin", "Bruno Petit")
    item = discussed(proposal(alice, title="Amendée"))
    first = opened(item)
    position_take(
        round=first,
        by=bruno,
        value="objection",
        comment=OBJECTION_REASON,
        change_requested=OBJECTION_CHANGE,
    )
    proposal_amend(
        proposal=item, by=alice, title="Amendée", text="Le texte **amendé**.", note="Plafond."
    )
    second = Round.objects.get(proposal=item, number=2)
    position_take(round=second, by=alice, value="consent")
    position_take(round=second, by=bruno, value="consent")  # all have spoken: it closes

    html = page(client, en("governance:log_entry", item.reference))

    assert "Round 1, on version 1 of the text" in html
    assert "Round 2, on version 2 of the text" in html
    assert "Ended without an outcome: the text was amended" in html
    assert "Integrated by an amendment" in html
    assert "Positions taken before the round ended" in html
    assert "The text (version 2)" in html
    assert "Le texte <strong>amendé</strong>." in html
    assert "Plafond." in html  # the amendment's note
    assert "Adopted by consent" in html


def test_the_proxy_register_names_the_people_only_when_positions_are_named(
    client: Client, cleared: dict[str, Any]
) -> None:
    for named in (True, False):
        alice, bruno, chloe = people("Alice Martin", "Bruno Petit", "Chloé Durand")
        item = discussed(proposal(alice, title=f"Procurations {named}", named_positions=named))
        proxy_give(giver=chloe, holder=bruno, proposal=item)
        running = opened(item)
        position_take(round=running, by=bruno, value="consent", on_behalf=chloe)
        closed(running)

        html = page(client, en("governance:log_entry", item.reference))

        if named:
            assert "Chloé Durand gave a proxy to Bruno Petit" in html
            assert "(by proxy: Bruno Petit)" in html
        else:
            assert "1 proxy applied." in html
            assert "Chloé Durand" not in html
            assert "Bruno Petit" not in html
        for person in (alice, bruno, chloe):
            person.role_grants.all().delete()  # the next proposal has its own electorate


def test_a_majority_vote_shows_its_weighted_colleges_as_the_round_recorded_them(
    client: Client, cleared: dict[str, Any]
) -> None:
    statutes = statutes_current()
    statutes.weighted_colleges = True
    statutes.quorum_percent = Decimal("50")
    statutes.save()
    CollegeRule.objects.create(
        statutes=statutes, college=college("fondateurs"), weight_percent=Decimal("60")
    )
    CollegeRule.objects.create(
        statutes=statutes, college=college("contributeurs"), weight_percent=Decimal("40")
    )
    (alice,) = people("Alice Martin", college_slug="fondateurs")
    bruno, _chloe = people("Bruno Petit", "Chloé Durand", college_slug="contributeurs")
    item = discussed(proposal(alice, title="Au vote", mode=DecisionMode.MAJORITY))
    running = opened(item)
    position_take(round=running, by=alice, value="yes")
    position_take(round=running, by=bruno, value="no")
    closed(running)

    html = page(client, en("governance:log_entry", item.reference))

    assert "Majority vote" in html
    assert "simple majority" in html
    assert "Adopted: the yes votes reached the majority required" in html
    assert "each college's votes are counted within it, then weighted" in html
    assert "60\u00a0%" in html
    assert "40\u00a0%" in html
    assert "50\u00a0% of the associates called" in html  # the round's quorum


def test_an_election_shows_the_approvals_and_the_elected_never_who_voted(
    client: Client, cleared: dict[str, Any]
) -> None:
    item, _candidates, voters = decided_election(seats=1)

    html = page(client, en("governance:log_entry", item.reference))

    assert "secret ballot" in html
    assert "Elected:" in html
    assert "Camille Candidate" in html
    approvals = re.search(r"Approvals per candidate.*?</table>", html, re.S)
    assert approvals is not None
    assert "2 ballots" in approvals.group(0)
    assert re.search(r"Camille Candidate</th><td>2</td><td>elected", approvals.group(0))
    for voter in voters:
        assert voter.full_name not in html  # who voted is never published
    assert "Voted</dt><dd>2</dd>" in html
    assert "Who took which position" not in html


def test_a_single_transferable_vote_shows_its_quota_and_each_round_of_the_count(
    client: Client, cleared: dict[str, Any]
) -> None:
    item, _candidates, voters = decided_election(seats=2)

    html = page(client, en("governance:log_entry", item.reference))

    assert "3 ballots; quota to be elected: 2 votes." in html
    assert "exact fractions" in html
    assert "Camille Candidate" in html
    assert "Dominique Candidat" in html
    assert 'class="stv-steps"' in html
    for voter in voters:
        assert voter.full_name not in html
    assert not Position.objects.filter(round__proposal=item).exists()


# --- How we decide ----------------------------------------------------------------------------


def test_how_we_decide_explains_the_rules_with_the_statutes_numbers(
    client: Client, cleared: dict[str, Any]
) -> None:
    statutes = statutes_current()
    statutes.quorum_percent = Decimal("25")
    statutes.max_proxies = 2
    statutes.discussion_days = 10
    statutes.round_days = 5
    statutes.weighted_colleges = True
    statutes.save()
    CollegeRule.objects.create(
        statutes=statutes,
        college=college("fondateurs"),
        weight_percent=Decimal("62.5"),
        quorum_percent=Decimal("30"),
    )

    html = page(client, en("governance:rules"))

    assert "How we decide" in html
    assert "at least 10 days" in html
    assert "for 5 days" in html
    assert "At least 25\u00a0% of the associates called" in html
    assert "at most 2 proxies" in html
    assert college_en("fondateurs") in html
    assert "62.5\u00a0%" in html
    assert "30\u00a0%" in html
    assert "harm the network's aims or its ability to work" in html
    assert "breaks the charter or the statutes" in html
    assert "what change would make the proposal safe to try" in html
    for state in (
        "Raised, not examined yet: it blocks while it stands.",
        "Examined and found valid: it blocks while it stands.",
        "Integrated by an amendment: it no longer blocks.",
        "Withdrawn by its author: it no longer blocks.",
        "Declared not valid by the facilitator, who wrote why: it does not block.",
    ):
        assert state in html
    assert "approval voting" in html
    assert "single transferable vote" in html


def test_how_we_decide_says_when_there_is_no_quorum_and_no_weighting(
    client: Client, cleared: dict[str, Any]
) -> None:
    html = page(client, en("governance:rules"))

    assert "None: a round decides whatever the number of associates who take part." in html
    assert "Colleges are not weighted" in html
    assert "at most 1 proxy;" in html
    assert "at least 7 days" in html


def test_the_log_pages_speak_french_by_default(client: Client, coordinator: User) -> None:
    item = decided_consent(coordinator)

    for url in (
        reverse("governance:log"),
        reverse("governance:log_entry", args=[item.reference]),
        reverse("governance:rules"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert '<html lang="fr">' in response.content.decode()
