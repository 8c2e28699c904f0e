"""The governance part of the demo: decisions at every stage, taken by the demo's associates.

It loads after the network's demo (ORDER below), which makes some members associates. Each
decision is made once (found by its title, nothing is done again), through the services,
then its dates are moved into the past where it has been decided:

- DISCUSSION_TITLE is in discussion, with a thread of messages.
- OPEN_TITLE has a consent round open: a few positions, among them a concern and an
  objection still raised (for a facilitator to examine); one associate holds the proxy of
  another on it. The "associate" and "coordinator" logins have not positioned yet.
- ADOPTED_TITLE was adopted by consent a month ago, in two rounds: an objection blocked the
  first, the author amended the text (version 2), the second round passed with many
  positions, one objection declared not valid; its outcome is stated.
- REJECTED_TITLE was a majority vote at two thirds, not reached.
- ELECTION_TITLE elected a referent by approval, by secret ballot.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.core.demo_data import DemoLogin
from guichet.governance.models import (
    Candidate,
    Comment,
    DecisionMode,
    Position,
    Proposal,
    ProposalKind,
    ProposalVersion,
    Round,
    Threshold,
)
from guichet.governance.notifications import silenced
from guichet.governance.services.positions import ballot_cast, objection_examine, position_take
from guichet.governance.services.proposals import (
    candidate_add,
    comment_add,
    outcome_statement_record,
    proposal_amend,
    proposal_open,
)
from guichet.governance.services.proxies import proxy_give
from guichet.governance.services.rounds import round_close, round_open

# Loaded after network, needs and missions (the network demo makes members associates).
ORDER = 100

OPEN_TITLE = "Adopter une politique de reversement aux projets amont"
DISCUSSION_TITLE = "Ouvrir un groupe de travail sur l'accessibilité numérique"
ADOPTED_TITLE = "Publier les comptes du réseau chaque trimestre"
REJECTED_TITLE = "Porter la cotisation annuelle à 200 euros"
ELECTION_TITLE = "Élire la personne référente du collège des contributeurs"

COORDINATOR_EMAIL = "coordination@demo.guichet.test"
ASSOCIATE_EMAIL = "associe@demo.guichet.test"

OPEN_TEXT = """\
Chaque mission réalisée par le réseau reverse **3 %** de son montant hors taxes aux projets
libres qu'elle utilise, pour financer leur maintenance.

1. Le reversement est calculé à la clôture de la mission.
2. Il va aux projets amont nommés dans la mission, à parts égales sauf accord contraire.
3. Les comptes publics du réseau indiquent chaque reversement.
"""

DISCUSSION_TEXT = """\
Nous proposons d'ouvrir un groupe de travail sur l'accessibilité numérique (RGAA), ouvert à
tous les membres, pour :

- partager nos grilles d'audit et nos outils ;
- former les membres qui débutent ;
- proposer au réseau des contributions d'accessibilité aux logiciels du catalogue.

Le groupe se réunirait une fois par mois en visioconférence.
"""

ADOPTED_TEXT = """\
Le réseau publie ses comptes chaque trimestre sur sa page publique : chiffre d'affaires des
missions, contributions aux communs, reversements et frais de fonctionnement.
"""

ADOPTED_AMENDED = """\
Le réseau publie ses comptes chaque trimestre sur sa page publique : chiffre d'affaires des
missions, contributions aux communs, reversements et frais de fonctionnement.

Les montants facturés par chaque membre restent agrégés : aucun tarif individuel n'est publié.
"""

REJECTED_TEXT = """\
La cotisation annuelle des membres passe de 120 à 200 euros à partir de l'an prochain, pour
financer un second poste de coordination à mi-temps.
"""

ELECTION_TEXT = """\
Le collège des contributeurs élit sa personne référente pour deux ans. Elle représente le
collège auprès de la coordination et anime ses réunions. Vote par approbation : cochez
chaque candidature que vous approuvez.
"""


def _associates() -> list[User]:
    return list(
        User.objects.filter(role_grants__role=Role.ASSOCIATE, is_active=True)
        .order_by("pk")
        .distinct()
    )


def _exists(title: str) -> bool:
    return Proposal.objects.filter(title=title).exists()


def _open(author: User, title: str, text: str, **fields: Any) -> Proposal:
    return proposal_open(by=author, title=title, text=text, **fields)


def _backdate(proposal: Proposal, opened_at: datetime, discussion_days: int = 7) -> None:
    """The proposal as if opened at `opened_at`: its versions and messages along with it."""
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=opened_at, discussion_ends_at=opened_at + timedelta(days=discussion_days)
    )
    ProposalVersion.objects.filter(proposal=proposal, number=1).update(created_at=opened_at)
    for offset, comment in enumerate(Comment.objects.filter(proposal=proposal).order_by("pk")):
        Comment.objects.filter(pk=comment.pk).update(
            created_at=opened_at + timedelta(hours=5 + 19 * offset)
        )
    proposal.refresh_from_db()


def _round_dates(round_: Round, opened_at: datetime, closes_at: datetime) -> Round:
    Round.objects.filter(pk=round_.pk).update(opened_at=opened_at, closes_at=closes_at)
    positions = list(Position.objects.filter(round=round_).order_by("pk"))
    # Spread over the first half of the round (or until now, for a round still open).
    until = min(opened_at + (closes_at - opened_at) / 2, timezone.now())
    step = (until - opened_at) / (len(positions) + 1)
    for offset, position in enumerate(positions, start=1):
        Position.objects.filter(pk=position.pk).update(taken_at=opened_at + step * offset)
    round_.refresh_from_db()
    return round_


def _decide(round_: Round, opened_at: datetime, days: int = 7) -> Round:
    """Close the round as at its deadline, `days` after `opened_at` (in the past)."""
    closes_at = opened_at + timedelta(days=days)
    _round_dates(round_, opened_at, closes_at)
    return round_close(round=round_, now=closes_at + timedelta(minutes=5))


def _objection(round_: Round, by: User, comment: str, change: str) -> Position:
    return position_take(
        round=round_, by=by, value="objection", comment=comment, change_requested=change
    )


def _discussion(author: User, coordinator: User, others: list[User]) -> None:
    proposal = _open(author, DISCUSSION_TITLE, DISCUSSION_TEXT)
    comment_add(
        proposal=proposal,
        by=coordinator,
        body="Bonne idée. La coordination peut réserver un créneau mensuel et un salon de "
        "visioconférence.",
    )
    if others:
        comment_add(
            proposal=proposal,
            by=others[0],
            body="Nous avons une grille d'audit RGAA 4.1 que nous pouvons partager dès la "
            "première réunion.",
        )
    comment_add(
        proposal=proposal,
        by=author,
        body="Merci ! Je propose une première réunion le mois prochain ; dites-moi vos "
        "disponibilités.",
    )
    _backdate(proposal, timezone.now() - timedelta(days=2))


def _open_round(author: User, others: list[User], holder: User) -> None:
    proposal = _open(author, OPEN_TITLE, OPEN_TEXT)
    opened_at = timezone.now() - timedelta(days=9)
    comment_add(
        proposal=proposal,
        by=others[0],
        body="3 % me semble raisonnable pour les missions de plus de 10 000 euros.",
    )
    _backdate(proposal, opened_at)
    if len(others) > 5:
        proxy_give(giver=others[5], holder=holder, proposal=proposal)
    running = round_open(proposal=proposal, by=author)
    position_take(round=running, by=others[0], value="consent")
    position_take(round=running, by=others[1], value="consent")
    position_take(
        round=running,
        by=others[2],
        value="concern",
        comment="Le calcul à parts égales avantagera les petits projets ; c'est voulu ?",
    )
    if len(others) > 3:
        _objection(
            running,
            others[3],
            "Sur les petites missions, 3 % ne couvrent pas les frais de virement et de suivi : "
            "cela coûterait au réseau plus que cela ne rapporte aux projets.",
            "Un seuil : pas de reversement en dessous de 2 000 euros de mission.",
        )
    if len(others) > 4:
        position_take(round=running, by=others[4], value="abstain")
    started = opened_at + timedelta(days=7)
    _round_dates(running, started, timezone.now() + timedelta(days=5))


def _adopted(author: User, coordinator: User, others: list[User]) -> None:
    proposal = _open(author, ADOPTED_TITLE, ADOPTED_TEXT)
    opened_at = timezone.now() - timedelta(days=45)
    comment_add(
        proposal=proposal,
        by=others[0],
        body="Publier le chiffre d'affaires par membre revient à publier nos tarifs.",
    )
    _backdate(proposal, opened_at)
    first = round_open(proposal=proposal, by=author)
    objector = others[0]
    _objection(
        first,
        objector,
        "Publier les montants par membre révèle les tarifs de chacun à ses concurrents.",
        "Agréger les montants : aucun tarif individuel publié.",
    )
    for person in others[1:4]:
        position_take(round=first, by=person, value="consent")
    proposal_amend(
        proposal=proposal,
        by=author,
        title=ADOPTED_TITLE,
        text=ADOPTED_AMENDED,
        note="Les montants par membre restent agrégés, comme l'objection le demandait.",
    )
    first_opened = opened_at + timedelta(days=7)
    superseded_at = first_opened + timedelta(days=2)
    _round_dates(first, first_opened, first_opened + timedelta(days=7))
    Round.objects.filter(pk=first.pk).update(closed_at=superseded_at)
    ProposalVersion.objects.filter(proposal=proposal, number=2).update(created_at=superseded_at)
    second = Round.objects.get(proposal=proposal, number=2)
    # Everyone but the two demo logins takes a position in the second round.
    for number, person in enumerate(others):
        if number == len(others) - 1 and len(others) > 4:
            blocked = _objection(
                second,
                person,
                "Je préférerais une publication annuelle, plus simple à préparer.",
                "Publier une fois par an.",
            )
            objection_examine(
                position=blocked,
                by=coordinator,
                valid=False,
                reason="Une préférence sur le rythme, qui ne montre aucun tort aux buts du "
                "réseau : l'objection n'est pas retenue.",
            )
        elif number % 5 == 3:
            position_take(
                round=second,
                by=person,
                value="concern",
                comment="Il faudra du temps de coordination pour préparer chaque publication.",
            )
        elif number % 7 == 6:
            position_take(round=second, by=person, value="abstain")
        else:
            position_take(round=second, by=person, value="consent")
    decided = _decide(second, superseded_at)
    if decided.adopted:
        outcome_statement_record(
            proposal=proposal,
            by=author,
            text="Adoptée sans objection valable au second tour. Première publication à la fin "
            "du trimestre en cours ; la coordination prépare le modèle.",
        )


def _rejected(author: User, others: list[User]) -> None:
    proposal = _open(
        author,
        REJECTED_TITLE,
        REJECTED_TEXT,
        mode=DecisionMode.MAJORITY,
        threshold=Threshold.TWO_THIRDS,
    )
    opened_at = timezone.now() - timedelta(days=30)
    comment_add(
        proposal=proposal,
        by=others[-1],
        body="Pour les petites structures, 80 euros de plus, c'est beaucoup.",
    )
    _backdate(proposal, opened_at)
    running = round_open(proposal=proposal, by=author)
    voters = [author, *others]
    for number, person in enumerate(voters):
        value = ("yes", "no", "yes", "no", "abstain")[number % 5]
        position_take(round=running, by=person, value=value)
    decided = _decide(running, opened_at + timedelta(days=7))
    outcome_statement_record(
        proposal=proposal,
        by=author,
        text="Les deux tiers ne sont pas atteints : la cotisation reste à 120 euros. Une "
        "proposition de cotisation progressive suivra."
        if not decided.adopted
        else "Adoptée aux deux tiers.",
    )


def _election(author: User, candidates: list[User], voters: list[User]) -> None:
    proposal = _open(author, ELECTION_TITLE, ELECTION_TEXT, kind=ProposalKind.ELECTION)
    statements = [
        "Membre depuis trois ans, j'anime déjà les réunions mensuelles du collège.",
        "Je souhaite que le collège soit mieux représenté dans les décisions de budget.",
    ]
    for person, statement in zip(candidates, statements, strict=False):
        candidate_add(proposal=proposal, by=person, person=person, statement=statement)
    opened_at = timezone.now() - timedelta(days=20)
    _backdate(proposal, opened_at)
    running = round_open(proposal=proposal, by=author)
    ids = list(Candidate.objects.filter(proposal=proposal).values_list("pk", flat=True))
    for number, person in enumerate(voters):
        choice = [ids[0]] if number % 3 else ids  # the first approved by everyone
        if number % 4 == 3 and len(ids) > 1:
            choice = [ids[1]]
        ballot_cast(round=running, by=person, choices=choice)
    decided = _decide(running, opened_at + timedelta(days=7))
    if decided.adopted:
        outcome_statement_record(
            proposal=proposal,
            by=author,
            text="La personne la plus approuvée est élue référente du collège pour deux ans.",
        )


def load() -> list[DemoLogin]:
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    associate = User.objects.filter(email=ASSOCIATE_EMAIL).first()
    everyone = _associates()
    if coordinator is None or associate is None or len(everyone) < 6:
        return []
    # The associates other than the two demo logins, who act in the decisions below.
    others = [person for person in everyone if person.pk not in (coordinator.pk, associate.pk)]
    # Oldest first, so that the references follow the dates. The demo's associates are not
    # emailed about decisions that, as far as the demo goes, were taken in the past.
    with silenced():
        if not _exists(ADOPTED_TITLE):
            _adopted(associate, coordinator, others)
        if not _exists(REJECTED_TITLE):
            _rejected(coordinator, others)
        if not _exists(ELECTION_TITLE):
            _election(coordinator, others[:2], [coordinator, associate, *others[2:]])
        if not _exists(OPEN_TITLE):
            _open_round(coordinator, others, holder=associate)
        if not _exists(DISCUSSION_TITLE):
            _discussion(associate, coordinator, others)
    return []
