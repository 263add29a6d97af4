"""Find the tag behind a template error, and say what went wrong in the user's language.

docxtpl renders a document part as one Jinja template in which every Word paragraph starts a
new line (``render_xml_part`` puts a newline before each ``<w:p``). So a Jinja line number
points at a paragraph: its text, with the tags in it, is what a template author recognises.
"""

from __future__ import annotations

import html
import re
from types import TracebackType
from typing import Any

from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

from portal.i18n import _l

#: A Jinja tag as a template author types it: ``{{ ... }}``, ``{% ... %}`` or ``{# ... #}``.
TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_TEXT_RE = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_XML_TAG_RE = re.compile(r"<[^>]+>")
_MISSING_RE = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")
#: Longest paragraph quoted in a message.
QUOTE_LIMIT = 120


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, with its parameters."""
    return message


#: Messages about template errors, by kind; ``_bare`` variants when no tag could be found.
MESSAGES = {
    "syntax": N_("Syntax error in the tag “%(tag)s” (paragraph: “%(paragraph)s”): %(detail)s"),
    "syntax_bare": N_("Syntax error in the template: %(detail)s"),
    "undefined": N_(
        "Unknown variable “%(name)s” in the tag “%(tag)s” (paragraph: “%(paragraph)s”)."
    ),
    "undefined_bare": N_("Unknown variable “%(name)s” in the template."),
    "security": N_(
        "The tag “%(tag)s” (paragraph: “%(paragraph)s”) does something Word templates may "
        "not do: %(detail)s"
    ),
    "security_bare": N_("The template does something Word templates may not do: %(detail)s"),
    "runtime": N_("The tag “%(tag)s” (paragraph: “%(paragraph)s”) cannot be rendered: %(detail)s"),
    "runtime_bare": N_("The template cannot be rendered: %(detail)s"),
    "broken_xml": N_(
        "The template produces a damaged Word document (%(detail)s). Loops over paragraphs "
        "need {%%p %%} tags and loops over table rows need {%%tr %%} tags."
    ),
}


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Collapse spaces and cut a quoted text to ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def xml_text(fragment: str) -> str:
    """Return the visible text of a fragment of WordprocessingML (runs joined)."""
    texts = _TEXT_RE.findall(fragment)
    if not texts:
        # Tags moved out of their paragraph by docxtpl ({%p ... %}) are bare text.
        texts = [_XML_TAG_RE.sub("", fragment)]
    return html.unescape("".join(texts))


def line_of(source: str, lineno: int | None) -> tuple[str, list[str]]:
    """Return the paragraph text at a Jinja line of ``source`` and the tags it holds."""
    if not lineno:
        return "", []
    lines = source.splitlines()
    if not 0 < lineno <= len(lines):
        return "", []
    text = xml_text(lines[lineno - 1])
    return text, TAG_RE.findall(text)


def template_lineno(exc: BaseException) -> int | None:
    """Return the template line an exception comes from (Jinja rewrites its tracebacks)."""
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        return exc.lineno
    lineno = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def missing_name(exc: BaseException) -> str:
    """Return the variable or attribute an UndefinedError complains about."""
    match = _MISSING_RE.search(str(exc))
    return next((g for g in match.groups() if g), "") if match else ""


def pick_tag(tags: list[str], hint: str) -> str:
    """Choose the tag an error is about: the first that mentions ``hint``, else all of them."""
    if hint:
        for tag in tags:
            if re.search(rf"\b{re.escape(hint)}\b", tag):
                return tag
    return " ".join(tags)


def describe(exc: BaseException, source: str | None) -> Any:
    """Return a lazy message about a rendering error, naming its tag and paragraph if found."""
    paragraph, tags = line_of(source or "", template_lineno(exc))
    detail = shorten(str(getattr(exc, "message", None) or exc), 300)
    if isinstance(exc, UndefinedError):
        name = missing_name(exc)
        tag = pick_tag(tags, name)
        if tag:
            return message("undefined", name=name, tag=tag, paragraph=shorten(paragraph))
        return message("undefined_bare", name=name or detail)
    kind = (
        "syntax"
        if isinstance(exc, TemplateSyntaxError)
        else "security"
        if isinstance(exc, SecurityError)
        else "runtime"
    )
    tag = pick_tag(tags, "")
    if tag:
        return message(kind, tag=shorten(tag), paragraph=shorten(paragraph), detail=detail)
    return message(f"{kind}_bare", detail=detail)


def message(key: str, **params: Any) -> Any:
    """Return the lazy message ``key`` of :data:`MESSAGES` with its parameters."""
    # Lazy: translated and formatted only when shown, in the locale of the page showing it.
    return _l(MESSAGES[key], **params)
