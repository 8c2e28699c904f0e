"""Tender documents are checked by content, not by name: PDF or ODT only, size-limited."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.core.documents import ODT, PDF, DocumentError, clean_name, document_check

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def odt_bytes(mimetype: str = ODT, *, mimetype_first: bool = True) -> bytes:
    """A minimal OpenDocument text: a zip whose first entry, stored, names the type."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if not mimetype_first:
            archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        if mimetype_first:
            archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(DocumentError) as caught:
        document_check(upload(name, content))
    return caught.value.code


def test_a_pdf_is_accepted_whatever_type_the_browser_claims() -> None:
    checked = document_check(upload("Règlement de consultation.pdf", PDF_BYTES))
    assert (checked.name, checked.content_type, checked.size) == (
        "Règlement de consultation.pdf",
        PDF,
        len(PDF_BYTES),
    )


def test_an_odt_is_accepted() -> None:
    checked = document_check(upload("CCTP.ODT", odt_bytes()))
    assert checked.content_type == ODT


def test_the_file_is_left_at_its_start_for_storing() -> None:
    checked = document_check(upload("cctp.odt", odt_bytes()))
    assert checked.file.read(2) == b"PK"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cctp.docx", odt_bytes()),
        ("cctp", PDF_BYTES),
        ("cctp.pdf.exe", PDF_BYTES),
        ("page.html", b"<html></html>"),
    ],
)
def test_other_kinds_of_file_are_refused_by_their_name(name: str, content: bytes) -> None:
    assert refusal(name, content) == "document_type"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cctp.pdf", b"MZ\x90\x00 this is a program, not a PDF"),
        ("cctp.pdf", odt_bytes()),
        ("cctp.odt", PDF_BYTES),
        ("cctp.odt", odt_bytes("application/vnd.oasis.opendocument.spreadsheet")),
        ("cctp.odt", odt_bytes(mimetype_first=False)),
        ("cctp.odt", b"PK\x03\x04 but no zip behind it"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    name: str, content: bytes
) -> None:
    assert refusal(name, content) == "document_content"


def test_a_file_over_the_size_limit_is_refused(settings: Any) -> None:
    settings.GUICHET_REQUEST_MAX_DOCUMENT_MB = 1
    big = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(DocumentError) as caught:
        document_check(upload("big.pdf", big))
    assert caught.value.code == "document_too_large"
    assert caught.value.params == {"name": "big.pdf", "max": 1}
    # Exactly at the limit is fine.
    assert document_check(upload("ok.pdf", big[: 1024 * 1024])).size == 1024 * 1024


def test_an_empty_file_is_refused() -> None:
    assert refusal("vide.pdf", b"") == "document_empty"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\marie\\Documents\\CCTP.odt", "CCTP.odt"),
        ("cctp\x00\n.pdf", "cctp.pdf"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_the_name_kept_has_no_folder_nor_control_character(given: str, kept: str) -> None:
    assert clean_name(given) == kept
