"""Files kept across a form shown again: stored under random names, taken back only by the
session they were kept for, once, within the delay; then purged.

The request form's journey is in needs/tests/test_intake_kept_documents.py; that every form
with a file keeps it, in tests/test_edit_forms.py.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from guichet.core.forms import KeepsFilesMixin
from guichet.core.forms.uploads import (
    FOLDER,
    KeptFileError,
    file_keep,
    file_take,
    kept_files_purge,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


class AttachmentForm(KeepsFilesMixin, forms.Form):
    """One document, as a mission's or a proposal's form takes it."""

    file = forms.FileField()


@pytest.fixture(autouse=True)
def _nothing_kept_yet() -> None:
    for name in kept():
        default_storage.delete(f"{FOLDER}/{name}")


def kept() -> list[str]:
    try:
        return default_storage.listdir(FOLDER)[1]
    except FileNotFoundError:
        return []


def pdf(name: str = "Budget 2027.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def session() -> SessionStore:
    store = SessionStore()
    store.create()
    return store


def refusal(token: str, store: Any) -> str:
    with pytest.raises(KeptFileError) as caught:
        file_take(token=token, session=store)
    return caught.value.code


def test_a_kept_file_is_stored_under_a_random_name_and_taken_back_once() -> None:
    mine = session()
    first = file_keep(upload=pdf(), session=mine)
    second = file_keep(upload=pdf(), session=mine)

    names = kept()
    assert len(names) == 2
    assert not any("Budget" in name for name in names)  # the name chosen says nothing
    assert first.token != second.token
    taken = file_take(token=first.token, session=mine)
    assert (taken.name, taken.read(), taken.size) == ("Budget 2027.pdf", PDF_BYTES, len(PDF_BYTES))
    assert len(kept()) == 1
    assert refusal(first.token, mine) == "kept_file_expired"  # gone with its first use


def test_another_session_or_a_changed_token_takes_nothing() -> None:
    mine = session()
    token = file_keep(upload=pdf(), session=mine).token

    assert refusal(token, session()) == "kept_file_unknown"
    assert refusal(token, SessionStore()) == "kept_file_unknown"  # no session at all
    assert refusal(token[:-3] + "abc", mine) == "kept_file_unknown"
    assert len(kept()) == 1


def test_a_kept_file_is_refused_after_the_delay_with_its_name(settings: Any) -> None:
    mine = session()
    token = file_keep(upload=pdf(), session=mine).token

    later = timezone.now() + timedelta(hours=settings.GUICHET_KEPT_UPLOAD_HOURS, minutes=1)
    with time_machine.travel(later, tick=False), pytest.raises(KeptFileError) as caught:
        file_take(token=token, session=mine)
    assert (caught.value.code, caught.value.name) == ("kept_file_expired", "Budget 2027.pdf")


def test_the_daily_command_deletes_the_files_nobody_came_back_for(settings: Any) -> None:
    long_ago = timezone.now() - timedelta(hours=settings.GUICHET_KEPT_UPLOAD_HOURS + 1)
    with time_machine.travel(long_ago, tick=False):
        file_keep(upload=pdf("old.pdf"), session=session())
    file_keep(upload=pdf("recent.pdf"), session=session())

    out = StringIO()
    call_command("purge_kept_uploads", stdout=out)

    assert len(kept()) == 1
    assert out.getvalue().startswith("1 ")
    assert kept_files_purge() == 0


def test_a_file_chosen_anew_replaces_the_one_kept_in_a_single_file_field() -> None:
    mine = session()
    token = file_keep(upload=pdf("first.pdf"), session=mine).token
    data = {"file-kept": token}

    with_new = AttachmentForm(data, {"file": pdf("second.pdf")}, session=mine)
    assert with_new.is_valid()
    assert with_new.cleaned_data["file"].name == "second.pdf"

    only_kept = AttachmentForm(data, {}, session=mine)
    assert only_kept.is_valid(), only_kept.errors
    assert only_kept.cleaned_data["file"].name == "first.pdf"


def test_a_form_shown_again_offers_its_kept_file_without_asking_for_another() -> None:
    mine = session()
    form = AttachmentForm({}, {"file": pdf()}, session=mine)
    form.add_error(None, "Refused by the service.")

    html = str(form["file"])

    (token,) = [k.token for k in form.kept_files]
    assert f'name="file-kept" value="{token}"' in html
    assert "Budget 2027.pdf" in html
    assert "required" not in html.split("<ul", 1)[0]  # the browser does not ask for a file
