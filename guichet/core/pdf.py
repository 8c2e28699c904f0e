"""OpenDocument to PDF through LibreOffice, when the server has it (optional).

LibreOffice is large and not needed to run Guichet: documents are produced as OpenDocument,
and a PDF is offered only where an administrator installed LibreOffice (`soffice` on the
PATH, or GUICHET_LIBREOFFICE naming it).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from guichet.core.errors import CodedError

TIMEOUT_SECONDS = 60


class PdfError(CodedError):
    """The conversion failed; `code` keys a translated message."""


def libreoffice() -> str | None:
    """The LibreOffice program to convert with, or None when the server has none."""
    configured = settings.GUICHET_LIBREOFFICE
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return libreoffice() is not None


def odt_to_pdf(document: bytes) -> bytes:
    """The document as PDF. Each conversion gets its own LibreOffice profile, so that two at
    once do not lock each other out."""
    program = libreoffice()
    if program is None:
        raise PdfError("pdf_unavailable")
    with tempfile.TemporaryDirectory(prefix="guichet-pdf-") as folder:
        work = Path(folder)
        source = work / "document.odt"
        source.write_bytes(document)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            subprocess.run(  # noqa: S603 - a fixed program and our own temporary file
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=True
            )
        except (subprocess.SubprocessError, OSError) as error:
            raise PdfError("pdf_failed") from error
        produced = work / "document.pdf"
        if not produced.is_file() or not produced.read_bytes().startswith(b"%PDF"):
            raise PdfError("pdf_failed")
        return produced.read_bytes()
