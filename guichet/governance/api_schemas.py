"""What governance's API answers and accepts (the endpoints are in api.py)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from guichet.governance.services.positions import MAX_TEXT

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PRIVATE = "Associates and coordinators only (token or session), else null."


# What the endpoints answer.


class PersonOut(Schema):
    id: int
    name: str = Field(description="The name the person gives (never an email address).")


class CandidateOut(Schema):
    id: int = Field(description="The candidate's id: name it in a ballot's `choices`.")
    person: PersonOut
    statement: str


class StvRoundOut(Schema):
    votes: dict[str, str] = Field(
        description="Continuing candidates' votes (candidate id → exact fraction, as text)."
    )
    exhausted: str = Field(description="Weight of ballots with no continuing candidate left.")
    elected: list[str] = Field(description="Candidate ids elected at this step.")
    excluded: str | None = Field(description="The candidate id excluded at this step, if any.")


class ElectionResultOut(Schema):
    """The count, by candidate: never a ballot, never who voted for whom."""

    method: str = Field(description="approval (one seat), stv (several); empty: not counted.")
    ballots: int = Field(description="How many ballots were cast.")
    elected: list[CandidateOut]
    tied: list[CandidateOut] = Field(description="Approval: the candidates tied for the seat.")
    approvals: dict[str, int] = Field(description="Approval: candidate id → approvals.")
    quota: int | None = Field(description="STV: the Droop quota.")
    rounds: list[StvRoundOut] = Field(description="STV: the count, step by step.")


class OutcomeSummaryOut(Schema):
    round: int = Field(description="The round that decided.")
    version: int = Field(description="The version of the text it decided on.")
    closed_at: datetime
    adopted: bool
    reason: str = Field(
        description="consent, objection_standing, quorum_not_met, majority, "
        "majority_not_reached, no_vote_cast, elected, tie or no_one_elected."
    )
    reason_label: str = Field(description="The reason in plain words.")
    counts: dict[str, int] = Field(
        description="Positions counted, per position (elections: the ballots)."
    )
    counts_by_college: dict[str, dict[str, int]] = Field(
        description="The same, within each college (college slug → position → count)."
    )
    participation: int = Field(description="Associates counted (themselves or by proxy).")
    electorate: int = Field(description="Associates who could take part.")
    result: ElectionResultOut | None = Field(description="Elections only.")


class OutcomeOut(OutcomeSummaryOut):
    reference: str
    status: str
    status_label: str
    decided_at: datetime | None
    outcome_statement: str = Field(description="Written by the author or a coordinator.")
    effect_applied: str = Field(description="What the decision did (an admission, a rule…).")


class MyPositionOut(Schema):
    value: str
    value_label: str
    comment: str
    change_requested: str
    objection_state: str = Field(
        description="For an objection: raised, examined, integrated, withdrawn or not_valid."
    )
    objection_state_label: str
    by_proxy: bool = Field(description="Taken by the holder of the person's proxy.")
    cast_by: PersonOut
    taken_at: datetime


class MineOut(Schema):
    """One's own part in the open round (associates and coordinators only)."""

    in_electorate: bool = Field(description="Whether you may take part in the open round.")
    position: MyPositionOut | None = Field(description="Your position in the open round.")
    voted: bool = Field(
        description="Elections: your ballot is cast (what it says is secret, never shown)."
    )


class MineDetailOut(MineOut):
    proxies_held: list[PersonOut] = Field(
        description="The associates whose proxy you hold for the open round (within the cap)."
    )


class CurrentRoundOut(Schema):
    number: int
    version: int
    opened_at: datetime
    closes_at: datetime
    electorate: int
    taken: int | None = Field(description="Positions (or ballots) so far. " + PRIVATE)


class ProposalRowOut(Schema):
    reference: str = Field(description="The number to quote, e.g. D-2026-007.")
    title: str
    kind: str = Field(
        description="general, admission, exclusion, charter_change, rule_change, "
        "contributive_budget or election."
    )
    kind_label: str
    mode: str = Field(description="consent, majority or election.")
    mode_label: str
    threshold: str = Field(description="Majority votes: simple or two_thirds.")
    status: str = Field(description="discussion, voting, adopted, rejected or withdrawn.")
    status_label: str
    created_at: datetime
    discussion_ends_at: datetime = Field(description="No round closes before.")
    decided_at: datetime | None
    version: int = Field(description="The current version of the text.")
    text: str = Field(description="The current version's text, in Markdown.")
    named_positions: bool = Field(description="Whether positions are published with names.")
    current_round: CurrentRoundOut | None
    outcome: OutcomeSummaryOut | None = Field(description="Once decided.")
    mine: MineOut | None = Field(description=PRIVATE)


class PositionOut(Schema):
    person: PersonOut
    college: str = Field(description="The college's slug.")
    value: str
    value_label: str
    by_proxy: bool
    cast_by: PersonOut = Field(description="Who took it: the person, or their proxy holder.")
    comment: str = Field(description="A concern's comment, an objection's reason.")
    change_requested: str = Field(description="What would make it safe to try (objections).")
    objection_state: str
    objection_state_label: str
    examination: str = Field(description="The facilitator's reasons (objections).")
    taken_at: datetime


class ObjectionOut(Schema):
    person: PersonOut | None = Field(description="Null when the proposal names no position.")
    reason: str
    change_requested: str
    state: str = Field(description="raised, examined, integrated, withdrawn or not_valid.")
    state_label: str
    examination: str = Field(description="The facilitator's reasons.")


class RoundOut(Schema):
    number: int
    version: int
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    open: bool
    electorate: int
    taken: int | None = Field(description="While open: positions (or ballots) so far. " + PRIVATE)
    adopted: bool | None = Field(description="Null while open, or when superseded.")
    reason: str
    reason_label: str
    counts: dict[str, int] = Field(description="Recorded when the round closes with an outcome.")
    counts_by_college: dict[str, dict[str, int]]
    participation: int
    proxies: int = Field(description="Proxies applied at the close.")
    result: ElectionResultOut | None = Field(description="Elections only, once closed.")
    positions: list[PositionOut] | None = Field(
        description="When the proposal names positions: public once the round is closed; "
        "while it runs, for associates and coordinators only. Null otherwise, and always in "
        "elections (ballots are secret)."
    )
    objections: list[ObjectionOut] | None = Field(
        description="The objections and where they stand (named only when positions are): "
        "public once the round is closed, for associates and coordinators while it runs."
    )


class ProposalOut(ProposalRowOut):
    text_html: str = Field(description="The text rendered as safe HTML.")
    seats: int = Field(description="Elections: the seats to fill.")
    budget_amount: str | None = Field(
        description="Contributive budgets: in euros, an exact decimal."
    )
    outcome_statement: str
    effect_applied: str
    candidates: list[CandidateOut] = Field(description="Elections only.")
    rounds: list[RoundOut]
    mine: MineDetailOut | None = Field(description=PRIVATE)


class ProposalPageOut(Schema):
    items: list[ProposalRowOut]
    count: int = Field(description="How many proposals match, on every page.")


class PositionTakenOut(Schema):
    reference: str
    round: int
    person: PersonOut = Field(description="Whose position it is (you, or whom you vote for).")
    position: MyPositionOut
    round_closed: bool = Field(
        description="Whether this position completed the round, which then closed."
    )
    status: str = Field(description="The proposal's status after it.")


class BallotCastOut(Schema):
    reference: str
    round: int
    person: PersonOut = Field(description="Whose vote it is (you, or whom you vote for).")
    voted: bool
    round_closed: bool = Field(description="Whether this ballot completed the round.")
    status: str = Field(description="The proposal's status after it.")


# What the endpoints accept. Values are checked by the endpoints, so that every refusal
# comes as a translated message in the shared shape.


class ProposalFilters(Schema):
    status: str = Field("", description="discussion, voting, adopted, rejected or withdrawn.")
    kind: str = Field(
        "",
        description="general, admission, exclusion, charter_change, rule_change, "
        "contributive_budget or election.",
    )
    page: int | str = Field(1, description="From 1.")
    page_size: int | str = Field(PAGE_SIZE, description=f"From 1 to {MAX_PAGE_SIZE}.")


class PositionIn(Schema):
    value: str = Field(
        "",
        description="Consent: consent, concern, objection or abstain; majority: yes, no or "
        "abstain.",
    )
    comment: str = Field(
        "",
        description="Required for a concern, and for an objection (its reason: what harm "
        f"would it do to the network's aims?). At most {MAX_TEXT} characters.",
    )
    change_requested: str = Field(
        "",
        description="An objection: the change that would make the proposal safe to try "
        f"(required). At most {MAX_TEXT} characters.",
    )
    on_behalf: int | str | None = Field(
        None, description="The id of the associate whose proxy you hold, to vote for them."
    )


class BallotIn(Schema):
    choices: list[int | str] = Field(
        default_factory=list,
        description="Candidate ids: the ones you approve (one seat), or ranked, first "
        "choice first (several seats).",
    )
    on_behalf: int | str | None = Field(
        None, description="The id of the associate whose proxy you hold, to vote for them."
    )
