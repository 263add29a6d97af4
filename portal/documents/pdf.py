"""PDF through LibreOffice, when it is installed; the portal works the same without it.

The web layer reads ``LIBREOFFICE_PATH`` from the configuration and passes it in; nothing here
reads the configuration. Each conversion runs in its own temporary folder with its own
LibreOffice profile (``-env:UserInstallation``): two conversions sharing a profile block each
other or fail, and a profile left by a crashed run must not break the next one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from portal.errors import DomainError
from portal.i18n import _l

#: Binaries looked up on PATH when no path is configured.
CANDIDATES = ("libreoffice", "soffice")
#: Seconds a conversion may take (a first start of LibreOffice takes 2 to 5 s).
TIMEOUT = 90


class PdfConversionError(DomainError):
    """LibreOffice is missing or could not convert the document."""

    status = 503
    code = "pdf_conversion_failed"
    default_message = _l("The PDF could not be made. Download the Word document instead.")


def find_libreoffice(configured: str | None = None) -> str | None:
    """Return the LibreOffice binary to use: ``configured`` if it exists, else one on PATH.

    ``configured`` is the ``LIBREOFFICE_PATH`` setting; ``None`` or ``""`` means "look on
    PATH". A configured path that does not exist gives ``None`` (no PDF) rather than a guess.
    """
    if configured:
        path = Path(configured)
        return str(path) if path.is_file() else shutil.which(configured)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_available(libreoffice: str | None = None) -> bool:
    """Return whether PDF conversion can be offered (LibreOffice is found)."""
    return find_libreoffice(libreoffice) is not None


def convert_to_pdf(docx: bytes, *, libreoffice: str | None = None, timeout: int = TIMEOUT) -> bytes:
    """Convert a .docx to PDF with ``libreoffice --headless --convert-to pdf``.

    :raises PdfConversionError: LibreOffice is missing, times out, fails or writes no PDF.
    """
    binary = find_libreoffice(libreoffice)
    if binary is None:
        raise PdfConversionError(_l("PDF export is not available on this server."))
    with tempfile.TemporaryDirectory(prefix="clausier-pdf-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(docx)
        profile = folder / "profile"
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            # A fixed argument list, no shell. A session of its own, so that a timeout can
            # stop soffice.bin too (the libreoffice launcher forks it).
            process = subprocess.Popen(  # noqa: S603
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=folder,
                start_new_session=True,
            )
        except OSError:
            raise PdfConversionError(_l("PDF export is not available on this server.")) from None
        try:
            process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfConversionError(_l("The PDF conversion took too long.")) from None
        target = folder / "document.pdf"
        if process.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            raise PdfConversionError()
        return target.read_bytes()
