"""The permission table: every URL of the site, for every kind of visitor.

One row per URL (and method, and way of signing in), with the status each role gets. To add
a page, add a row; `test_every_url_of_the_site_is_in_the_table` fails until you do.

Rules the table pins (docs/architecture.md, rule 7):
- a page that needs an account sends an anonymous visitor to the sign-in page;
- another organisation's object, or another person's, is a 404 — never a 403 that would
  confirm it exists;
- the API answers 401 without valid credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import ORG_X, ORG_Y
from guichet.accounts.models import ApiToken, User
from guichet.accounts.services import api_token_create
from guichet.accounts.tests.factories import UserFactory
from guichet.core.tokens import secret_new
from guichet.governance.demo import ADOPTED_TITLE, OPEN_TITLE
from guichet.governance.models import Attachment, Proposal
from guichet.governance.services.proposals import proposal_open
from guichet.missions.demo import CLOSED_TITLES, RUNNING_TITLE
from guichet.needs.demo import QUALIFIED_TITLE, SHORTLISTED_TITLE
from guichet.needs.models import (
    Consortium,
    ConsortiumMember,
    Lot,
    ProviderInvitation,
    Request,
    RequestDocument,
    ShortlistEntry,
)
from guichet.needs.services.consortia import consortium_propose
from guichet.needs.services.links import confirmation_prepare, follow_token
from guichet.needs.services.matching import lot_rank
from guichet.needs.services.shortlists import shortlist_propose, shortlist_send
from guichet.network.models import Application, ApplicationKind, EvaluatorAssignment, Organisation
from guichet.network.models.links import SoftwareLink
from guichet.network.models.organisations import Membership
from guichet.network.services.admission import application_submit
from guichet.network.services.charter import charter_draft_start, draft_in_progress

# Who visits: the role's name in the table, and the demo login that plays it.
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "client": "client",
    "member_x": "member",  # manager of ORG_X
    "member_y": "member_other",  # manager of ORG_Y
    "associate": "associate",  # member of ORG_X, college "contributeurs"
    "coordinator": "coordinator",
    "staff": "staff",
}
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
ORG_CLIENT = "ville-de-saint-aubin"

TO_LOGIN = "302 to the sign-in page"


class World:
    """The demo people, each with a personal API token, and an outsider who owns a token too."""

    def __init__(self, people: Mapping[str, User]) -> None:
        self.people = people
        self.outsider = UserFactory.create()
        self.outsider_token, _ = api_token_create(user=self.outsider, name="Not yours")
        self._tokens: dict[str, tuple[ApiToken, str]] = {}

    def person(self, role: str) -> User | None:
        key = ROLES[role]
        return self.people[key] if key else None

    def token(self, role: str) -> tuple[ApiToken, str] | None:
        person = self.person(role)
        if person is None:
            return None
        if role not in self._tokens:
            self._tokens[role] = api_token_create(user=person, name="Mine")
        return self._tokens[role]

    def own_token_id(self, role: str) -> int:
        token = self.token(role)
        return token[0].pk if token else self.outsider_token.pk


Args = Callable[[World, str], Mapping[str, Any] | list[Any]]


@dataclass(frozen=True)
class Row:
    """One URL, called one way, and the status each role gets."""

    url_name: str
    expected: Mapping[str, int | str]
    args: list[Any] | Args = field(default_factory=list)
    method: str = "get"
    data: Mapping[str, Any] = field(default_factory=dict)
    # "session": signed in through the browser; "token": the role's own API token.
    auth: str = "session"
    label: str = ""

    @property
    def id(self) -> str:
        return "-".join(filter(None, [self.url_name, self.method.upper(), self.auth, self.label]))

    def path(self, world: World, role: str) -> str:
        args = self.args(world, role) if callable(self.args) else self.args
        if isinstance(args, Mapping):
            return reverse(self.url_name, kwargs=dict(args))
        return reverse(self.url_name, args=args)


def everyone(status: int) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, *, anonymous: int | str = TO_LOGIN) -> dict[str, int | str]:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status)}


def only(roles: set[str], status: int = 200, *, others: int = 404) -> dict[str, int | str]:
    assert roles <= set(SIGNED_IN)
    return {"anonymous": TO_LOGIN, **{r: status if r in roles else others for r in SIGNED_IN}}


def api(status: int) -> dict[str, int | str]:
    return signed_in(status, anonymous=401)


COORDINATION = {"coordinator", "staff"}

TABLE: list[Row] = [
    # Public pages.
    Row("web:home", everyone(200)),
    Row("web:legal", everyone(200)),
    Row("web:accessibility", everyone(200)),
    Row("web:source", everyone(200)),
    Row("web:open_data", everyone(200)),
    Row("set_language", everyone(302), method="post", data={"language": "en", "next": "/"}),
    # Signing in: only for those who are not.
    Row("account_login", signed_in(302, anonymous=200)),
    Row("account_signup", signed_in(302, anonymous=200)),
    # My space.
    Row("web:dashboard", signed_in(200)),
    Row("web:coordination", only(COORDINATION)),
    Row("accounts:tokens", signed_in(200)),
    Row("accounts:tokens", signed_in(200), method="post", data={"name": "Sync", "days": 30}),
    Row(
        "accounts:token_revoke",
        signed_in(302),
        args=lambda world, role: [world.own_token_id(role)],
        method="post",
        label="own",
    ),
    Row(
        "accounts:token_revoke",
        signed_in(404),
        args=lambda world, role: [world.outsider_token.pk],
        method="post",
        label="someone-else-s",
    ),
    Row("privacy:my_data", signed_in(200)),
    Row("privacy:export", signed_in(200)),
    Row("privacy:erase", signed_in(200)),
    # Organisation spaces: one's own, and every one for coordination.
    Row(
        "network:organisation_space",
        only({"member_x", "associate"} | COORDINATION),
        args=[ORG_X],
        label="org-x",
    ),
    Row(
        "network:organisation_space", only({"member_y"} | COORDINATION), args=[ORG_Y], label="org-y"
    ),
    Row(
        "network:organisation_space",
        only({"client"} | COORDINATION),
        args=[ORG_CLIENT],
        label="client-org",
    ),
    Row("network:organisation_space", signed_in(404), args=["no-such-org"], label="missing"),
    # The public directory, catalogue, charter and open data: everyone, signed in or not.
    Row("network:directory", everyone(200)),
    Row("network:organisation", everyone(200), args=[ORG_X], label="member"),
    Row("network:organisation", everyone(404), args=[ORG_CLIENT], label="client-org"),
    Row("network:software_list", everyone(200)),
    Row("network:software", everyone(200), args=["glpi"]),
    Row("network:charter", everyone(200)),
    Row("network:charter_version", everyone(200), args=[1]),
    Row("network:export", everyone(200), args=["organisations", "csv"]),
    # The API.
    Row("api-1:openapi-json", everyone(200)),
    Row("api-1:openapi-view", everyone(200)),
    Row("api-1:api-root", everyone(404)),  # django-ninja's anchor for its URLs, not a page
    Row("api-1:me", api(200), auth="session"),
    Row("api-1:me", api(200), auth="token"),
    Row("api-1:tokens", api(200), auth="token"),
    Row(
        "api-1:token_revoke",
        api(204),
        args=lambda world, role: {"token_id": world.own_token_id(role)},
        method="delete",
        auth="token",
        label="own",
    ),
    Row(
        "api-1:token_revoke",
        api(404),
        args=lambda world, role: {"token_id": world.outsider_token.pk},
        method="delete",
        auth="token",
        label="someone-else-s",
    ),
    # Django's administration: staff only; everyone else is sent to sign in, or refused.
    Row("admin:index", {**everyone(302), "staff": 200}),
    Row("admin:login", {"anonymous": TO_LOGIN, **dict.fromkeys(SIGNED_IN, 403), "staff": 302}),
]


# Admission by peers. The demo's candidate (Numérique Solidaire Rennes) is being evaluated by,
# among others, the "member" login (manager of ORG_X); Opale Conseil awaits its decision.
def demo_admission(slug: str) -> int:
    return Application.objects.get(organisation__slug=slug, kind=ApplicationKind.ADMISSION).pk


def reevaluation_of_x(world: World, role: str) -> list[int]:
    """A periodic re-evaluation of ORG_X: its own people follow it like an applicant."""
    organisation = Organisation.objects.get(slug=ORG_X)
    found = Application.objects.filter(organisation=organisation, kind="reevaluation").first()
    if found is None:
        found = application_submit(
            organisation=organisation, by=None, kind=ApplicationKind.REEVALUATION
        )
    return [found.pk]


def member_x_evaluation(world: World, role: str) -> list[int]:
    return [
        EvaluatorAssignment.objects.get(
            application=demo_admission("numerique-solidaire-rennes"),
            evaluator_organisation__slug=ORG_X,
        ).pk
    ]


SENT_TO_COORDINATION = {"coordinator": 302, "staff": 302}
TABLE += [
    Row("network:apply", everyone(200)),
    # An empty application: refused (400) for whoever is signed in; the visitor gets the page.
    Row("network:apply", signed_in(400, anonymous=200), method="post"),
    Row(
        "network:application",
        {**only(set()), **SENT_TO_COORDINATION},
        args=lambda world, role: [demo_admission("numerique-solidaire-rennes")],
        label="another-organisation-s",
    ),
    Row(
        "network:application",
        {**only({"member_x", "associate"}), **SENT_TO_COORDINATION},
        args=reevaluation_of_x,
        label="own-organisation-s",
    ),
    Row("network:evaluation", only({"member_x"}), args=member_x_evaluation),
    Row(
        "network:organisation_charter_sign",
        {**only({"member_x"}, 302), "associate": 403, "coordinator": 403, "staff": 403},
        args=[ORG_X],
        method="post",
    ),
    Row("network:coordination_applications", only(COORDINATION)),
    Row(
        "network:coordination_application",
        only(COORDINATION),
        args=lambda world, role: [demo_admission("opale-conseil")],
    ),
    # Empty forms: coordinators are told what is missing; nobody else finds the page.
    Row("network:coordination_open", only(COORDINATION, 400), method="post"),
    Row(
        "network:coordination_assign",
        only(COORDINATION, 400),
        args=lambda world, role: [demo_admission("numerique-solidaire-rennes")],
        method="post",
    ),
    # Putting an application to the associates' decision: done once its evaluations are
    # complete (then the application's page), refused with the reason before.
    Row(
        "network:coordination_decide",
        only(COORDINATION, 302),
        args=lambda world, role: [demo_admission("opale-conseil")],
        method="post",
    ),
    Row(
        "network:coordination_decide",
        only(COORDINATION, 400),
        args=lambda world, role: [demo_admission("numerique-solidaire-rennes")],
        method="post",
        label="still-evaluated",
    ),
    Row(
        "network:coordination_withdraw",
        only(COORDINATION, 302),
        args=lambda world, role: [demo_admission("studio-caennais")],
        method="post",
    ),
    # The applicant withdraws: never another organisation's application (coordinators
    # included: theirs is coordination_withdraw); on its own re-evaluation, a manager is told
    # why not (400), and a person who does not manage the organisation is refused.
    Row(
        "network:application_withdraw",
        only(set()),
        args=lambda world, role: [demo_admission("numerique-solidaire-rennes")],
        method="post",
        data={"confirm": "on"},
        label="another-organisation-s",
    ),
    Row(
        "network:application_withdraw",
        {**only({"member_x"}, 400), "associate": 403},
        args=reevaluation_of_x,
        method="post",
        data={"confirm": "on"},
        label="own-reevaluation",
    ),
    Row("network:coordination_reevaluations", only(COORDINATION)),
    Row("network:coordination_reevaluations", only(COORDINATION, 302), method="post"),
]


# Editing an organisation (its managers, coordinators) and the catalogue (coordinators).
MANAGES_X = {"member_x"} | COORDINATION
MANAGES_Y = {"member_y"} | COORDINATION


def api_only(roles: set[str], status: int = 200) -> dict[str, int | str]:
    return {"anonymous": 401, **{r: status if r in roles else 404 for r in SIGNED_IN}}


def first_link_pk(slug: str) -> int:
    return SoftwareLink.objects.filter(organisation__slug=slug).order_by("pk")[0].pk


def link_of_x(world: World, role: str) -> list[Any]:
    return [ORG_X, first_link_pk(ORG_X)]


def link_of_y_through_x(world: World, role: str) -> list[Any]:
    """ORG_Y's link asked for under ORG_X's address: a 404 even for coordinators."""
    return [ORG_X, first_link_pk(ORG_Y)]


def associate_in_x(world: World, role: str) -> list[Any]:
    person = world.person("associate")
    return [ORG_X, Membership.objects.get(organisation__slug=ORG_X, person=person).pk]


def membership_of_y_through_x(world: World, role: str) -> list[Any]:
    return [ORG_X, Membership.objects.filter(organisation__slug=ORG_Y).order_by("pk")[0].pk]


TABLE += [
    Row("network:organisation_edit", only(MANAGES_X), args=[ORG_X], label="org-x"),
    Row("network:organisation_edit", only(MANAGES_Y), args=[ORG_Y], label="org-y"),
    Row(
        "network:organisation_edit",
        only({"client"} | COORDINATION),
        args=[ORG_CLIENT],
        label="client-org",
    ),
    Row("network:organisation_edit", signed_in(404), args=["no-such-org"], label="missing"),
    # Empty forms: those who may edit are told what is missing; nobody else finds the page.
    Row("network:organisation_edit", only(MANAGES_X, 400), args=[ORG_X], method="post"),
    Row("network:organisation_person_add", only(MANAGES_X, 400), args=[ORG_X], method="post"),
    Row(
        "network:organisation_person_role",
        only(MANAGES_X, 302),
        args=associate_in_x,
        method="post",
        data={"role": "manager"},
    ),
    Row(
        "network:organisation_person_remove",
        only(MANAGES_X, 302),
        args=associate_in_x,
        method="post",
    ),
    Row(
        "network:organisation_person_remove",
        signed_in(404),
        args=membership_of_y_through_x,
        method="post",
        label="another-organisation-s",
    ),
    Row("network:organisation_links", only(MANAGES_X), args=[ORG_X], label="org-x"),
    Row("network:organisation_links", only(MANAGES_Y), args=[ORG_Y], label="org-y"),
    Row("network:organisation_links", only(MANAGES_X, 400), args=[ORG_X], method="post"),
    Row("network:organisation_link", only(MANAGES_X), args=link_of_x),
    Row(
        "network:organisation_link",
        signed_in(404),
        args=link_of_y_through_x,
        label="another-organisation-s",
    ),
    Row("network:organisation_link_remove", only(MANAGES_X), args=link_of_x),
    Row("network:organisation_link_remove", only(MANAGES_X, 302), args=link_of_x, method="post"),
    # Verifying is the coordinators' alone, even on the organisation one manages.
    Row("network:organisation_link_verify", only(COORDINATION, 302), args=link_of_x, method="post"),
    Row(
        "network:organisation_link_verify",
        signed_in(404),
        args=link_of_y_through_x,
        method="post",
        label="another-organisation-s",
    ),
    Row("network:coordination_software_list", only(COORDINATION)),
    Row("network:coordination_software_add", only(COORDINATION)),
    Row("network:coordination_software_add", only(COORDINATION, 400), method="post"),
    Row("network:coordination_software_edit", only(COORDINATION), args=["glpi"]),
    Row(
        "network:coordination_software_edit", only(COORDINATION, 400), args=["glpi"], method="post"
    ),
    Row("network:coordination_software_merge", only(COORDINATION), args=["glpi"]),
    Row(
        "network:coordination_software_merge",
        only(COORDINATION, 400),
        args=["glpi"],
        method="post",
    ),
    # The network's API: public reads, whoever asks.
    Row("api-1:organisations", everyone(200)),
    Row("api-1:organisation", everyone(200), args={"slug": ORG_X}, label="member"),
    Row("api-1:organisation", everyone(404), args={"slug": ORG_CLIENT}, label="client-org"),
    Row("api-1:software_list", everyone(200)),
    Row("api-1:software", everyone(200), args={"slug": "glpi"}),
    Row("api-1:links", everyone(200)),
    # Writes, by token: managers on their own organisation, coordinators on all. (The table's
    # client sends "{}" with PATCH: an empty change.)
    Row(
        "api-1:organisation",
        api_only(MANAGES_X),
        args={"slug": ORG_X},
        method="patch",
        auth="token",
        label="org-x",
    ),
    Row(
        "api-1:organisation",
        api_only(MANAGES_Y),
        args={"slug": ORG_Y},
        method="patch",
        auth="token",
        label="org-y",
    ),
    Row(
        "api-1:organisation_link",
        api_only(MANAGES_X, 204),
        args=lambda world, role: {"slug": ORG_X, "link_id": first_link_pk(ORG_X)},
        method="delete",
        auth="token",
    ),
    Row(
        "api-1:organisation_link",
        api_only(set()),
        args=lambda world, role: {"slug": ORG_X, "link_id": first_link_pk(ORG_Y)},
        method="delete",
        auth="token",
        label="another-organisation-s",
    ),
    # These two read a JSON body, which the table's client cannot send with POST: the body is
    # refused (400) before any object is looked up. guichet/network/tests/test_api.py checks
    # their permissions with JSON bodies (404 for another organisation's).
    Row(
        "api-1:organisation_links",
        api(400),
        args={"slug": ORG_X},
        method="post",
        auth="token",
    ),
    Row(
        "api-1:link_evidence",
        api(400),
        args=lambda world, role: {"link_id": first_link_pk(ORG_X)},
        method="post",
        auth="token",
    ),
]


# The charter's versions (coordinators). The demo has no draft: the rows needing one start it.
def charter_draft(world: World, role: str) -> list[int]:
    return [(draft_in_progress() or charter_draft_start()).version]


CONFIRMED = {"publish-confirm": "on", "discard-confirm": "on"}
TABLE += [
    Row("network:coordination_charter", only(COORDINATION)),
    # Starting a draft (a copy of the current version), then its page.
    Row("network:coordination_charter", only(COORDINATION, 302), method="post"),
    Row("network:coordination_charter_draft", only(COORDINATION), args=charter_draft),
    Row(
        "network:coordination_charter_draft",
        only(COORDINATION, 400),
        args=charter_draft,
        method="post",
    ),
    # A published version is never edited: coordinators are sent back to the versions.
    Row(
        "network:coordination_charter_draft",
        only(COORDINATION, 302),
        args=[1],
        label="published",
    ),
    Row("network:coordination_charter_draft", signed_in(404), args=[99], label="missing"),
    # Putting the draft to the associates' decision: without the confirmation box ticked,
    # refused (400) with the reason; confirmed, the decision opens (then the draft's page).
    Row(
        "network:coordination_charter_publish",
        only(COORDINATION, 400),
        args=charter_draft,
        method="post",
    ),
    Row(
        "network:coordination_charter_publish",
        only(COORDINATION, 302),
        args=charter_draft,
        method="post",
        data=CONFIRMED,
        label="confirmed",
    ),
    Row(
        "network:coordination_charter_discard",
        only(COORDINATION, 400),
        args=charter_draft,
        method="post",
    ),
    Row(
        "network:coordination_charter_discard",
        only(COORDINATION, 302),
        args=charter_draft,
        method="post",
        data=CONFIRMED,
        label="confirmed",
    ),
]


# Qualifying requests (coordinators): the demo has a request qualified into two lots, a tender,
# and one closed as "not the right fit". Anyone else who is signed in finds no page (404).
def qualified_request(world: World, role: str) -> list[int]:
    return [Request.objects.get(title=QUALIFIED_TITLE).pk]


def tender_request(world: World, role: str) -> list[int]:
    return [Request.objects.filter(is_tender=True).order_by("pk").values_list("pk", flat=True)[0]]


def not_a_fit_request(world: World, role: str) -> list[int]:
    return [
        Request.objects.filter(status="not_a_fit").order_by("pk").values_list("pk", flat=True)[0]
    ]


def qualified_lot(world: World, role: str) -> list[int]:
    lot = Lot.objects.get(request__title=QUALIFIED_TITLE, position=1)
    return [lot.request_id, lot.pk]


def lot_of_another_request(world: World, role: str) -> list[int]:
    return [tender_request(world, role)[0], qualified_lot(world, role)[1]]


def tender_document(world: World, role: str) -> list[int]:
    tender = tender_request(world, role)[0]
    document = RequestDocument(
        request_id=tender, original_name="cctp.pdf", content_type="application/pdf", size=9
    )
    document.file.save("cctp.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return [tender, document.pk]


TABLE += [
    Row("needs:coordination_requests", only(COORDINATION)),
    Row("needs:coordination_request", only(COORDINATION), args=qualified_request),
    Row("needs:coordination_request", only(COORDINATION), args=not_a_fit_request, label="closed"),
    Row("needs:coordination_request", signed_in(404), args=[999_999], label="missing"),
    # The forms of the request's page, posted empty: refused (400), or nothing to refuse.
    Row(
        "needs:coordination_request_client",
        only(COORDINATION, 302),
        args=qualified_request,
        method="post",
    ),
    Row(
        "needs:coordination_request_tender",
        only(COORDINATION, 302),
        args=tender_request,
        method="post",
    ),
    Row(
        "needs:coordination_request_tender",
        only(COORDINATION, 400),
        args=qualified_request,
        method="post",
        label="not-a-tender",
    ),
    Row(
        "needs:coordination_request_message",
        only(COORDINATION, 400),
        args=qualified_request,
        method="post",
    ),
    Row(
        "needs:coordination_request_close",
        only(COORDINATION, 400),
        args=qualified_request,
        method="post",
    ),
    Row("needs:coordination_document", only(COORDINATION), args=tender_document),
    Row("needs:coordination_lot_add", only(COORDINATION), args=qualified_request),
    Row(
        "needs:coordination_lot_add",
        only(COORDINATION, 400),
        args=qualified_request,
        method="post",
    ),
    # A closed request has no lot form: coordinators are sent back to its page.
    Row(
        "needs:coordination_lot_add",
        only(COORDINATION, 302),
        args=not_a_fit_request,
        label="closed",
    ),
    Row("needs:coordination_lot_edit", only(COORDINATION), args=qualified_lot),
    Row(
        "needs:coordination_lot_edit",
        only(COORDINATION, 400),
        args=qualified_lot,
        method="post",
    ),
    Row(
        "needs:coordination_lot_edit",
        signed_in(404),
        args=lot_of_another_request,
        label="other-request",
    ),
    Row(
        "needs:coordination_lot_delete",
        only(COORDINATION, 302),
        args=qualified_lot,
        method="post",
    ),
]


# The client's side of a request: the public form and the pages its private links open. The
# link is the credential: whoever holds one gets the page, signed in or not; any other link,
# or another request's document, is a 404.
def fresh_confirmation(world: World, role: str) -> list[str]:
    request = Request.objects.filter(status="unconfirmed").order_by("pk")[0]
    secret = confirmation_prepare(request)
    request.save(update_fields=["confirm_token_hash", "confirm_expires_at"])
    return [secret]


def follow_link(request: Request) -> str:
    return follow_token(request)


def follow_qualified(world: World, role: str) -> list[str]:
    return [follow_link(Request.objects.get(title=QUALIFIED_TITLE))]


def follow_tender_document(world: World, role: str) -> list[Any]:
    tender, document = tender_document(world, role)
    return [follow_link(Request.objects.get(pk=tender)), document]


def follow_qualified_with_tender_document(world: World, role: str) -> list[Any]:
    return [follow_qualified(world, role)[0], tender_document(world, role)[1]]


TABLE += [
    Row("needs:request_new", everyone(200)),
    # An empty form: refused, with its errors, for everyone.
    Row("needs:request_new", everyone(400), method="post"),
    Row("needs:request_sent", everyone(200)),
    Row("needs:request_confirm", everyone(200), args=fresh_confirmation),
    Row(
        "needs:request_confirm",
        everyone(302),
        args=fresh_confirmation,
        method="post",
        label="confirms",
    ),
    Row("needs:request_confirm", everyone(404), args=["not-a-link"], label="unknown"),
    Row("needs:request_follow", everyone(200), args=follow_qualified),
    Row("needs:request_follow", everyone(404), args=["not-a-link"], label="unknown"),
    # An empty reply: refused next to its field.
    Row("needs:request_follow", everyone(400), args=follow_qualified, method="post"),
    # Erasing one's details without ticking the confirmation: back to the page, nothing lost.
    Row("needs:request_erase", everyone(302), args=follow_qualified, method="post"),
    Row("needs:request_erase", everyone(404), args=["not-a-link"], method="post", label="unknown"),
    Row("needs:request_erase", everyone(405), args=follow_qualified, label="get"),
    Row("needs:request_erased", everyone(200)),
    Row("needs:request_document", everyone(200), args=follow_tender_document),
    Row(
        "needs:request_document",
        everyone(404),
        args=follow_qualified_with_tender_document,
        label="another-request-s",
    ),
    Row("needs:my_requests", signed_in(200)),
]


# A member's side: the lots its organisation was proposed for. ORG_X's people see ORG_X's
# entry; only its manager answers (the associate of ORG_X is refused, 403); others get 404.
def org_x_entry(world: World, role: str) -> list[int]:
    entry = ShortlistEntry.objects.filter(organisation__slug=ORG_X, sent_at__isnull=False).first()
    assert entry is not None
    return [entry.pk]


TABLE += [
    Row("needs:member_entries", signed_in(200)),
    Row("needs:member_entry", only({"member_x", "associate"}), args=org_x_entry),
    Row(
        "needs:member_entry",
        only({"member_x"}, 302) | {"associate": 403},
        args=org_x_entry,
        method="post",
        data={"answer": "accept"},
    ),
    Row("needs:member_entry", signed_in(404), args=[999999], label="unknown"),
]


# A request's consortium (coordinators): proposed from the request's page (the qualified
# request is not shortlisted yet: refused, back to its page), then its page, forms and
# response document. The consortium is formed here from the qualified request's shortlists.
def consortium_request(world: World, role: str) -> list[int]:
    request = Request.objects.get(title=QUALIFIED_TITLE)
    if not Consortium.objects.filter(request=request).exists():
        for lot in request.lots.select_related("request", "commune", "request__commune"):
            shortlist_propose(lot=lot, run=lot_rank(lot=lot), by=None, size=3)
        shortlist_send(request=request, by=None)
        request.refresh_from_db()
        consortium_propose(request=request, by=None)
    return [request.pk]


def consortium_co_contractor(world: World, role: str) -> list[int]:
    (pk,) = consortium_request(world, role)
    member = ConsortiumMember.objects.filter(consortium__request_id=pk).order_by("pk").first()
    assert member is not None
    return [pk, member.pk]


TABLE += [
    Row(
        "needs:coordination_consortium_propose",
        only(COORDINATION, 302),
        args=qualified_request,
        method="post",
    ),
    Row("needs:coordination_consortium", only(COORDINATION), args=consortium_request),
    Row("needs:coordination_consortium", signed_in(404), args=[999_999], label="missing"),
    Row("needs:coordination_consortium_odt", only(COORDINATION), args=consortium_request),
    Row("needs:coordination_consortium_odt", signed_in(404), args=[999_999], label="missing"),
    # Without LibreOffice on the test machine the PDF is not offered: 404 for coordinators
    # too (test_consortium_pdf.py covers it with a LibreOffice stand-in).
    Row("needs:coordination_consortium_pdf", signed_in(404), args=consortium_request),
    # Posted empty: refused next to the fields (400); the lead is handed over (302).
    Row(
        "needs:coordination_consortium_kind",
        only(COORDINATION, 400),
        args=consortium_request,
        method="post",
    ),
    Row(
        "needs:coordination_consortium_member",
        only(COORDINATION, 400),
        args=consortium_co_contractor,
        method="post",
    ),
    Row(
        "needs:coordination_consortium_member",
        signed_in(404),
        args=[999_999, 1],
        method="post",
        label="missing",
    ),
    Row(
        "needs:coordination_consortium_lead",
        only(COORDINATION, 302),
        args=consortium_co_contractor,
        method="post",
    ),
]


# Subcontractors (coordinators: an empty form is refused, 400; removing one goes back, 302),
# and the consortium seen by its members: the qualified request's consortium is led by ORG_X
# alone, so ORG_X's people see it; its manager hands the lead over to a co-contractor and
# manages the lead's subcontractors, its associate is refused (403); others find nothing.
def third_party() -> Organisation:
    """An organisation none of the roles belongs to."""
    found = Organisation.objects.exclude(slug__in=[ORG_X, ORG_Y, ORG_CLIENT]).order_by("pk").first()
    assert found is not None
    return found


def org_x_consortium(world: World, role: str) -> list[int]:
    (pk,) = consortium_request(world, role)
    consortium = Consortium.objects.get(request_id=pk)
    assert {m.organisation.slug for m in consortium.members.select_related("organisation")} == {
        ORG_X
    }
    return [consortium.pk]


def org_x_consortium_with(role: str) -> Args:
    """The consortium's pk and a new member of this role (a subcontractor works for ORG_X)."""

    def args(world: World, visitor: str) -> list[int]:
        (pk,) = org_x_consortium(world, visitor)
        lead = ConsortiumMember.objects.get(consortium_id=pk, role="lead")
        member = ConsortiumMember.objects.create(
            consortium_id=pk,
            organisation=third_party(),
            role=role,
            contractor=lead if role == "subcontractor" else None,
        )
        return [pk, member.pk]

    return args


def consortium_subcontractor(world: World, role: str) -> list[int]:
    pk, member = org_x_consortium_with("subcontractor")(world, role)
    return [Consortium.objects.get(pk=pk).request_id, member]


ORG_X_MANAGER = only({"member_x"}, 302) | {"associate": 403}
TABLE += [
    Row(
        "needs:coordination_consortium_subcontractor_add",
        only(COORDINATION, 400),
        args=consortium_request,
        method="post",
    ),
    Row(
        "needs:coordination_consortium_subcontractor_remove",
        only(COORDINATION, 302),
        args=consortium_subcontractor,
        method="post",
    ),
    Row(
        "needs:coordination_consortium_subcontractor_remove",
        signed_in(404),
        args=[999_999, 1],
        method="post",
        label="missing",
    ),
    Row("needs:member_consortium", only({"member_x", "associate"}), args=org_x_consortium),
    Row("needs:member_consortium", signed_in(404), args=[999_999], label="missing"),
    Row(
        "needs:member_consortium_lead",
        ORG_X_MANAGER,
        args=org_x_consortium_with("co_contractor"),
        method="post",
    ),
    Row(
        "needs:member_consortium_subcontractor_add",
        only({"member_x"}, 400) | {"associate": 403},
        args=org_x_consortium,
        method="post",
    ),
    Row(
        "needs:member_consortium_subcontractor_remove",
        ORG_X_MANAGER,
        args=org_x_consortium_with("subcontractor"),
        method="post",
    ),
]


# Matching in the open: a lot's ranking (coordinators; posting ranks it now, then back to
# it), the public rules and how work is spread, and new rules (staff only: a coordinator who
# is not staff is refused, 403; an empty form is refused, 400).
def ranked_lot(world: World, role: str) -> list[int]:
    return [qualified_lot(world, role)[1]]


STAFF_ONLY = {"anonymous": TO_LOGIN, **dict.fromkeys(SIGNED_IN, 403), "staff": 200}
TABLE += [
    Row("needs:coordination_lot_ranking", only(COORDINATION), args=ranked_lot),
    Row("needs:coordination_lot_ranking", only(COORDINATION, 302), args=ranked_lot, method="post"),
    Row("needs:coordination_lot_ranking", signed_in(404), args=[999_999], label="missing"),
    Row("needs:matching_rules", everyone(200)),
    Row("needs:matching_rules_version", everyone(200), args=[1]),
    Row("needs:matching_rules_version", everyone(404), args=[999], label="missing"),
    Row("needs:matching_rules_new", STAFF_ONLY),
    Row("needs:matching_rules_new", {**STAFF_ONLY, "staff": 400}, method="post"),
    Row("needs:concentration", everyone(200)),
    Row("needs:concentration_csv", everyone(200)),
]


# Shortlists: coordinators' forms on a lot's ranking and on the request's page (posted
# empty: refused, 400; or done, then back: 302); the client's choice and "more candidates"
# by the follow-up link (the credential, for everyone), 404 with another request's link.
def shortlisted_lot(world: World, role: str) -> list[int]:
    return [Lot.objects.get(request__title=SHORTLISTED_TITLE, position=1).pk]


def shortlisted_entry(world: World, role: str) -> list[int]:
    entry = ShortlistEntry.objects.filter(lot__request__title=SHORTLISTED_TITLE).order_by("rank")[0]
    return [entry.lot_id, entry.pk]


def shortlisted_request(world: World, role: str) -> list[int]:
    return [Request.objects.get(title=SHORTLISTED_TITLE).pk]


def follow_shortlisted(world: World, role: str) -> list[Any]:
    return [follow_link(Request.objects.get(title=SHORTLISTED_TITLE))]


def follow_shortlisted_entry(world: World, role: str) -> list[Any]:
    return [*follow_shortlisted(world, role), shortlisted_entry(world, role)[1]]


def follow_qualified_with_shortlisted_entry(world: World, role: str) -> list[Any]:
    return [*follow_qualified(world, role), shortlisted_entry(world, role)[1]]


def follow_shortlisted_lot(world: World, role: str) -> list[Any]:
    return [*follow_shortlisted(world, role), shortlisted_lot(world, role)[0]]


def follow_qualified_with_shortlisted_lot(world: World, role: str) -> list[Any]:
    return [*follow_qualified(world, role), shortlisted_lot(world, role)[0]]


TABLE += [
    Row("needs:request_follow", everyone(200), args=follow_shortlisted, label="shortlisted"),
    Row("needs:coordination_lot_ranking", only(COORDINATION), args=shortlisted_lot, label="sl"),
    Row("needs:coordination_request", only(COORDINATION), args=shortlisted_request, label="sl"),
    Row(
        "needs:coordination_shortlist_add",
        only(COORDINATION, 400),
        args=shortlisted_lot,
        method="post",
    ),
    Row(
        "needs:coordination_shortlist_propose",
        only(COORDINATION, 400),
        args=shortlisted_lot,
        method="post",
    ),
    Row(
        "needs:coordination_shortlist_remove",
        only(COORDINATION, 302),
        args=shortlisted_entry,
        method="post",
    ),
    Row(
        "needs:coordination_shortlist_note",
        only(COORDINATION, 302),
        args=shortlisted_entry,
        method="post",
        data={"note": "Déjà retenu par l'université en 2024."},
    ),
    Row(
        "needs:coordination_shortlist_send",
        only(COORDINATION, 302),
        args=shortlisted_request,
        method="post",
    ),
    Row("needs:request_choose", everyone(302), args=follow_shortlisted_entry, method="post"),
    Row(
        "needs:request_choose",
        everyone(404),
        args=follow_qualified_with_shortlisted_entry,
        method="post",
        label="another-request-s",
    ),
    Row("needs:request_choose", everyone(405), args=follow_shortlisted_entry, label="get"),
    Row("needs:request_ask_more", everyone(302), args=follow_shortlisted_lot, method="post"),
    Row(
        "needs:request_ask_more",
        everyone(404),
        args=follow_qualified_with_shortlisted_lot,
        method="post",
        label="another-request-s",
    ),
]


# A provider of the client's own: the client invites from its follow-up link (posted empty:
# refused next to the fields, 400; another request's link: 404); the invited provider's page
# opens by its own fresh secret (posted empty: 400; declining: 200; unknown: 404).
def fresh_invitation(world: World, role: str) -> list[str]:
    lot = Lot.objects.get(request__title=SHORTLISTED_TITLE, position=1)
    secret, hashed = secret_new()
    ProviderInvitation.objects.create(
        request_id=lot.request_id,
        lot=lot,
        organisation_name="Coopérative Exemple",
        email="contact@cooperative-exemple.example",
        token_hash=hashed,
        expires_at=timezone.now() + timedelta(days=14),
    )
    return [secret]


TABLE += [
    Row("needs:request_invite", everyone(200), args=follow_shortlisted_lot),
    Row("needs:request_invite", everyone(400), args=follow_shortlisted_lot, method="post"),
    Row(
        "needs:request_invite",
        everyone(404),
        args=follow_qualified_with_shortlisted_lot,
        method="post",
        label="another-request-s",
    ),
    Row("needs:request_invite", everyone(404), args=["not-a-link", 1], label="unknown"),
    Row("needs:invitation", everyone(200), args=fresh_invitation),
    Row("needs:invitation", everyone(400), args=fresh_invitation, method="post"),
    Row(
        "needs:invitation",
        everyone(200),
        args=fresh_invitation,
        method="post",
        data={"answer": "decline"},
        label="decline",
    ),
    Row("needs:invitation", everyone(404), args=["not-a-link"], label="unknown"),
    Row("needs:invitation_thanks", everyone(200)),
]


# The guichet's API. Submitting is public (the table's client sends no JSON: refused, 400);
# the status is opened by the follow token alone (an unknown one: 404). The coordination
# endpoints answer 401 without credentials and 403 to anyone who is not a coordinator; those
# reading a JSON body refuse the table's body (400) before looking at who asks.
def api_coordinators(status: int) -> dict[str, int | str]:
    return {"anonymous": 401, **{r: status if r in COORDINATION else 403 for r in SIGNED_IN}}


def qualified_request_id(world: World, role: str) -> dict[str, int]:
    return {"request_id": qualified_request(world, role)[0]}


def qualified_lot_id(world: World, role: str) -> dict[str, int]:
    return {"lot_id": qualified_lot(world, role)[1]}


TABLE += [
    Row("api-1:needs_requests", everyone(400), method="post"),
    Row(
        "api-1:needs_request_status",
        everyone(404),
        data={"token": "not-a-link"},
        label="unknown",
    ),
    Row("api-1:needs_coordination_requests", api_coordinators(200), auth="token"),
    Row(
        "api-1:needs_coordination_request",
        api_coordinators(200),
        args=qualified_request_id,
        auth="token",
    ),
    Row(
        "api-1:needs_coordination_request",
        api_coordinators(404),
        args={"request_id": 999_999},
        auth="token",
        label="missing",
    ),
    Row(
        "api-1:needs_coordination_lots",
        api(400),
        args=qualified_request_id,
        method="post",
        auth="token",
    ),
    Row(
        "api-1:needs_coordination_lot_rank",
        api_coordinators(201),
        args=qualified_lot_id,
        method="post",
        auth="token",
    ),
    Row(
        "api-1:needs_coordination_lot_shortlist",
        api(400),
        args=qualified_lot_id,
        method="post",
        auth="token",
    ),
    # The demo's qualified request has no shortlist yet: nothing to send, no consortium.
    Row(
        "api-1:needs_coordination_request_send",
        api_coordinators(400),
        args=qualified_request_id,
        method="post",
        auth="token",
    ),
    Row(
        "api-1:needs_coordination_consortium",
        api_coordinators(400),
        args=qualified_request_id,
        method="post",
        auth="token",
    ),
    Row(
        "api-1:needs_coordination_consortium",
        api_coordinators(404),
        args=qualified_request_id,
        auth="token",
    ),
]


# Missions: the demo's running XWiki mission is Atelier du Code Commun's (ORG_Y); the closed
# GLPI one is Libre et Local's (ORG_X), evaluated by its client.
def demo_mission(title: str) -> int:
    from guichet.missions.models import Mission

    return Mission.objects.get(title__startswith=title).pk


def running_mission(world: World, role: str) -> list[int]:
    return [demo_mission(RUNNING_TITLE)]


def closed_mission(world: World, role: str) -> list[int]:
    return [demo_mission(CLOSED_TITLES[0])]


def running_contribution(world: World, role: str) -> list[int]:
    from guichet.missions.models import Contribution

    mission = demo_mission(RUNNING_TITLE)
    return [mission, Contribution.objects.filter(mission_id=mission).first().pk]


def closed_evaluation(world: World, role: str) -> dict[str, int]:
    from guichet.missions.models import Evaluation

    mission = demo_mission(CLOSED_TITLES[0])
    return {"mission_pk": mission, "pk": Evaluation.objects.get(mission_id=mission).pk}


def running_mission_id(world: World, role: str) -> dict[str, int]:
    return {"mission_id": demo_mission(RUNNING_TITLE)}


MISSION_Y = {"member_y"} | COORDINATION
TABLE += [
    Row("accounts:notifications", signed_in(200)),
    Row("missions:list", signed_in(200)),
    Row("missions:mission", only(MISSION_Y), args=running_mission),
    Row("missions:mission", only({"member_x", "associate"} | COORDINATION), args=closed_mission,
        label="closed"),
    Row("missions:mission", signed_in(404), args=[999_999], label="missing"),
    Row("missions:mission", only({"member_y"} | COORDINATION, 400, others=404),
        args=running_mission, method="post", data={"action": "days"}, label="days"),
    Row("missions:start", signed_in(404), method="post", label="nothing"),
    Row("missions:mission_document", signed_in(404), args=lambda w, r: [running_mission(w, r)[0],
        999_999], label="missing"),
    Row("missions:contribution_add", only(MISSION_Y), args=running_mission),
    Row("missions:contribution_edit", only(MISSION_Y), args=running_contribution),
    Row("missions:justification", only(MISSION_Y), args=running_mission),
    Row("missions:given_back", everyone(200)),
    Row("missions:given_back_csv", everyone(200)),
    Row("missions:evaluation", everyone(404), args=["not-a-link"], label="unknown"),
    Row("missions:evaluation_reply", only({"member_x"}), args=closed_evaluation),
    Row("api-1:missions_list", api(200), auth="token"),
    Row("api-1:missions_detail", {"anonymous": 401, **{r: 200 if r in MISSION_Y else 404
        for r in SIGNED_IN}}, args=running_mission_id, auth="token"),
    # A form-encoded body is refused before the mission is looked up (as for needs).
    *[Row(f"api-1:missions_{name}", api(400), args=running_mission_id, method="post",
          auth="token") for name in ("days", "invoices", "contributions")],
    Row("api-1:missions_evaluation", everyone(400), args={"token": "not-a-link"}, method="post"),
]  # fmt: skip


# Governance: the associates' pages are for those who take part in decisions (associates,
# coordinators, staff); the others find nothing (404). Amending is the author's or a
# coordinator's: the rows' own proposal is the coordinator's, so the associate is refused (403).
# The public decision log is everyone's.
TAKE_PART = {"associate", "coordinator", "staff"}


def demo_proposal(title: str) -> list[str]:
    return [Proposal.objects.get(title=title).reference]


def coordinators_proposal(world: World, role: str) -> list[str]:
    by = world.people["coordinator"]
    return [proposal_open(by=by, title="Une proposition du tableau", text="Texte.").reference]


def coordinators_attachment(world: World, role: str) -> list[Any]:
    (reference,) = coordinators_proposal(world, role)
    attachment = Attachment(
        proposal=Proposal.objects.get(reference=reference),
        name="annexe.pdf",
        content_type="application/pdf",
        size=9,
    )
    attachment.file.save("annexe.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return [reference, attachment.pk]


TABLE += [
    Row("governance:proposals", only(TAKE_PART)),
    Row("governance:proposal_new", only(TAKE_PART)),
    # Posted empty: told what is missing.
    Row("governance:proposal_new", only(TAKE_PART, 400), method="post"),
    Row("governance:proposal", only(TAKE_PART), args=lambda w, r: demo_proposal(OPEN_TITLE)),
    Row("governance:proposal", only(TAKE_PART), args=lambda w, r: demo_proposal(ADOPTED_TITLE),
        label="decided"),
    Row("governance:proposal", signed_in(404), args=["D-1999-999"], label="missing"),
    Row("governance:proposal", only(TAKE_PART, 400), args=coordinators_proposal, method="post",
        data={"action": "comment"}, label="empty-comment"),
    Row("governance:proposal_amend", only(TAKE_PART) | {"associate": 403},
        args=coordinators_proposal),
    Row("governance:proposal_amend", only(TAKE_PART, 400) | {"associate": 403},
        args=coordinators_proposal, method="post"),
    Row("governance:version", only(TAKE_PART),
        args=lambda w, r: [*demo_proposal(OPEN_TITLE), 1]),
    Row("governance:version", signed_in(404), args=lambda w, r: [*demo_proposal(OPEN_TITLE), 99],
        label="missing"),
    Row("governance:attachment", only(TAKE_PART), args=coordinators_attachment),
    Row("governance:attachment", signed_in(404),
        args=lambda w, r: [*demo_proposal(OPEN_TITLE), 999_999], label="missing"),
    Row("governance:proxies", only(TAKE_PART)),
    Row("governance:proxies", only(TAKE_PART, 400), method="post", data={"action": "give"}),
    Row("governance:log", everyone(200)),
    Row("governance:rules", everyone(200)),
    Row("governance:feed_rss", everyone(200)),
    Row("governance:feed_atom", everyone(200)),
    Row("governance:export_csv", everyone(200)),
    Row("governance:export_ods", everyone(200)),
    Row("governance:log_entry", everyone(200), args=lambda w, r: demo_proposal(ADOPTED_TITLE)),
]  # fmt: skip


# Governance's API: the reads are public (a proposal not public, or unknown, is a 404); taking
# part needs a token (a form-encoded body is refused before the proposal is looked up).
NO_PROPOSAL = {"reference": "D-1999-999"}
TABLE += [
    Row("api-1:governance_proposals", everyone(200)),
    Row("api-1:governance_proposals", everyone(200), auth="token"),
    Row("api-1:governance_proposal", everyone(404), args=NO_PROPOSAL, auth="token"),
    Row("api-1:governance_outcome", everyone(404), args=NO_PROPOSAL, auth="token"),
    *[Row(f"api-1:governance_{name}", api(400), args=NO_PROPOSAL, method="post", auth="token")
      for name in ("position", "ballot")],
]  # fmt: skip


# The namespaces whose every URL must be in the table: the project's own.
PROJECT_NAMESPACES = {
    "web",
    "accounts",
    "network",
    "needs",
    "missions",
    "privacy",
    "api-1",
    "governance",
}


@pytest.fixture
def world(demo: dict[str, User]) -> World:
    return World(demo)


@pytest.mark.parametrize(
    ("row", "role"),
    [pytest.param(row, role, id=f"{row.id}-{role}") for row in TABLE for role in ROLES],
)
def test_each_role_gets_the_expected_answer(row: Row, role: str, world: World) -> None:
    client = Client()
    person = world.person(role)
    headers: dict[str, str] = {}
    if person is not None and row.auth == "session":
        client.force_login(person)
    token = world.token(role) if row.auth == "token" else None
    if token is not None:
        headers["Authorization"] = f"Bearer {token[1]}"
    path = row.path(world, role)

    response = getattr(client, row.method)(path, data=row.data, headers=headers)

    expected = row.expected[role]
    if expected == TO_LOGIN:
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("account_login")
        assert parse_qs(location.query)["next"] == [path]
    else:
        assert response.status_code == expected


def test_the_table_gives_every_role_an_answer_on_every_row() -> None:
    for row in TABLE:
        assert set(row.expected) == set(ROLES), row.id


def project_url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names |= project_url_names(pattern, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return {name for name in names if name.split(":")[0] in PROJECT_NAMESPACES}


def test_every_url_of_the_site_is_in_the_table() -> None:
    in_table = {row.url_name for row in TABLE}

    missing = project_url_names() - in_table

    assert not missing, f"add these URLs to the permission table: {sorted(missing)}"
