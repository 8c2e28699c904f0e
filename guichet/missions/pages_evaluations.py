"""The client evaluations' pages, for the browser quality suite (core/registries/pages.py);
missions/pages.py imports this module.

Paths are built from whatever evaluations the demo holds: the client's page by a fresh
token for the first evaluation not yet answered, its "answered" state by one already
answered, the expired link by the demo's expired evaluation, and a member's reply page for the demo
member's organisation. LookupError when the demo has none.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from guichet.core.registries.pages import ANONYMOUS, Page, register
from guichet.missions.demo import EXPIRED_CONTACT
from guichet.missions.domain import workflow
from guichet.missions.models import Evaluation
from guichet.missions.services.evaluations import evaluation_token
from guichet.network.models import Membership

# The demo login that replies for its organisation (see accounts/demo.py).
REPLYING = "member"
REPLYING_EMAIL = "membre@demo.guichet.test"
EVALUABLE = [status for status in workflow.STATUSES if workflow.may_be_evaluated(status)]
EDITABLE = [status for status in workflow.STATUSES if workflow.evaluation_editable(status)]


def _open() -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(expires_at__gt=timezone.now()).order_by("pk")


def _path(evaluation: Evaluation | None, what: str) -> str:
    if evaluation is None:
        raise LookupError(f"The demo has no {what}: load the demo.")
    return reverse("missions:evaluation", args=[evaluation_token(evaluation)])


def _to_answer_path() -> str:
    found = _open().filter(submitted_at__isnull=True, mission__status__in=EVALUABLE)
    return _path(found.exclude(contact_email=EXPIRED_CONTACT).first(), "evaluation to answer")


def _answered_path() -> str:
    found = _open().filter(submitted_at__isnull=False, mission__status__in=EDITABLE)
    return _path(found.first(), "answered evaluation of a mission still open")


def _expired_path() -> str:
    expired = Evaluation.objects.filter(contact_email=EXPIRED_CONTACT).first()
    return _path(expired, "expired evaluation link")


def _reply_path() -> str:
    managed = Membership.objects.filter(person__email=REPLYING_EMAIL, is_manager=True).values(
        "organisation_id"
    )
    evaluation = (
        Evaluation.objects.filter(
            submitted_at__isnull=False, mission__members__organisation__in=managed
        )
        .order_by("pk")
        .first()
    )
    if evaluation is None:
        raise LookupError("The demo member's organisation has no evaluated mission.")
    return reverse("missions:evaluation_reply", args=[evaluation.mission_id, evaluation.pk])


register(Page("mission-evaluation", _to_answer_path, (ANONYMOUS,), ("missions:evaluation",)))
register(Page("mission-evaluation-answered", _answered_path, (ANONYMOUS,)))
register(Page("mission-evaluation-expired", _expired_path, (ANONYMOUS,)))
register(
    Page(
        "mission-evaluation-reply",
        _reply_path,
        (REPLYING,),
        ("missions:evaluation_reply",),
    )
)
