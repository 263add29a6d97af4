"""The one door to Word generation: ``render_docx(template, context, lang=...) -> bytes``.

Every .docx Clausier produces goes through :func:`render_document`: built-in templates and
authorities' own templates alike, always in the sandboxed :data:`ENVIRONMENT`. The result is
reproducible: the same template and context give the same bytes (fixed zip timestamps, core
properties dated by the context's ``generated_on``), so a stored checksum proves which
document was handed out.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2.exceptions import TemplateError
from lxml.etree import XMLSyntaxError

from portal.documents import diagnostics
from portal.documents.context import CONTEXT_LANGS, ContextError, DocumentContext
from portal.documents.environment import ENVIRONMENT
from portal.documents.formatting import FormattingError, to_date
from portal.documents.package import PackageError, normalise_package, open_package
from portal.errors import ValidationError
from portal.i18n import _l

#: The field that template errors are reported on.
TEMPLATE_FIELD = "template"
#: Characters XML 1.0 forbids (and the control characters docxtpl would turn into paragraphs
#: or page breaks); removed from every text of the context.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Date of the core properties when a context has no ``generated_on``.
_FALLBACK_DATE = datetime(2000, 1, 1, tzinfo=UTC)
#: The core properties docxtpl renders as templates (DocxTemplate.render_properties).
_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
#: Errors a template can cause while rendering (data of the wrong type in a filter...).
_RENDER_ERRORS = (
    TemplateError,
    FormattingError,
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    XMLSyntaxError,
)


class DocumentTemplateError(ValidationError):
    """A template that cannot be rendered; the messages name the tag that caused it."""

    status = 422
    code = "template_error"
    default_message = _l("The Word template cannot be used.")


@dataclass(frozen=True)
class RenderedDocument:
    """A generated .docx with what is needed to store it and prove it later."""

    data: bytes
    #: SHA-256 of ``data``, in hex.
    sha256: str
    #: SHA-256 of the template used: the template's version.
    template_sha256: str
    lang: str


def checksum(data: bytes) -> str:
    """Return the SHA-256 of ``data`` in hex."""
    return hashlib.sha256(data).hexdigest()


def render_docx(
    template: bytes | Path, context: Mapping[str, Any] | DocumentContext, *, lang: str
) -> bytes:
    """Render a Word template with a context in the document language ``lang``.

    :raises DocumentTemplateError: the template has an error (the message names the tag).
    :raises ContextError: the context is not a mapping or its ``lang`` differs from ``lang``.
    """
    return render_document(template, context, lang=lang).data


def render_document(
    template: bytes | Path, context: Mapping[str, Any] | DocumentContext, *, lang: str
) -> RenderedDocument:
    """Render like :func:`render_docx` and return the bytes with their checksums."""
    source = template.read_bytes() if isinstance(template, Path) else bytes(template)
    plain = prepare_context(context, lang)
    try:
        # Cheap (central directory only) and protects python-docx, which reads whole entries.
        open_package(source)
        document = DocxTemplate(io.BytesIO(source))
        document.render_init()
    except (PackageError, PackageNotFoundError, KeyError, XMLSyntaxError) as exc:
        raise DocumentTemplateError(
            {TEMPLATE_FIELD: [_l("The template is not a readable Word document.")]}
        ) from exc
    try:
        with ENVIRONMENT.render_guard():
            document.render(plain, jinja_env=ENVIRONMENT, autoescape=True)
    except _RENDER_ERRORS as exc:
        raise DocumentTemplateError({TEMPLATE_FIELD: [_explain(exc, document)]}) from exc
    _fix_core_properties(document, plain.get("generated_on"))
    buffer = io.BytesIO()
    document.save(buffer)
    data = normalise_package(buffer.getvalue())
    return RenderedDocument(data, checksum(data), checksum(source), lang)


def prepare_context(context: Mapping[str, Any] | DocumentContext, lang: str) -> dict[str, Any]:
    """Return a fresh plain copy of the context with clean texts and ``lang`` set.

    :raises ContextError: not a mapping, an unknown language, or a ``lang`` that differs.
    """
    if lang not in CONTEXT_LANGS:
        raise ContextError(f"unknown document language {lang!r}")
    if isinstance(context, DocumentContext):
        context = context.to_dict()
    if not isinstance(context, Mapping):
        raise ContextError("a template context is a mapping")
    if context.get("lang", lang) != lang:
        raise ContextError(f"the context is in {context['lang']!r}, not {lang!r}")
    plain = _clean(context)
    plain["lang"] = lang
    return plain


def _clean(value: Any) -> Any:
    # A copy, so that nothing a rendering does can reach the caller's data; texts lose the
    # characters that would make document.xml invalid.
    if isinstance(value, str):
        return _FORBIDDEN_CHARS.sub("", value)
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _fix_core_properties(document: DocxTemplate, generated_on: Any) -> None:
    # python-docx keeps the template's dates and author; a generated document is dated by its
    # context so that regenerating it gives the same bytes.
    try:
        stamp = datetime.combine(to_date(generated_on), time(0), tzinfo=UTC)
    except FormattingError:
        stamp = _FALLBACK_DATE
    props = document.docx.core_properties
    # docxtpl renders these properties with our escaping environment, then python-docx
    # escapes them again when it writes core.xml: undo the first escaping.
    for name in _RENDERED_PROPERTIES:
        value = getattr(props, name)
        if value:
            setattr(props, name, html.unescape(value))
    props.created = stamp
    props.modified = stamp
    props.last_modified_by = "Clausier"
    props.revision = 1


def _explain(exc: BaseException, document: DocxTemplate) -> Any:
    if isinstance(exc, XMLSyntaxError):
        return diagnostics.message("broken_xml", detail=diagnostics.shorten(str(exc), 160))
    return diagnostics.describe(exc, _failed_source(document))


def _failed_source(document: DocxTemplate) -> str | None:
    """Rebuild the Jinja source docxtpl was rendering when it failed (for line numbers)."""
    part = getattr(document, "current_rendering_part", None)
    try:
        if part is None or part is document.docx.part:
            xml = document.get_xml()
        else:
            xml = document.get_part_xml(part)
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(xml))
    except Exception:  # noqa: BLE001 - only used to improve a message; never hide the error
        return None
