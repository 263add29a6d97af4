"""PDF through LibreOffice, and the portal's behaviour when LibreOffice is missing."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from portal.documents import PdfConversionError, convert_to_pdf, pdf_available
from portal.documents.example import example_context
from portal.documents.pdf import find_libreoffice
from tests.documents.helpers import rendered

REQUIRED = os.environ.get("PORTAL_REQUIRE_LIBREOFFICE") == "1"


@pytest.fixture()
def libreoffice() -> str:
    """The LibreOffice binary; skips the test without it, unless PORTAL_REQUIRE_LIBREOFFICE=1."""
    found = find_libreoffice()
    if found is None:
        if REQUIRED:
            pytest.fail("LibreOffice is required (PORTAL_REQUIRE_LIBREOFFICE=1) but not found")
        pytest.skip("LibreOffice is not installed")
    return found


@pytest.mark.libreoffice
@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_generated_document_converts_to_a_pdf_with_every_clause(
    libreoffice: str, lang: str, tmp_path: Path
) -> None:
    pdf = convert_to_pdf(rendered("complete", lang), libreoffice=libreoffice)
    assert pdf.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF back")
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - fixed arguments
        [pdftotext, "-layout", str(source), "-"], capture_output=True, check=True, text=True
    ).stdout
    ctx = example_context(lang)
    for clause in ctx.clauses.all():
        assert clause.reference in text
    assert ctx.dossier.title in " ".join(text.split())


def test_pdf_is_unavailable_when_the_configured_binary_does_not_exist(tmp_path: Path) -> None:
    assert pdf_available(str(tmp_path / "no-libreoffice")) is False


def test_conversion_without_libreoffice_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(PdfConversionError) as caught:
        convert_to_pdf(b"PK", libreoffice=str(tmp_path / "no-libreoffice"))
    assert caught.value.status == 503
    assert "not available" in str(caught.value.message)


def _fake_office(tmp_path: Path, script: str) -> str:
    path = tmp_path / "fake-soffice"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_a_conversion_that_hangs_is_stopped(tmp_path: Path) -> None:
    fake = _fake_office(tmp_path, "sleep 30")
    with pytest.raises(PdfConversionError) as caught:
        convert_to_pdf(b"PK", libreoffice=fake, timeout=1)
    assert "too long" in str(caught.value.message)


def test_a_failed_conversion_is_a_clean_error(tmp_path: Path) -> None:
    fake = _fake_office(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    with pytest.raises(PdfConversionError):
        convert_to_pdf(b"not a document", libreoffice=fake)


def test_each_conversion_gets_its_own_profile(tmp_path: Path) -> None:
    log = tmp_path / "arguments.txt"
    fake = _fake_office(tmp_path, f'echo "$@" >> {log}; exit 1')
    for _ in range(2):
        with pytest.raises(PdfConversionError):
            convert_to_pdf(b"PK", libreoffice=fake)
    profiles = [
        word
        for line in log.read_text().splitlines()
        for word in line.split()
        if "UserInstallation" in word
    ]
    assert len(profiles) == 2 and profiles[0] != profiles[1]
