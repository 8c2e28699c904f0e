"""Staff read the books in Django's admin, and cannot write in them there."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from guichet.accounts.models import User
from guichet.finance.tests.factories import client_account, posted, year

pytestmark = pytest.mark.django_db

MODELS = ["account", "auxiliaryaccount", "journal", "fiscalyear", "journalsequence", "entry"]


@pytest.fixture
def staff(client_as: Any) -> Any:
    person = User.objects.create_superuser("tresorerie@guichet.test", "un mot de passe long")
    return client_as(person)


@pytest.mark.parametrize("model", MODELS)
def test_staff_read_every_list_of_the_books(staff: Any, model: str) -> None:
    year()
    posted([("411", 10, 0, client_account()), ("706", 0, 10)], code="VT")

    assert staff.get(reverse(f"admin:finance_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_nobody_adds_to_the_books_from_the_admin(staff: Any, model: str) -> None:
    assert staff.get(reverse(f"admin:finance_{model}_add")).status_code == 403


def test_an_entry_shows_with_its_postings_and_cannot_be_changed(staff: Any) -> None:
    year()
    entry = posted()

    page = staff.get(reverse("admin:finance_entry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert "Frais bancaires de mars" in page.content.decode()
    assert "12,50" in page.content.decode()  # the amount, as a French reader writes it
    assert 'name="_save"' not in page.content.decode()
    deleting = staff.post(reverse("admin:finance_entry_delete", args=[entry.pk]), {"post": "yes"})
    assert deleting.status_code == 403
