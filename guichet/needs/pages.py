"""The guichet's pages, for the browser quality suite (see core/registries/pages.py)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from guichet.core.registries.pages import ANONYMOUS, Page, exempt_url, register
from guichet.core.tokens import secret_new
from guichet.needs.demo import CONSORTIUM_TITLE, QUALIFIED_TITLE, SHORTLISTED_TITLE
from guichet.needs.models import Lot, ProviderInvitation, Request, ShortlistEntry
from guichet.needs.models.consortia import Consortium
from guichet.needs.services.links import confirmation_prepare, follow_token


# Qualification by coordinators. The demo has a request qualified into two lots, one to
# qualify (with a message from its client), a tender, and one answered "not the right fit".
def _demo_request(**lookup: object) -> int:
    found = Request.objects.filter(**lookup).order_by("pk").first()
    if found is None:
        raise LookupError(f"No demo request matches {lookup}: load the demo.")
    return found.pk


def _demo_qualified() -> int:
    return _demo_request(title=QUALIFIED_TITLE)


def _demo_lot() -> tuple[int, int]:
    lot = Lot.objects.filter(request_id=_demo_qualified()).order_by("position").first()
    if lot is None:
        raise LookupError("The demo's qualified request has no lot: load the demo.")
    return lot.request_id, lot.pk


register(
    Page(
        "coordination-requests",
        lambda: reverse("needs:coordination_requests"),
        ("coordinator",),
        ("needs:coordination_requests",),
    )
)
register(
    Page(
        "coordination-requests-unconfirmed",
        lambda: reverse("needs:coordination_requests") + "?status=unconfirmed",
        ("coordinator",),
    )
)
register(
    Page(
        "coordination-request",
        lambda: reverse("needs:coordination_request", args=[_demo_qualified()]),
        ("coordinator",),
        ("needs:coordination_request",),
    )
)
register(
    Page(
        "coordination-request-to-qualify",
        lambda: reverse(
            "needs:coordination_request",
            args=[_demo_request(status="submitted", is_tender=False)],
        ),
        ("coordinator",),
    )
)
register(
    Page(
        "coordination-request-tender",
        lambda: reverse("needs:coordination_request", args=[_demo_request(is_tender=True)]),
        ("coordinator",),
    )
)
register(
    Page(
        "coordination-request-not-a-fit",
        lambda: reverse("needs:coordination_request", args=[_demo_request(status="not_a_fit")]),
        ("coordinator",),
    )
)
register(
    Page(
        "coordination-lot-add",
        lambda: reverse("needs:coordination_lot_add", args=[_demo_qualified()]),
        ("coordinator",),
        ("needs:coordination_lot_add",),
    )
)
register(
    Page(
        "coordination-lot-edit",
        lambda: reverse("needs:coordination_lot_edit", args=list(_demo_lot())),
        ("coordinator",),
        ("needs:coordination_lot_edit",),
    )
)
exempt_url(
    "needs:coordination_request_client", "POST only: links the client, then the request's page."
)
exempt_url(
    "needs:coordination_request_tender", "POST only: saves the tender's rules, then the request."
)
exempt_url(
    "needs:coordination_request_message", "POST only: writes to the client, then the request."
)
exempt_url("needs:request_erase", "POST only: erases the contact's details, then a notice.")
register(
    Page(
        "request-erased",
        lambda: reverse("needs:request_erased"),
        (ANONYMOUS,),
        ("needs:request_erased",),
    )
)
exempt_url("needs:coordination_request_close", "POST only: closes as not a fit, then the request.")
exempt_url("needs:coordination_lot_delete", "POST only: deletes a lot, then the request.")
exempt_url("needs:coordination_document", "A tender document, downloaded as an attachment.")


# A request's consortium: the demo has a two-lot request answered by a priced consortium.
register(
    Page(
        "coordination-consortium",
        lambda: reverse(
            "needs:coordination_consortium", args=[_demo_request(title=CONSORTIUM_TITLE)]
        ),
        ("coordinator",),
        ("needs:coordination_consortium",),
    )
)
exempt_url(
    "needs:coordination_consortium_propose", "POST only: proposes a consortium, then its page."
)
exempt_url("needs:coordination_consortium_kind", "POST only: saves the kind, then the page.")
exempt_url("needs:coordination_consortium_member", "POST only: saves days and rate, then the page.")
exempt_url("needs:coordination_consortium_lead", "POST only: changes the lead, then the page.")
exempt_url(
    "needs:coordination_consortium_subcontractor_add",
    "POST only: adds a subcontractor, then the page.",
)
exempt_url(
    "needs:coordination_consortium_subcontractor_remove",
    "POST only: removes a subcontractor, then the page.",
)
exempt_url(
    "needs:coordination_consortium_odt", "The response document, downloaded as an attachment."
)
exempt_url(
    "needs:coordination_consortium_pdf",
    "The response document as PDF (where LibreOffice is installed), downloaded.",
)


# The client's side: the public form, the page after sending, the confirmation page (its
# path prepares a fresh link on the demo's unconfirmed request), the private follow-up page
# (its path signs a link to a demo request), and one's own requests.
def _confirm_path() -> str:
    request = Request.objects.get(pk=_demo_request(status="unconfirmed"))
    secret = confirmation_prepare(request)
    request.save(update_fields=["confirm_token_hash", "confirm_expires_at"])
    return reverse("needs:request_confirm", args=[secret])


def _follow_path(**lookup: object) -> str:
    request = Request.objects.get(pk=_demo_request(**lookup))
    return reverse("needs:request_follow", args=[follow_token(request)])


register(
    Page(
        "request-new",
        lambda: reverse("needs:request_new"),
        (ANONYMOUS, "client"),
        ("needs:request_new",),
    )
)
register(
    Page(
        "request-sent", lambda: reverse("needs:request_sent"), (ANONYMOUS,), ("needs:request_sent",)
    )
)
register(Page("request-confirm", _confirm_path, (ANONYMOUS,), ("needs:request_confirm",)))
register(
    Page(
        "request-follow",
        lambda: _follow_path(id=_demo_qualified()),
        (ANONYMOUS,),
        ("needs:request_follow",),
    )
)
register(
    Page(
        "request-follow-thread",
        lambda: _follow_path(status="submitted", is_tender=False),
        (ANONYMOUS, "client"),
    )
)
register(Page("request-follow-not-a-fit", lambda: _follow_path(status="not_a_fit"), (ANONYMOUS,)))
register(
    Page("my-requests", lambda: reverse("needs:my_requests"), ("client",), ("needs:my_requests",))
)
exempt_url("needs:request_document", "A tender document, downloaded as an attachment.")


# Matching in the open. The demo ranks the qualified request's two lots once (needs/demo.py),
# so the ranking page shows a table; the GLPI lot (1) is on-site and excludes a member.
def _demo_qualified_lot(position: int) -> int:
    return Lot.objects.get(request_id=_demo_qualified(), position=position).pk


register(
    Page(
        "coordination-lot-ranking",
        lambda: reverse("needs:coordination_lot_ranking", args=[_demo_qualified_lot(1)]),
        ("coordinator",),
        ("needs:coordination_lot_ranking",),
    )
)
register(
    Page(
        "coordination-lot-ranking-remote",
        lambda: reverse("needs:coordination_lot_ranking", args=[_demo_qualified_lot(2)]),
        ("coordinator",),
    )
)
register(
    Page(
        "matching-rules",
        lambda: reverse("needs:matching_rules"),
        (ANONYMOUS, "staff"),
        ("needs:matching_rules",),
    )
)
register(
    Page(
        "matching-rules-version",
        lambda: reverse("needs:matching_rules_version", args=[1]),
        (ANONYMOUS,),
        ("needs:matching_rules_version",),
    )
)
register(
    Page(
        "matching-rules-new",
        lambda: reverse("needs:matching_rules_new"),
        ("staff",),
        ("needs:matching_rules_new",),
    )
)
register(
    Page(
        "concentration",
        lambda: reverse("needs:concentration"),
        (ANONYMOUS,),
        ("needs:concentration",),
    )
)
exempt_url("needs:concentration_csv", "Open data: the concentration table as a CSV download.")


# A member's side: the lots its organisation was proposed for (the demo's Libre et Local was
# chosen for a past GLPI lot).
def _member_entry() -> int:
    entry = ShortlistEntry.objects.filter(
        organisation__slug="libre-et-local", sent_at__isnull=False
    ).first()
    if entry is None:
        raise LookupError("The demo has no shortlist entry for Libre et Local.")
    return entry.pk


register(
    Page(
        "member-entries",
        lambda: reverse("needs:member_entries"),
        ("member",),
        ("needs:member_entries",),
    )
)
register(
    Page(
        "member-entry",
        lambda: reverse("needs:member_entry", args=[_member_entry()]),
        ("member", "associate"),
        ("needs:member_entry",),
    )
)


# The consortium seen by its members: the demo's priced consortium is led by Libre et Local,
# whose manager sees the subcontractor form, and whose associate only reads.
def _demo_consortium() -> int:
    found = Consortium.objects.filter(request__title=CONSORTIUM_TITLE).first()
    if found is None:
        raise LookupError("The demo has no consortium: load the demo.")
    return found.pk


register(
    Page(
        "member-consortium",
        lambda: reverse("needs:member_consortium", args=[_demo_consortium()]),
        ("member", "associate"),
        ("needs:member_consortium",),
    )
)
exempt_url("needs:member_consortium_lead", "POST only: hands the lead over, then the page.")
exempt_url(
    "needs:member_consortium_subcontractor_add", "POST only: adds a subcontractor, then the page."
)
exempt_url(
    "needs:member_consortium_subcontractor_remove",
    "POST only: removes a subcontractor, then the page.",
)


# Shortlists. The demo's Moodle request has its shortlist sent (needs/demo.py): the client's
# follow-up page shows the members proposed with their reasons, the lot's ranking page its
# shortlist, and the request's page the counts sent. The forms post, then go back.
def _demo_shortlisted_lot() -> tuple[int, int]:
    lot = Lot.objects.filter(request__title=SHORTLISTED_TITLE).order_by("position").first()
    if lot is None:
        raise LookupError("The demo has no shortlisted request: load the demo.")
    return lot.request_id, lot.pk


register(
    Page(
        "request-follow-shortlisted",
        lambda: _follow_path(title=SHORTLISTED_TITLE),
        (ANONYMOUS,),
    )
)
register(
    Page(
        "coordination-request-shortlisted",
        lambda: reverse("needs:coordination_request", args=[_demo_shortlisted_lot()[0]]),
        ("coordinator",),
    )
)
register(
    Page(
        "coordination-lot-ranking-shortlisted",
        lambda: reverse("needs:coordination_lot_ranking", args=[_demo_shortlisted_lot()[1]]),
        ("coordinator",),
    )
)
exempt_url("needs:coordination_shortlist_add", "POST only: adds a member, then the ranking.")
exempt_url(
    "needs:coordination_shortlist_propose", "POST only: adds the best ranked, then the ranking."
)
exempt_url("needs:coordination_shortlist_remove", "POST only: removes a member, then the ranking.")
exempt_url("needs:coordination_shortlist_note", "POST only: saves a note, then the ranking.")
exempt_url(
    "needs:coordination_shortlist_send", "POST only: sends the shortlists, then the request."
)
exempt_url("needs:request_choose", "POST only: the client's choice, then the follow-up page.")
exempt_url("needs:request_ask_more", "POST only: asks for candidates, then the follow-up page.")


# A provider of the client's own. The client invites from the shortlisted request's follow-up
# page (and its own page for a lot); the invited provider's page opens by a fresh invitation
# made here on that lot (its secret is kept hashed only, so each visit makes a new one,
# directly: the service's limit on waiting invitations would stop repeated visits).
def _invite_path() -> str:
    request_pk, lot_pk = _demo_shortlisted_lot()
    request = Request.objects.get(pk=request_pk)
    return reverse("needs:request_invite", args=[follow_token(request), lot_pk])


def _invitation_path() -> str:
    request_pk, lot_pk = _demo_shortlisted_lot()
    secret, hashed = secret_new()
    ProviderInvitation.objects.create(
        request_id=request_pk,
        lot_id=lot_pk,
        organisation_name="Coopérative Exemple",
        email="contact@cooperative-exemple.example",
        message="Nous avons travaillé ensemble en 2024 : voulez-vous proposer vos services ?",
        token_hash=hashed,
        expires_at=timezone.now() + timedelta(days=settings.GUICHET_INVITATION_DAYS),
    )
    return reverse("needs:invitation", args=[secret])


register(Page("request-invite", _invite_path, (ANONYMOUS,), ("needs:request_invite",)))
register(Page("invitation", _invitation_path, (ANONYMOUS,), ("needs:invitation",)))
register(
    Page(
        "invitation-thanks",
        lambda: reverse("needs:invitation_thanks"),
        (ANONYMOUS,),
        ("needs:invitation_thanks",),
    )
)
