"""Every page with an edit form: a form filled in with what is saved, to change it.

Each entry says who may use the form, where it is, how to find it on the page and what it
edits. `test_edit_forms.py` opens each page as that person, sends the form back exactly as a
browser would and checks that nothing changed; it fails for any form class of the project
that is neither listed here nor said not to edit anything (`NOT_EDIT_FORMS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.urls import reverse

from conftest import ORG_X
from guichet.governance.demo import ADOPTED_TITLE, OPEN_TITLE
from guichet.governance.models import Position, Proposal
from guichet.governance.services.proposals import outcome_statement_record
from guichet.missions.demo import CLOSED_TITLES, EVALUATED_TITLE, RUNNING_TITLE
from guichet.missions.models import Contribution, Evaluation, EvaluationReply, Mission
from guichet.missions.services.contributions import justification_approve, justification_submit
from guichet.missions.services.evaluations import evaluation_reply_publish, evaluation_token
from guichet.needs.demo import CONSORTIUM_TITLE, QUALIFIED_TITLE
from guichet.needs.models import Consortium, Lot, Request, ShortlistEntry
from guichet.needs.services.shortlists import OPEN_FOR_SHORTLIST
from guichet.needs.services.shortlists import shortlist_note as shortlist_note_write
from guichet.network.models import Charter, EvaluatorAssignment, Organisation, Software
from guichet.network.models.links import SoftwareLink
from guichet.network.services.admission import evaluation_submit
from guichet.network.services.charter import charter_draft_start, draft_in_progress

Demo = dict[str, Any]
# When a row was last written: renewed by any save, whatever changed.
RENEWED = {"updated_at", "taken_at"}


@dataclass(frozen=True)
class Opened:
    """An edit form ready to be read: whose page, where, which form, and what it edits."""

    person: Any
    url: str
    having: str  # XPath, from the form, of an element only this form holds
    edited: Callable[[], Any]  # what the form edits, as read from the database now
    # What the person must fill in for the form to be sent (a note on what changed)…
    fill: dict[str, str] = field(default_factory=dict)
    # …and the answer: saved (a redirect), or refused as changing nothing (400).
    status: int = 302


@dataclass(frozen=True)
class EditPage:
    forms: tuple[str, ...]  # the form classes the page's form is made of, as module.Class
    open: Callable[[Demo], Opened]

    @property
    def id(self) -> str:
        return self.open.__name__


def _fields(item: Model) -> dict[str, Any]:
    found = {
        field.name: field.value_from_object(item)
        for field in item._meta.concrete_fields
        if not (getattr(field, "auto_now", False) or field.name in RENEWED)
    }
    for relation in item._meta.many_to_many:
        found[relation.name] = sorted(other.pk for other in relation.value_from_object(item))
    return found


def saved(*objects: Model, children: Any = None) -> Callable[[], dict[str, Any]]:
    """What the objects hold in the database as {"Model#pk.field": value}, and what the rows of
    `children` (a related manager) hold, by their order (a form may save its rows anew)."""

    def read() -> dict[str, Any]:
        found: dict[str, Any] = {}
        for item in objects:
            fresh = type(item)._default_manager.get(pk=item.pk)
            for name, value in _fields(fresh).items():
                found[f"{type(item).__name__}#{item.pk}.{name}"] = value
        for index, row in enumerate(children.all().order_by("pk") if children else []):
            for name, value in _fields(row).items():
                if name != "id":
                    found[f"{type(row).__name__}[{index}].{name}"] = value
        return found

    return read


def _action(value: str) -> str:
    return f".//input[@name='action'][@value='{value}']"


def _field(name: str) -> str:
    return f".//*[@name='{name}']"


# --- Missions ------------------------------------------------------------------------------


def mission_details(demo: Demo) -> Opened:
    mission = Mission.objects.get(title=RUNNING_TITLE)
    assert mission.starts_on, "the demo's running mission has its dates"
    assert mission.ends_on
    url = reverse("missions:mission", args=[mission.pk])
    return Opened(demo["coordinator"], url, _action("edit"), saved(mission))


def contribution(demo: Demo) -> Opened:
    item = Contribution.objects.filter(mission__title=RUNNING_TITLE).order_by("pk").first()
    assert item is not None
    url = reverse("missions:contribution_edit", args=[item.mission_id, item.pk])
    return Opened(demo["member_other"], url, _field("status"), saved(item))


def justification(demo: Demo) -> Opened:
    mission = Mission.objects.get(title=RUNNING_TITLE)
    text = "Rien à reverser :\nla mission n'a touché à aucun code, seulement à la configuration."
    justification_submit(mission=mission, text=text, by=demo["member_other"])
    justification_approve(mission=mission, by=demo["coordinator"])
    url = reverse("missions:justification", args=[mission.pk])
    return Opened(demo["member_other"], url, _field("text"), saved(mission))


def client_evaluation(demo: Demo) -> Opened:
    evaluation = Evaluation.objects.get(mission__title=EVALUATED_TITLE)
    assert evaluation.submitted_at is not None, "the demo's evaluated mission has its answers"
    url = reverse("missions:evaluation", args=[evaluation_token(evaluation)])
    return Opened(None, url, _field("quality"), saved(evaluation))


def evaluation_reply(demo: Demo) -> Opened:
    evaluation = Evaluation.objects.get(mission__title=CLOSED_TITLES[0])
    organisation = Organisation.objects.get(slug=ORG_X)
    evaluation_reply_publish(
        evaluation=evaluation,
        organisation=organisation,
        text="Merci.\nNous restons disponibles.",
        by=demo["member"],
    )
    reply = EvaluationReply.objects.get(evaluation=evaluation, organisation=organisation)
    url = reverse("missions:evaluation_reply", args=[evaluation.mission_id, evaluation.pk])
    return Opened(demo["member"], url, _field("text"), saved(reply))


# --- Needs ---------------------------------------------------------------------------------


def _qualified() -> Request:
    return Request.objects.get(title=QUALIFIED_TITLE)


def lot(demo: Demo) -> Opened:
    item = Lot.objects.filter(request=_qualified(), start_date__isnull=False).first()
    assert item is not None, "the demo's lots have their dates"
    assert item.deadline
    url = reverse("needs:coordination_lot_edit", args=[item.request_id, item.pk])
    return Opened(demo["coordinator"], url, _field("person_days"), saved(item))


def request_client(demo: Demo) -> Opened:
    request = _qualified()
    url = reverse("needs:coordination_request", args=[request.pk])
    return Opened(demo["coordinator"], url, _field("siren"), saved(request))


def request_tender(demo: Demo) -> Opened:
    request = Request.objects.filter(is_tender=True, closed_at__isnull=True).first()
    assert request is not None, "the demo has a tender"
    Request.objects.filter(pk=request.pk).update(max_lots_per_bidder=2)
    url = reverse("needs:coordination_request", args=[request.pk])
    return Opened(demo["coordinator"], url, _field("max_lots_per_bidder"), saved(request))


def _consortium() -> Consortium:
    return Consortium.objects.get(request__title=CONSORTIUM_TITLE)


def consortium_kind(demo: Demo) -> Opened:
    consortium = _consortium()
    url = reverse("needs:coordination_consortium", args=[consortium.request_id])
    having = ".//input[@name='kind' or @name='kind_0']"
    return Opened(demo["coordinator"], url, having, saved(consortium))


def consortium_member(demo: Demo) -> Opened:
    consortium = _consortium()
    member = consortium.members.order_by("pk").first()
    assert member is not None
    url = reverse("needs:coordination_consortium", args=[consortium.request_id])
    target = reverse(
        "needs:coordination_consortium_member", args=[consortium.request_id, member.pk]
    )
    return Opened(demo["coordinator"], url, f"self::*[@action='{target}']", saved(member))


def shortlist_note(demo: Demo) -> Opened:
    entry = ShortlistEntry.objects.filter(
        lot__request__status__in=OPEN_FOR_SHORTLIST, chosen_at__isnull=True
    ).first()
    assert entry is not None, "the demo has a shortlist still open"
    shortlist_note_write(
        entry=entry, note="Déjà retenu en 2024.\nTrès réactif.", by=demo["coordinator"]
    )
    url = reverse("needs:coordination_lot_ranking", args=[entry.lot_id])
    target = reverse("needs:coordination_shortlist_note", args=[entry.lot_id, entry.pk])
    return Opened(demo["coordinator"], url, f"self::*[@action='{target}']", saved(entry))


# --- Network -------------------------------------------------------------------------------


def profile(demo: Demo) -> Opened:
    organisation = Organisation.objects.get(slug=ORG_X)
    url = reverse("network:organisation_edit", args=[ORG_X])
    return Opened(demo["member"], url, _field("description"), saved(organisation))


def software_link(demo: Demo) -> Opened:
    link = SoftwareLink.objects.filter(organisation__slug=ORG_X, evidence__isnull=False).first()
    assert link is not None, "the demo's organisation shows evidence for its software"
    url = reverse("network:organisation_link", args=[ORG_X, link.pk])
    return Opened(demo["member"], url, _field("role"), saved(link, children=link.evidence))


def software(demo: Demo) -> Opened:
    item = Software.objects.get(slug="glpi")
    url = reverse("network:coordination_software_edit", args=[item.slug])
    return Opened(demo["coordinator"], url, _field("name"), saved(item))


def charter_draft(demo: Demo) -> Opened:
    draft = draft_in_progress() or charter_draft_start()
    url = reverse("network:coordination_charter_draft", args=[draft.version])
    values = Charter.objects.get(pk=draft.pk).values
    return Opened(demo["coordinator"], url, _field("preamble"), saved(draft, children=values))


def admission_evaluation(demo: Demo) -> Opened:
    assignment = EvaluatorAssignment.objects.get(
        application__organisation__slug="numerique-solidaire-rennes",
        evaluator_organisation__slug=ORG_X,
    )
    values = assignment.application.charter.values.order_by("position")
    ratings = {value.pk: ("respects", f"Vu sur place.\nValeur {value.pk}.") for value in values}
    evaluation_submit(assignment=assignment, ratings=ratings, by=demo["member"])
    url = reverse("network:evaluation", args=[assignment.pk])
    return Opened(
        demo["member"], url, ".//textarea", saved(assignment, children=assignment.ratings)
    )


# --- Governance and accounts ---------------------------------------------------------------


def amendment(demo: Demo) -> Opened:
    proposal = Proposal.objects.get(title=OPEN_TITLE)
    url = reverse("governance:proposal_amend", args=[proposal.reference])
    # Sent with its note but the same text, it is refused: an amendment must change something.
    return Opened(
        demo["coordinator"],
        url,
        _field("note"),
        saved(proposal, children=proposal.versions),
        fill={"note": "Rien, en fait."},
        status=400,
    )


def position(demo: Demo) -> Opened:
    taken = Position.objects.get(round__proposal__title=OPEN_TITLE, value="concern")
    url = reverse("governance:proposal", args=[taken.round.proposal.reference])
    return Opened(taken.person, url, _action("position"), saved(taken))


def outcome_statement(demo: Demo) -> Opened:
    proposal = Proposal.objects.get(title=ADOPTED_TITLE)
    outcome_statement_record(proposal=proposal, by=proposal.author, text="Adoptée.\nMerci à tous.")
    url = reverse("governance:proposal", args=[proposal.reference])
    return Opened(demo["coordinator"], url, _action("statement"), saved(proposal))


def notification_choices(demo: Demo) -> Opened:
    from guichet.accounts.notifications import receiving

    person = demo["member"]
    url = reverse("accounts:notifications")
    return Opened(person, url, _field("receive"), lambda: {"receive": sorted(receiving(person))})


EDIT_PAGES = [
    EditPage(("guichet.missions.forms.MissionForm",), mission_details),
    EditPage(("guichet.missions.forms_contributions.ContributionUpdateForm",), contribution),
    EditPage(("guichet.missions.forms_contributions.JustificationForm",), justification),
    EditPage(("guichet.missions.forms_evaluations.EvaluationForm",), client_evaluation),
    EditPage(("guichet.missions.forms_evaluations.ReplyForm",), evaluation_reply),
    EditPage(("guichet.needs.forms_qualification.LotForm",), lot),
    EditPage(("guichet.needs.forms_qualification.ClientOrganisationForm",), request_client),
    EditPage(("guichet.needs.forms_qualification.TenderRulesForm",), request_tender),
    EditPage(("guichet.needs.forms_consortium.ConsortiumKindForm",), consortium_kind),
    EditPage(("guichet.needs.forms_consortium.ConsortiumMemberForm",), consortium_member),
    EditPage((), shortlist_note),  # written in its template, without a form class
    EditPage(("guichet.network.forms_profile.ProfileForm",), profile),
    EditPage(
        (
            "guichet.network.forms_profile.LinkForm",
            "guichet.network.forms_profile.EvidenceForm",
            "guichet.network.forms_profile.BaseEvidenceFormSet",
        ),
        software_link,
    ),
    EditPage(("guichet.network.forms_catalogue.SoftwareForm",), software),
    EditPage(
        (
            "guichet.network.forms_charter.PreambleForm",
            "guichet.network.forms_charter.ValueForm",
            "guichet.network.forms_charter.BaseValueFormSet",
        ),
        charter_draft,
    ),
    EditPage(("guichet.network.forms_admission.EvaluationForm",), admission_evaluation),
    EditPage(("guichet.governance.forms.AmendForm",), amendment),
    EditPage(("guichet.governance.forms.PositionForm",), position),
    EditPage(("guichet.governance.forms.OutcomeStatementForm",), outcome_statement),
    EditPage(("guichet.accounts.forms.NotificationPreferencesForm",), notification_choices),
]
