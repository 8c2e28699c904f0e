"""Client evaluations: the emailed link, the answers, the reminders, the members' replies."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.accounts.models import NotificationOptOut, User
from guichet.core.models import AuditEntry
from guichet.missions.models import (
    Evaluation,
    EvaluationReply,
    Mission,
    MissionEvent,
    MissionStatus,
)
from guichet.missions.notifications import EVALUATION_PUBLISHED
from guichet.missions.selectors_evaluations import evaluations_for_mission
from guichet.missions.services.common import MissionError
from guichet.missions.services.evaluations import (
    SALT,
    evaluation_reminders_send,
    evaluation_reply_publish,
    evaluation_submit,
    evaluation_token,
)
from guichet.missions.services.missions import (
    mission_from_choice,
    mission_from_consortium,
    mission_move,
)
from guichet.needs.models import Consortium, ShortlistEntry
from guichet.network.models import Membership, Organisation

pytestmark = pytest.mark.django_db

GOOD = {"quality": 5, "deadlines": 4, "communication": 4, "openness": 3}
FORM = {
    "action": "evaluate",
    "quality": "5",
    "deadlines": "4",
    "communication": "4",
    "openness": "3",
    "would_recommend": "yes",
    "comment": "Travail soigné, documentation remise.",
}


def refused(code: str) -> Any:
    return pytest.raises(MissionError, match=f"^{code}$")


def delivered(mission: Mission, by: Any) -> Mission:
    for status in (MissionStatus.RUNNING, MissionStatus.DELIVERED):
        mission = mission_move(mission=mission, target=status, by=by)
    return mission


@pytest.fixture
def consortium_mission(demo: Any) -> Mission:
    consortium = Consortium.objects.filter(mission__isnull=True).first()
    assert consortium is not None, "the demo has a consortium ready to start"
    mission = mission_from_consortium(consortium=consortium, by=demo["coordinator"])
    return delivered(mission, demo["coordinator"])


@pytest.fixture
def other_mission(demo: Any) -> Mission:
    entry = ShortlistEntry.objects.filter(
        chosen_at__isnull=False, lot__missions__isnull=True, lot__request__consortium__isnull=True
    ).first()
    assert entry is not None, "the demo has a chosen provider without mission"
    mission = mission_from_choice(entry=entry, by=demo["coordinator"])
    return delivered(mission, demo["coordinator"])


def en(name: str, *args: Any) -> str:
    """The English page's path: the sentences checked here are the English ones."""
    with translation.override("en"):
        return reverse(name, args=args)


def link_of(evaluation: Evaluation) -> str:
    return en("missions:evaluation", evaluation_token(evaluation))


def submit(evaluation: Evaluation, **ratings: int) -> Evaluation:
    return evaluation_submit(
        evaluation=evaluation,
        ratings={**GOOD, **ratings},
        would_recommend=True,
        comment="Très bien.",
    )


# --- The emailed link ------------------------------------------------------------------


def test_the_emailed_link_opens_the_mission_and_the_answers_move_it_to_evaluated(
    client: Client, demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    consortium = Consortium.objects.filter(mission__isnull=True).first()
    assert consortium is not None
    mission = mission_from_consortium(consortium=consortium, by=demo["coordinator"])
    mission_move(mission=mission, target=MissionStatus.RUNNING, by=demo["coordinator"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mission_move(mission=mission, target=MissionStatus.DELIVERED, by=demo["coordinator"])
    (asked,) = [m for m in mail.outbox if "/mission/evaluation/" in m.body]
    url = re.search(r"https?://\S+/mission/evaluation/\S+/", asked.body)
    assert url is not None
    path = "/en/" + url.group(0).split("://", 1)[1].split("/", 1)[1]

    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert mission.title in html
    assert mission.request.reference in html
    for member in mission.members.select_related("organisation"):
        assert member.organisation.name in html
    # Each rating is a group of radio buttons named by its legend.
    assert html.count("<legend>") >= 5
    assert 'type="radio" name="quality"' in html
    assert page["Referrer-Policy"] == "same-origin"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(path, FORM)
    assert sent.status_code == 302
    evaluation = mission.evaluations.get()
    assert evaluation.score == pytest.approx(4)
    assert evaluation.submitted_at is not None
    assert (evaluation.quality, evaluation.openness, evaluation.would_recommend) == (5, 3, True)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.EVALUATED
    assert MissionEvent.objects.filter(
        mission=mission, kind="status", data__status=MissionStatus.EVALUATED
    ).exists()
    assert AuditEntry.objects.filter(action="evaluation.submit", object_id=str(evaluation.pk))
    # The members' people are told, without the comment in the email.
    people = set(
        Membership.objects.filter(
            organisation__in=mission.members.values("organisation")
        ).values_list("person__email", flat=True)
    )
    told = {m.to[0] for m in mail.outbox}
    assert people
    assert told == people
    assert all("Travail soigné" not in m.body for m in mail.outbox)
    # The page then shows the answers, which may still change.
    again = client.get(path).content.decode()
    assert "Travail soigné" in again
    assert "Save my changes" in again


def test_a_member_who_opted_out_is_not_emailed_when_the_evaluation_arrives(
    demo: Any, consortium_mission: Mission, django_capture_on_commit_callbacks: Any
) -> None:
    NotificationOptOut.objects.create(person=demo["member"], kind=EVALUATION_PUBLISHED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(consortium_mission.evaluations.get())
    told = {m.to[0] for m in mail.outbox}
    assert told
    assert demo["member"].email not in told


def test_changing_the_answers_keeps_one_evaluation_and_updates_its_score(
    consortium_mission: Mission,
) -> None:
    evaluation = submit(consortium_mission.evaluations.get())
    first = evaluation.submitted_at
    changed = submit(evaluation, quality=1, deadlines=1, communication=1, openness=1)
    assert changed.score == 1
    assert changed.submitted_at == first
    assert changed.updated_at is not None
    assert changed.updated_at >= first
    assert Evaluation.objects.filter(mission=consortium_mission).count() == 1


def test_an_expired_link_shows_a_page_that_says_so_and_whom_to_write_to(
    client: Client, consortium_mission: Mission
) -> None:
    evaluation = consortium_mission.evaluations.get()
    path = link_of(evaluation)
    Evaluation.objects.filter(pk=evaluation.pk).update(expires_at=timezone.now())
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert "This evaluation link has expired" in html
    assert "mailto:" in html
    assert consortium_mission.title not in html
    # Sending the form through it changes nothing.
    client.post(path, FORM)
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is None


def test_an_unknown_link_answers_404_with_a_page_that_explains(client: Client) -> None:
    page = client.get(en("missions:evaluation", "pas-un-vrai-lien"))
    assert page.status_code == 404
    assert "This evaluation link does not work" in page.content.decode()


def test_one_missions_link_never_reads_nor_changes_another_missions_evaluation(
    client: Client, consortium_mission: Mission, other_mission: Mission
) -> None:
    mine = consortium_mission.evaluations.get()
    theirs = other_mission.evaluations.get()
    html = client.get(link_of(mine)).content.decode()
    assert consortium_mission.title in html
    assert other_mission.title not in html
    # A token naming the other evaluation with this one's nonce is refused.
    forged = signing.dumps({"e": theirs.pk, "n": mine.nonce}, salt=SALT, compress=True)
    assert client.get(en("missions:evaluation", forged)).status_code == 404
    client.post(en("missions:evaluation", forged), FORM)
    # Posting through one's own link, whatever the form says, changes only one's own.
    client.post(link_of(mine), {**FORM, "evaluation": theirs.pk, "mission": other_mission.pk})
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.submitted_at is None
    assert mine.submitted_at is not None


def test_a_new_link_revokes_the_ones_sent_before(
    client: Client, consortium_mission: Mission
) -> None:
    evaluation = consortium_mission.evaluations.get()
    old = link_of(evaluation)
    evaluation.nonce = "0" * 32
    evaluation.save(update_fields=["nonce"])
    assert client.get(old).status_code == 404


def test_answers_cannot_change_once_the_mission_is_closed(
    client: Client, demo: Any, consortium_mission: Mission
) -> None:
    evaluation = submit(consortium_mission.evaluations.get())
    mission_move(mission=consortium_mission, target=MissionStatus.CLOSED, by=demo["coordinator"])
    with refused("evaluation_closed"):
        submit(evaluation, quality=1)
    page = client.post(link_of(evaluation), {**FORM, "quality": "1"})
    html = page.content.decode()
    assert "can no longer be changed" in html
    assert 'name="quality"' not in html
    evaluation.refresh_from_db()
    assert evaluation.quality == GOOD["quality"]


def test_a_closed_mission_not_yet_evaluated_may_still_be_evaluated_once(
    demo: Any, consortium_mission: Mission
) -> None:
    mission_move(mission=consortium_mission, target=MissionStatus.CLOSED, by=demo["coordinator"])
    evaluation = submit(consortium_mission.evaluations.get())
    assert evaluation.score is not None
    consortium_mission.refresh_from_db()
    assert consortium_mission.status == MissionStatus.CLOSED
    with refused("evaluation_closed"):
        submit(evaluation, quality=2)


def test_a_mission_sent_back_to_work_cannot_be_evaluated(
    client: Client, demo: Any, consortium_mission: Mission
) -> None:
    mission_move(mission=consortium_mission, target=MissionStatus.RUNNING, by=demo["coordinator"])
    evaluation = consortium_mission.evaluations.get()
    with refused("evaluation_not_open"):
        submit(evaluation)
    html = client.get(link_of(evaluation)).content.decode()
    assert "cannot be evaluated at the moment" in html
    assert 'name="quality"' not in html


def test_missing_answers_come_back_with_their_errors_and_the_comment_kept(
    client: Client, consortium_mission: Mission
) -> None:
    evaluation = consortium_mission.evaluations.get()
    page = client.post(link_of(evaluation), {**FORM, "openness": "", "deadlines": "9"})
    html = page.content.decode()
    assert page.status_code == 400
    assert 'role="alert"' in html
    assert 'href="#id_openness_0"' in html
    assert 'aria-describedby="id_openness_helptext id_openness_error"' in html
    assert "Choose a rating from 1 to 5." in html
    assert "Travail soigné, documentation remise." in html
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is None


def test_ratings_out_of_the_scale_are_refused_by_the_service(consortium_mission: Mission) -> None:
    evaluation = consortium_mission.evaluations.get()
    with refused("rating_out_of_range"):
        submit(evaluation, quality=6)
    with refused("rating_missing"):
        evaluation_submit(
            evaluation=evaluation, ratings={"quality": 3}, would_recommend=False, comment=""
        )


# --- Reminders -------------------------------------------------------------------------


def reminders(evaluation: Evaluation, days: float, captured: Any) -> int:
    mail.outbox.clear()
    with captured(execute=True):
        count = evaluation_reminders_send(now=evaluation.asked_at + timedelta(days=days))
    assert len([m for m in mail.outbox if m.to == [evaluation.contact_email]]) == count
    return count


def test_the_client_is_reminded_after_7_and_14_days_once_each(
    consortium_mission: Mission, django_capture_on_commit_callbacks: Any
) -> None:
    evaluation = consortium_mission.evaluations.get()
    run = django_capture_on_commit_callbacks
    assert reminders(evaluation, 6.9, run) == 0
    assert reminders(evaluation, 7, run) == 1
    assert reminders(evaluation, 7.5, run) == 0  # the daily job ran twice
    assert reminders(evaluation, 13, run) == 0
    assert reminders(evaluation, 14, run) == 1
    assert reminders(evaluation, 21, run) == 0
    evaluation.refresh_from_db()
    assert evaluation.reminders_sent == 2


def test_a_reminder_carries_a_link_that_opens_the_evaluation(
    client: Client, consortium_mission: Mission, django_capture_on_commit_callbacks: Any
) -> None:
    evaluation = consortium_mission.evaluations.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_reminders_send(now=evaluation.asked_at + timedelta(days=8))
    (reminder,) = mail.outbox
    path = re.search(r"/mission/evaluation/\S+/", reminder.body)
    assert path is not None
    assert client.get(path.group(0)).status_code == 200


def test_no_reminder_after_the_answer(
    consortium_mission: Mission, django_capture_on_commit_callbacks: Any
) -> None:
    evaluation = submit(consortium_mission.evaluations.get())
    assert reminders(evaluation, 7, django_capture_on_commit_callbacks) == 0
    assert reminders(evaluation, 14, django_capture_on_commit_callbacks) == 0


def test_the_client_stops_the_reminders_from_its_page(
    client: Client, consortium_mission: Mission, django_capture_on_commit_callbacks: Any
) -> None:
    evaluation = consortium_mission.evaluations.get()
    page = client.post(link_of(evaluation), {"action": "stop_reminders"}, follow=True)
    assert "no more reminders" in page.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.reminders_stopped_at is not None
    assert evaluation.submitted_at is None
    assert reminders(evaluation, 7, django_capture_on_commit_callbacks) == 0
    # The link still works.
    assert client.get(link_of(evaluation)).status_code == 200


def test_no_reminder_once_the_link_expired(
    consortium_mission: Mission, django_capture_on_commit_callbacks: Any
) -> None:
    evaluation = consortium_mission.evaluations.get()
    Evaluation.objects.filter(pk=evaluation.pk).update(
        expires_at=evaluation.asked_at + timedelta(days=10)
    )
    evaluation.refresh_from_db()
    assert reminders(evaluation, 7, django_capture_on_commit_callbacks) == 1
    assert reminders(evaluation, 14, django_capture_on_commit_callbacks) == 0


def test_the_daily_command_sends_the_reminders_due(consortium_mission: Mission) -> None:
    evaluation = consortium_mission.evaluations.get()
    Evaluation.objects.filter(pk=evaluation.pk).update(asked_at=timezone.now() - timedelta(days=8))
    out = _Out()
    call_command("send_evaluation_reminders", stdout=out)
    assert "1 evaluation reminder(s) sent." in out.text
    call_command("send_evaluation_reminders", stdout=out)
    assert "0 evaluation reminder(s) sent." in out.text
    evaluation.refresh_from_db()
    assert evaluation.reminders_sent == 1


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


# --- Who reads the answers, and the members' replies -----------------------------------


def _manager_of(mission: Mission) -> tuple[Any, Organisation]:
    membership = (
        Membership.objects.filter(
            organisation__in=mission.members.values("organisation"), is_manager=True
        )
        .select_related("person", "organisation")
        .order_by("pk")
        .first()
    )
    assert membership is not None
    return membership.person, membership.organisation


def test_the_comment_is_read_by_the_members_and_coordinators_only(
    demo: Any, consortium_mission: Mission, other_mission: Mission
) -> None:
    submit(consortium_mission.evaluations.get())
    manager, _organisation = _manager_of(consortium_mission)
    rows = evaluations_for_mission(mission=consortium_mission, user=manager)
    assert [row.evaluation.comment for row in rows] == ["Très bien."]
    assert evaluations_for_mission(mission=consortium_mission, user=demo["coordinator"])
    outsider, _ = _manager_of(other_mission)
    assert not consortium_mission.members.filter(organisation__memberships__person=outsider)
    assert evaluations_for_mission(mission=consortium_mission, user=outsider) == []
    assert evaluations_for_mission(mission=consortium_mission, user=demo["client"]) == []


def test_the_mission_section_shows_the_comment_the_replies_and_the_reply_link(
    consortium_mission: Mission,
) -> None:
    evaluation = submit(consortium_mission.evaluations.get())
    manager, organisation = _manager_of(consortium_mission)
    evaluation_reply_publish(
        evaluation=evaluation, organisation=organisation, text="Merci !", by=manager
    )
    rows = evaluations_for_mission(mission=consortium_mission, user=manager)
    html = render_to_string(
        "missions/evaluations/mission_section.html",
        {"evaluations": rows, "mission": consortium_mission},
    )
    assert "Très bien." in html
    assert "Merci !" in html
    assert organisation.name in html
    assert reverse("missions:evaluation_reply", args=[consortium_mission.pk, evaluation.pk]) in html
    assert (
        render_to_string(
            "missions/evaluations/mission_section.html",
            {"evaluations": [], "mission": consortium_mission},
        ).strip()
        == ""
    )


def test_a_manager_publishes_one_reply_and_may_correct_it(
    client_as: Any, consortium_mission: Mission
) -> None:
    evaluation = submit(consortium_mission.evaluations.get())
    manager, organisation = _manager_of(consortium_mission)
    url = en("missions:evaluation_reply", consortium_mission.pk, evaluation.pk)
    client = client_as(manager)
    page = client.get(url)
    assert page.status_code == 200
    assert "Très bien." in page.content.decode()
    sent = client.post(url, {"organisation": organisation.pk, "text": "Merci pour ce retour."})
    assert sent.status_code == 302
    assert sent["Location"].endswith("#evaluations")
    client.post(url, {"organisation": organisation.pk, "text": "Merci, vraiment."})
    reply = EvaluationReply.objects.get(evaluation=evaluation)
    assert (reply.organisation, reply.text) == (organisation, "Merci, vraiment.")
    empty = client.post(url, {"organisation": organisation.pk, "text": "  "})
    assert empty.status_code == 400
    assert "Write the reply before publishing it." in empty.content.decode()


def test_only_a_manager_of_a_member_replies(
    client_as: Any, demo: Any, consortium_mission: Mission, other_mission: Mission
) -> None:
    evaluation = submit(consortium_mission.evaluations.get())
    url = en("missions:evaluation_reply", consortium_mission.pk, evaluation.pk)
    # A coordinator reads the evaluation but speaks for no organisation.
    assert client_as(demo["coordinator"]).get(url).status_code == 404
    # Another organisation's manager does not even see the mission.
    outsider, outsider_org = _manager_of(other_mission)
    assert not consortium_mission.members.filter(organisation=outsider_org).exists()
    assert client_as(outsider).get(url).status_code == 404
    with refused("reply_not_member"):
        evaluation_reply_publish(
            evaluation=evaluation, organisation=outsider_org, text="Hop", by=outsider
        )
    # A member organisation's person who is not its manager cannot reply in its name.
    _manager, organisation = _manager_of(consortium_mission)
    colleague = User.objects.create_user("collegue@example.org", "x" * 20, full_name="Collègue")
    Membership.objects.create(person=colleague, organisation=organisation, is_manager=False)
    assert client_as(colleague).get(url).status_code == 404
    with refused("reply_not_manager"):
        evaluation_reply_publish(
            evaluation=evaluation, organisation=organisation, text="Hop", by=colleague
        )
    assert not EvaluationReply.objects.exists()


def test_nothing_to_reply_to_before_the_client_answered(
    client_as: Any, consortium_mission: Mission
) -> None:
    evaluation = consortium_mission.evaluations.get()
    manager, organisation = _manager_of(consortium_mission)
    url = en("missions:evaluation_reply", consortium_mission.pk, evaluation.pk)
    assert client_as(manager).get(url).status_code == 404
    with refused("reply_nothing_to_answer"):
        evaluation_reply_publish(
            evaluation=evaluation, organisation=organisation, text="Hop", by=manager
        )


# --- The pages of the browser suite ----------------------------------------------------


@pytest.mark.demo_missions
def test_the_registered_pages_open_from_the_demo_data(
    client: Client, client_as: Any, demo: Any
) -> None:
    from guichet.core.registries.pages import registry

    pages = registry.pages
    # Paths first: a page under /en/ leaves English active, and reverse() would follow it.
    to_answer, expired, answered, reply = (
        pages[key].path()
        for key in (
            "mission-evaluation",
            "mission-evaluation-expired",
            "mission-evaluation-answered",
            "mission-evaluation-reply",
        )
    )
    assert client.get(to_answer).status_code == 200
    page = client.get("/en" + expired)
    assert page.status_code == 200
    assert "This evaluation link has expired" in page.content.decode()
    # The expired demo evaluation is never the one the evaluation page opens.
    assert "expired" not in client.get("/en" + to_answer).content.decode()
    assert client.get("/en" + answered).status_code == 200
    viewer = pages["mission-evaluation-reply"].viewers[0]
    assert client_as(demo[viewer]).get(reply).status_code == 200
