"""Word generation: the only package that imports docxtpl or python-docx.

The public surface:

* :func:`render_docx` / :func:`render_document` — the one door: a template (bytes or a path)
  and a plain-dict context in, a reproducible .docx out (with its SHA-256);
* :mod:`portal.documents.context` — the context contract (:class:`DocumentContext` and its
  records), :func:`context_variables` and :func:`example_context`;
* :func:`validate_template` — the only gate for authorities' own templates;
* :func:`pdf_available` / :func:`convert_to_pdf` — PDF through LibreOffice when installed;
* :func:`template_path` — Clausier's own templates in ``templates/<lang>/``.
"""

from __future__ import annotations

from portal.documents.builtin import ALL_TEMPLATES, COMPLETE, SECTIONS, template_path
from portal.documents.context import (
    ContextError,
    DocumentContext,
    context_schema,
    context_variables,
)
from portal.documents.example import example_context, large_context
from portal.documents.pdf import PdfConversionError, convert_to_pdf, pdf_available
from portal.documents.render import (
    DocumentTemplateError,
    RenderedDocument,
    checksum,
    render_document,
    render_docx,
)
from portal.documents.validation import TemplateReport, validate_template

__all__ = [
    "ALL_TEMPLATES",
    "COMPLETE",
    "SECTIONS",
    "ContextError",
    "DocumentContext",
    "DocumentTemplateError",
    "PdfConversionError",
    "RenderedDocument",
    "TemplateReport",
    "checksum",
    "context_schema",
    "context_variables",
    "convert_to_pdf",
    "example_context",
    "large_context",
    "pdf_available",
    "render_document",
    "render_docx",
    "template_path",
    "validate_template",
]
