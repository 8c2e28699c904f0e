"""Saving an edit form without touching it changes nothing, on every edit page of the site.

A person who opens a form filled in with what is saved, changes one field and saves, must
find everything else as it was. That breaks when a field is rendered in a way the browser
cannot send back: a French date ("01/02/2027") in a `type="date"` input is shown empty and
sent empty, and saving a title change cleared a mission's dates. So each edit page
(`edit_pages.py`) is opened as its rightful user, its form is read from the HTML and sent
back as a browser sends it (`html_forms.py`), and what the form edits must be unchanged.

The pages are read in French, the site's first language, where dates are not ISO.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, datetime
from typing import Any

import lxml.html
import pytest
from django import forms
from django.test import Client
from django.utils import timezone, translation

import guichet
from guichet.core.forms import KeepsFilesMixin
from tests.edit_pages import EDIT_PAGES, EditPage
from tests.html_forms import page_form, sanitised, submit

pytestmark = pytest.mark.django_db

# Form classes that edit nothing already saved, each with the reason.
NOT_EDIT_FORMS = {
    "guichet.accounts.forms.ApiTokenForm": "creates a token",
    "guichet.governance.forms.BallotForm": "a secret ballot is cast once, never shown again",
    "guichet.governance.forms.CandidateForm": "adds a candidate",
    "guichet.governance.forms.CommentForm": "adds a message",
    "guichet.core.forms.keeping.KeepsFilesMixin": "a part of other forms",
    "guichet.governance.forms.AttachmentForm": "adds a document",
    "guichet.governance.forms.ExamineForm": "a facilitator's examination, given once",
    "guichet.governance.forms.GiverChoiceMixin": "a part of other forms",
    "guichet.governance.forms.ProposalForm": "opens a proposal",
    "guichet.governance.forms.ProxyForm": "gives a proxy",
    "guichet.governance.forms.RoundOpenForm": "opens a round",
    "guichet.governance.views.log.LogFilterForm": "filters a list",
    "guichet.missions.forms.DaysForm": "records days (a month's figure, typed anew)",
    "guichet.missions.forms.DocumentForm": "adds a document",
    "guichet.missions.forms.InvoiceForm": "records an invoice",
    "guichet.missions.forms.InvoiceStatusForm": "a button: marks an invoice paid",
    "guichet.missions.forms.MemberChoiceMixin": "a part of other forms",
    "guichet.missions.forms.MilestoneForm": "adds a milestone",
    "guichet.missions.forms.MoveForm": "moves a mission to another status, chosen anew",
    "guichet.missions.forms_contributions.ContributionForm": "logs a contribution",
    "guichet.missions.forms_contributions.EmbargoMixin": "a part of other forms",
    "guichet.needs.forms_consortium.DaysAndRateForm": "a part of other forms",
    "guichet.needs.forms_consortium.SubcontractorForm": "adds a subcontractor",
    "guichet.needs.forms_intake.ReplyForm": "adds a message",
    "guichet.needs.forms_intake.RequestForm": "submits a request",
    "guichet.needs.forms_invitations.AcceptForm": "a provider's answer, given once",
    "guichet.needs.forms_invitations.InviteForm": "invites a provider",
    "guichet.needs.forms_matching.MatchingRulesForm": (
        "proposes new rules: test_the_rules_form_sent_unchanged_proposes_the_rules_in_force"
    ),
    "guichet.needs.forms_qualification.MessageForm": "sends a message",
    "guichet.needs.forms_qualification.NotAFitForm": "closes a request",
    "guichet.needs.forms_qualification.RequestFilterForm": "filters a list",
    "guichet.network.forms.DirectoryForm": "filters a list",
    "guichet.network.forms_admission.ApplicationFilterForm": "filters a list",
    "guichet.network.forms_admission.ApplyForm": "submits an application",
    "guichet.network.forms_admission.AssignForm": "assigns an evaluator",
    "guichet.network.forms_admission.OpenForm": "opens a re-evaluation",
    "guichet.network.forms_admission.PutToDecisionForm": "a confirmation",
    "guichet.network.forms_admission.WithdrawForm": "a confirmation",
    "guichet.network.forms_catalogue.MergeForm": "merges two entries",
    "guichet.network.forms_charter.ConfirmForm": "a confirmation",
    "guichet.network.forms_profile.PersonAddForm": "adds a person",
    "guichet.privacy.forms.ErasureForm": "a confirmation",
}


def project_form_classes() -> dict[str, type]:
    """Every form and formset class of the project, by module.Class."""
    for module in pkgutil.walk_packages(guichet.__path__, "guichet."):
        if not {".tests", ".migrations"} & {f".{p}" for p in module.name.split(".")}:
            importlib.import_module(module.name)
    found: dict[str, type] = {}
    pending: list[type] = [forms.BaseForm, forms.BaseFormSet]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("guichet.") and ".tests" not in sub.__module__:
                found[f"{sub.__module__}.{sub.__qualname__}"] = sub
    return found


def test_every_form_of_the_project_is_an_edit_page_checked_or_said_not_to_edit() -> None:
    covered = {name for page in EDIT_PAGES for name in page.forms}
    known = covered | set(NOT_EDIT_FORMS)
    unknown = sorted(set(project_form_classes()) - known)
    assert not unknown, (
        "New forms: add each form that edits something saved to tests/edit_pages.py, or "
        f"say in NOT_EDIT_FORMS why it edits nothing: {unknown}"
    )
    assert not covered & set(NOT_EDIT_FORMS)
    assert not known - set(project_form_classes()), "a form listed no longer exists"


@pytest.mark.parametrize("page", EDIT_PAGES, ids=lambda page: page.id)
def test_saving_an_edit_form_unchanged_changes_nothing(
    client: Client, demo: dict[str, Any], page: EditPage
) -> None:
    opened = page.open(demo)
    if opened.person is not None:
        client.force_login(opened.person)
    before = opened.edited()

    with translation.override("fr"):
        shown = client.get(opened.url)
        assert shown.status_code == 200
        form = page_form(shown.content, having=opened.having)
        sent = submit(client, opened.url, form, changes=opened.fill)

    assert sent.status_code == opened.status, errors_of(sent)
    after = opened.edited()
    assert {k: v for k, v in after.items() if before.get(k) != v} == {}
    assert after.keys() == before.keys()


def errors_of(response: Any) -> str:
    """The error summary of a refused form, else the start of the page."""
    page = lxml.html.fromstring(response.content)
    summary = page.xpath("//*[contains(@class, 'errors')]")
    return (
        " / ".join(" ".join(e.text_content().split()) for e in summary)
        or page.text_content()[:2000]
    )


def test_every_form_with_a_file_keeps_it_when_it_comes_back_with_errors() -> None:
    """A file input is empty again on a form shown with its errors: the form must keep the
    file (guichet.core.forms.KeepsFilesMixin), or the next sending goes without it."""
    with_files = [
        name
        for name, form in project_form_classes().items()
        if any(isinstance(f, forms.FileField) for f in getattr(form, "base_fields", {}).values())
    ]
    assert len(with_files) >= 3
    classes = project_form_classes()
    assert [name for name in with_files if not issubclass(classes[name], KeepsFilesMixin)] == []


# --- Dates ---------------------------------------------------------------------------------

A_DATE = date(2027, 2, 1)
A_TIME = timezone.make_aware(datetime(2027, 2, 1, 9, 30))


def date_fields() -> list[tuple[str, str, forms.Field]]:
    return [
        (name, field_name, field)
        for name, form in project_form_classes().items()
        for field_name, field in getattr(form, "base_fields", {}).items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
    ]


def shown_value(field: forms.Field, value: Any) -> tuple[str, str]:
    """The input's type and value as the browser reads them: invalid values become empty."""
    html = field.widget.render("x", field.prepare_value(value))
    element = lxml.html.fragment_fromstring(html)
    kind = element.get("type", "text")
    return kind, sanitised(kind, element.get("value", ""))


def test_the_project_has_date_fields_to_check() -> None:
    assert len(date_fields()) >= 8


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_date_field_shows_its_date_to_the_browsers_date_picker(language: str) -> None:
    wrong = []
    with translation.override(language):
        for form, name, field in date_fields():
            if isinstance(field, forms.DateTimeField):
                expected = ("datetime-local", "2027-02-01T09:30")
                shown = shown_value(field, A_TIME)
            else:
                expected = ("date", "2027-02-01")
                shown = shown_value(field, A_DATE)
            if shown != expected:
                wrong.append(f"{form}.{name}: {shown}")
    assert not wrong, f"date fields the browser cannot show (use guichet.core.forms): {wrong}"


def test_every_text_area_gives_back_the_line_ends_it_was_given() -> None:
    """Browsers send CR LF: a text saved with LF must not change when sent back untouched."""
    areas = {
        f"{form}.{name}": field.widget
        for form, cls in project_form_classes().items()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field.widget, forms.Textarea)
    }
    assert len(areas) >= 20
    sent = {"text": "one\r\ntwo"}
    rewritten = [
        area
        for area, widget in areas.items()
        if widget.value_from_datadict(sent, {}, "text") != "one\ntwo"
    ]
    assert not rewritten, f"use guichet.core.forms.Textarea: {rewritten}"
