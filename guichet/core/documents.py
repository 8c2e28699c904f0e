"""Checking attached documents (tenders, missions, proposals): PDF or ODT, size-limited.

The name is not trusted: a file is accepted when its extension says PDF or ODT *and* its
content is one (a PDF starts with `%PDF-`; an ODT is a zip whose first entry, `mimetype`,
names the OpenDocument text type). The original name is kept only to be shown and offered
back on download; it never becomes a path (see RequestDocument's upload path).
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, Any

from django.conf import settings

from guichet.core.errors import CodedError

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
TYPES = {".pdf": PDF, ".odt": ODT}
MAX_NAME_LENGTH = 200
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"


class DocumentError(CodedError):
    """A document refused; `code` keys a translated message, `params` fill it in."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.params = params


@dataclass(frozen=True)
class CheckedDocument:
    """An uploaded file that passed the checks, with what to store about it."""

    file: Any  # django.core.files.uploadedfile.UploadedFile
    name: str
    content_type: str
    size: int


def max_document_bytes() -> int:
    return int(settings.GUICHET_REQUEST_MAX_DOCUMENT_MB) * 1024 * 1024


def clean_name(name: str) -> str:
    """The file's own name, without any folder, control character or excess length."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    if len(base) > MAX_NAME_LENGTH:
        stem, dot, extension = base.rpartition(".")
        keep = MAX_NAME_LENGTH - len(extension) - 1
        base = f"{stem[:keep]}.{extension}" if dot and keep > 0 else base[:MAX_NAME_LENGTH]
    return base


def sniffed_type(handle: IO[bytes]) -> str | None:
    """PDF or ODT by content, or None. Leaves the file at its start."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(_PDF_MAGIC):
        return PDF
    if not head.startswith(_ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
            if not entries or entries[0].filename != "mimetype":
                return None
            with archive.open(entries[0]) as entry:
                declared = entry.read(len(ODT) + 16)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return None
    finally:
        handle.seek(0)
    return ODT if declared.strip() == ODT.encode("ascii") else None


def document_check(upload: Any) -> CheckedDocument:
    """An uploaded file, checked; DocumentError otherwise: `document_type` (not a PDF or ODT
    by its name), `document_content` (its content is not what its name says),
    `document_too_large`, `document_empty`."""
    name = clean_name(getattr(upload, "name", "") or "")
    extension = PurePosixPath(name.lower()).suffix
    if extension not in TYPES:
        raise DocumentError("document_type", name=name)
    size = int(getattr(upload, "size", 0) or 0)
    if size > max_document_bytes():
        raise DocumentError(
            "document_too_large", name=name, max=settings.GUICHET_REQUEST_MAX_DOCUMENT_MB
        )
    if size == 0:
        raise DocumentError("document_empty", name=name)
    if sniffed_type(upload) != TYPES[extension]:
        raise DocumentError("document_content", name=name)
    return CheckedDocument(file=upload, name=name, content_type=TYPES[extension], size=size)
