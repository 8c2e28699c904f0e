"""The response document as PDF, where the server has LibreOffice; the page offers it only
then. A stand-in for LibreOffice takes its place here: it checks it was handed an
OpenDocument file with LibreOffice's own arguments, and answers as LibreOffice does."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from guichet.needs.demo import CONSORTIUM_TITLE
from guichet.needs.models import Request

pytestmark = pytest.mark.django_db

STAND_IN = """#!/bin/sh
# Arguments as LibreOffice takes them: -env:UserInstallation=... --headless --convert-to pdf
# --outdir DIR FILE
[ "$2" = "--headless" ] && [ "$3" = "--convert-to" ] && [ "$4" = "pdf" ] || exit 2
head -c 2 "$7" | grep -q PK || exit 3   # an OpenDocument file is a zip
{fail}
printf '%%PDF-1.7 stand-in' > "$6/document.pdf"
"""


def _stand_in(folder: Path, *, fail: bool = False) -> str:
    program = folder / "soffice"
    program.write_text(STAND_IN.format(fail="exit 1" if fail else ""))
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return str(program)


def _urls() -> tuple[str, str]:
    pk = Request.objects.get(title=CONSORTIUM_TITLE).pk
    return (
        reverse("needs:coordination_consortium", args=[pk]),
        reverse("needs:coordination_consortium_pdf", args=[pk]),
    )


def test_without_libreoffice_the_pdf_is_not_offered(demo: Any, client_as: Any) -> None:
    page, pdf = _urls()
    client = client_as(demo["coordinator"])
    assert pdf not in client.get(page).content.decode()
    assert client.get(pdf).status_code == 404


def test_with_libreoffice_the_coordinator_downloads_the_pdf(
    demo: Any, client_as: Any, tmp_path: Path
) -> None:
    page, pdf = _urls()
    client = client_as(demo["coordinator"])
    with override_settings(GUICHET_LIBREOFFICE=_stand_in(tmp_path)):
        assert pdf in client.get(page).content.decode()
        response = client.get(pdf)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-groupement.pdf"')
    assert response.content.startswith(b"%PDF")


def test_a_failed_conversion_says_so_on_the_consortium_page(
    demo: Any, client_as: Any, tmp_path: Path
) -> None:
    page, pdf = _urls()
    client = client_as(demo["coordinator"])
    with override_settings(GUICHET_LIBREOFFICE=_stand_in(tmp_path, fail=True)):
        response = client.get("/en" + pdf, follow=True)
    assert response.redirect_chain[-1][0].endswith(page)
    assert "The PDF could not be made" in response.content.decode()


def test_members_cannot_download_it(demo: Any, client_as: Any, tmp_path: Path) -> None:
    _, pdf = _urls()
    with override_settings(GUICHET_LIBREOFFICE=_stand_in(tmp_path)):
        assert client_as(demo["member"]).get(pdf).status_code == 404
