"""The audit log's writer and the generic tasks."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection, models
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django_tasks_db.models import DBTaskResult

from config.settings import base as base_settings
from guichet.core.audit import audit_record, audit_verify
from guichet.core.domain.audit_chain import GENESIS, record_hash
from guichet.core.middleware import RequestContextMiddleware
from guichet.core.models import AppendOnlyError, AuditEntry
from guichet.core.tasks import send_email

pytestmark = pytest.mark.django_db


def last_entry() -> AuditEntry | None:
    """The tail of the log: the demo's records are already there, and are never deleted."""
    return AuditEntry.objects.order_by("-sequence").first()


def entries_after(last: AuditEntry | None) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(sequence__gt=last.sequence if last else 0)


def test_the_first_record_starts_the_chain_from_genesis() -> None:
    audit_record(action="test.first")  # so that the log has a first record, demo or not

    first = AuditEntry.objects.get(sequence=1)

    assert first.previous_hash == GENESIS
    assert first.hash == record_hash(first.chained_fields(), GENESIS)
    assert audit_verify() is None


def test_a_record_continues_the_chain_from_the_last_one() -> None:
    last = last_entry()

    entry = audit_record(action="test.next")

    assert last is not None  # the demo wrote records before this test
    assert entry.sequence == last.sequence + 1
    assert entry.previous_hash == last.hash
    assert entry.hash == record_hash(entry.chained_fields(), last.hash)


def test_each_record_follows_the_one_before_it() -> None:
    first = audit_record(action="test.first")
    second = audit_record(action="test.second")

    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.hash
    assert audit_verify() is None


def test_a_record_names_its_actor_and_target_by_id() -> None:
    person = get_user_model().objects.create_user("personne@exemple.test")

    entry = audit_record(action="test.act", actor=person, target=person, data={"n": 1})

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_id == person.pk
    assert (stored.object_type, stored.object_id) == ("accounts.user", str(person.pk))
    assert stored.data == {"n": 1}


def test_a_record_read_back_from_the_database_still_matches_its_hash() -> None:
    entry = audit_record(action="test.act", data={"amount": "12.50", "names": ["é", "ü"]})

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert record_hash(stored.chained_fields(), stored.previous_hash) == stored.hash


@pytest.mark.parametrize(
    "data",
    [
        {"names": ["é", "ü", "\u2028"], "nothing": None, "yes": True},
        {"nested": {"b": [1, "2"], "a": {}}},
        {"big": 12345678901234567890, "negative": -3},
        {"amount": "1250.50"},
    ],
    ids=["text", "nested", "integers", "amount-as-text"],
)
def test_a_record_s_data_comes_back_from_the_database_matching_its_hash(
    data: dict[str, object],
) -> None:
    entry = audit_record(action="test.act", data=data)

    assert AuditEntry.objects.get(pk=entry.pk).data == data
    assert audit_verify() is None


@pytest.mark.parametrize("data", [{"score": 1e20}, {"delta": -0.0}, {"list": [{"x": 0.5}]}])
def test_a_float_in_a_record_s_data_is_refused(data: dict[str, object]) -> None:
    # Some floats come back from PostgreSQL changed, and the record would fail its own hash.
    last = last_entry()

    with pytest.raises(TypeError, match="float"):
        audit_record(action="test.act", data=data)

    assert not entries_after(last).exists()


def test_a_record_written_outside_a_request_has_no_ip_address() -> None:
    assert audit_record(action="test.cli").ip_address is None


def test_a_record_written_during_a_request_keeps_the_client_ip_address() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        audit_record(action="test.in_request")
        return HttpResponse()

    last = last_entry()
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    RequestContextMiddleware(view)(request)

    assert entries_after(last).get().ip_address == "203.0.113.7"


def test_the_forwarded_for_header_cannot_choose_the_recorded_address() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        audit_record(action="test.in_request")
        return HttpResponse()

    last = last_entry()
    request = RequestFactory().get(
        "/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.66"
    )
    RequestContextMiddleware(view)(request)

    assert entries_after(last).get().ip_address == "203.0.113.7"


def test_the_request_address_is_forgotten_once_the_request_is_over() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    RequestContextMiddleware(lambda request: HttpResponse())(request)

    assert audit_record(action="test.after").ip_address is None


def test_a_record_cannot_be_changed() -> None:
    entry = audit_record(action="test.act")
    entry.action = "test.other"

    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.act"


def test_a_record_cannot_be_deleted() -> None:
    entry = audit_record(action="test.act")
    count = AuditEntry.objects.count()

    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.count() == count
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_records_cannot_be_changed_in_bulk() -> None:
    entry = audit_record(action="test.act")

    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(action="test.act").update(action="test.other")
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.act"
    assert not AuditEntry.objects.filter(action="test.other").exists()


def test_records_cannot_be_deleted_in_bulk() -> None:
    audit_record(action="test.act")
    count = AuditEntry.objects.count()

    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == count


def test_a_record_changed_behind_the_application_s_back_is_detected() -> None:
    second = [audit_record(action=f"test.{n}") for n in range(3)][1]

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET action = %s WHERE sequence = %s",
            ["test.x", second.sequence],
        )

    broken = audit_verify()
    assert broken is not None
    assert broken.sequence == second.sequence


def test_the_email_task_sends_the_message() -> None:
    result = send_email.enqueue(
        subject="Bienvenue",
        body="Texte",
        html="<p>Texte</p>",
        to=["personne@exemple.test"],
        from_email="guichet@exemple.test",
    )

    assert result.return_value == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert (message.subject, message.body, message.to) == (
        "Bienvenue",
        "Texte",
        ["personne@exemple.test"],
    )
    assert message.alternatives[0][0] == "<p>Texte</p>"


def test_the_configured_task_backend_stores_tasks_in_the_database_for_the_worker() -> None:
    assert base_settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"

    with override_settings(TASKS=base_settings.TASKS):
        result = send_email.enqueue(subject="S", body="B", to=["personne@exemple.test"])

    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.task_path == "guichet.core.tasks.send_email"
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers by itself; PostgreSQL relies on the advisory lock.",
)
def test_records_appended_at_the_same_time_still_form_one_chain() -> None:
    last = last_entry()
    base = last.sequence if last else 0
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def append_five() -> None:
        try:
            start.wait()
            for n in range(5):
                audit_record(action=f"test.{n}")
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append_five) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    appended = entries_after(last).order_by("sequence").values_list("sequence", flat=True)
    assert list(appended) == list(range(base + 1, base + 21))
    assert audit_verify() is None
