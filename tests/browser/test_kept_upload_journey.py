"""A client's request keeps its PDF across a form error, walked in Chromium without JavaScript.

A client answering with a formal tender attaches the consultation's PDF and forgets the
deadline for bids. The form comes back with the error, announced, and says the PDF is kept
(the file input itself is empty again: browsers never fill one in). The client gives the
deadline and sends again, without attaching anything: the request carries its PDF.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import ContextFactory, Site
from .test_guichet_journey import field, fr

pytestmark = pytest.mark.browser

CLIENT_EMAIL = "achats@essais-pieces.example"
TITLE = "Maintenance de notre GLPI, marché à procédure adaptée"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PDF_NAME = "CCTP maintenance GLPI.pdf"


@pytest.fixture
def cleaned(site: Site) -> Iterator[None]:
    from guichet.needs.models import Request

    assert not Request.objects.filter(contact_email=CLIENT_EMAIL).exists()
    try:
        yield
    finally:
        Request.objects.filter(contact_email=CLIENT_EMAIL).delete()


@pytest.mark.django_db
def test_the_journey_fits_the_site(settings: Any) -> None:
    """What the journey takes for granted, checked without a browser (marked for the
    database, this also has pytest-django create it when this file runs on its own)."""
    from guichet.needs.models import Request
    from guichet.network.selectors_profile import communes_for_place

    assert not Request.objects.filter(contact_email=CLIENT_EMAIL).exists()
    assert len(communes_for_place("Lyon")) == 1
    assert settings.GUICHET_KEPT_UPLOAD_HOURS >= 1
    assert len(PDF) < settings.GUICHET_REQUEST_MAX_DOCUMENT_MB * 1024 * 1024


def test_a_client_s_request_keeps_its_pdf_across_a_form_error(
    site: Site, new_context: ContextFactory, cleaned: None
) -> None:
    from guichet.needs.models import Request

    page = new_context(javascript=False).new_page()
    page.goto(reverse("needs:request_new"))
    form = page.get_by_role("main").locator("form")
    field(form, "Organisation").fill("Syndicat des eaux des Essais")
    form.get_by_role("group", name="Type d'organisation").get_by_label("Organisme public").check()
    field(form, "Votre nom").fill("Paul Essais")
    field(form, "Votre adresse électronique").fill(CLIENT_EMAIL)
    field(form, "Votre besoin en quelques mots").fill(TITLE)
    field(form, "Décrivez votre besoin").fill("Tierce maintenance applicative de GLPI, 3 ans.")
    services = form.get_by_role("group", name="Type de prestation")
    services.get_by_label("Intégration", exact=True).check()
    field(form, "Ville").fill("Lyon")
    field(form, fr("This is a formal public tender")).check()
    field(form, fr("Tender reference")).fill("MAPA-2027-04")
    documents = field(form, fr("Tender documents (optional)"))
    documents.set_input_files(
        files=[{"name": PDF_NAME, "mimeType": "application/pdf", "buffer": PDF}]
    )
    # The deadline for bids is forgotten.
    form.get_by_role("button", name="Envoyer la demande").click()

    # The form comes back: the error is announced, and the PDF is said to be kept.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(fr("Deadline for bids"))
    expect(summary).to_contain_text(
        fr("The files you attached are kept: you need not attach them again.")
    )
    form = page.get_by_role("main").locator("form")
    kept = form.get_by_role("checkbox", name=re.compile(re.escape(PDF_NAME)))
    expect(kept).to_be_checked()
    expect(field(form, fr("Tender documents (optional)"))).to_have_value("")
    expect(field(form, fr("Tender reference"))).to_have_value("MAPA-2027-04")

    # The client gives the deadline and sends again, attaching nothing.
    deadline = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT12:00")
    field(form, fr("Deadline for bids")).fill(deadline)
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")

    request = Request.objects.get(contact_email=CLIENT_EMAIL)
    (document,) = request.documents.all()
    assert document.original_name == PDF_NAME
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
