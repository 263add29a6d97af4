"""Validation of the Word templates authorities upload: the only gate before one is stored.

:func:`validate_template` is pure: bytes and a file name in, a :class:`TemplateReport` out or a
:class:`~portal.errors.ValidationError` whose messages (lazy, shown in the user's language) name
the tag and the paragraph that caused each problem. It stores nothing, so a rejected upload
leaves nothing behind; the storage service must call it and store only what it accepts.

The checks, in order (each stage runs only when the previous ones passed):

1. the name ends in ``.docx`` (``.docm``, ``.dotm``, ``.dotx``, ``.doc`` get their own
   message) and the size is within ``max_bytes``;
2. the container: a real zip, checked against zip bombs before anything is decompressed
   (:mod:`portal.documents.package`), with ``[Content_Types].xml`` and ``word/document.xml``
   whose content type is the one of a Word document; no macros (``vbaProject.bin``,
   macro-enabled or ActiveX content types), no DTD in any XML part;
3. every tag, one by one, as the author typed it: syntax, docxtpl prefixes used in the right
   place (``{%p %}`` alone in its paragraph, ``{%tr %}`` in a table, no ``{{r }}`` since the
   context holds plain text), opening and closing tags that match, filters that exist, and
   every variable checked against the context contract (:func:`context_schema`), following
   loop variables (``{% for c in clauses.award %}`` makes ``c`` a clause);
4. each document part compiled as a whole in the sandbox (what docxtpl will render);
5. a trial rendering of the example context in French and Dutch, through the same sandboxed
   door as real documents, and the result opened again with python-docx.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docxtpl import DocxTemplate
from flask_babel import lazy_ngettext
from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError
from lxml import etree

from portal.documents import diagnostics
from portal.documents.context import DOCUMENT_LANGS, Node, context_schema, context_variables
from portal.documents.diagnostics import N_, TAG_RE, shorten
from portal.documents.environment import (
    DOCUMENT_FILTERS,
    ENVIRONMENT,
    FORBIDDEN_NODES,
    SAFE_BUILTIN_FILTERS,
    SAFE_METHODS,
    policy_violations,
)
from portal.documents.example import example_context
from portal.documents.package import Limits, PackageError, open_package, read_entry
from portal.documents.render import (
    TEMPLATE_FIELD,
    DocumentTemplateError,
    checksum,
    render_document,
)
from portal.errors import ValidationError
from portal.i18n import _l

MAIN_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
#: Content types that carry macros or executable controls.
MACRO_CONTENT_TYPES = (
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
    "application/vnd.ms-office.vbaproject",
    "application/vnd.ms-word.vbadata+xml",
    "application/vnd.ms-office.activex+xml",
    "application/vnd.ms-office.activex",
    "application/vnd.ms-word.keymapcustomizations+xml",
)
#: Most problems listed in one answer (the rest are summarised).
MAX_MESSAGES = 25
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SAFE_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)
_PREFIX_RE = re.compile(r"^\{([{%])(p|tr|tc|r)\s")
_OPENERS = {"for": "endfor", "if": "endif", "filter": "endfilter", "raw": "endraw"}
_MIDDLES = {"elif": ("if",), "else": ("if", "for")}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
#: docxtpl's own table tags, which it rewrites before Jinja sees them.
_DOCXTPL_STATEMENTS = {"vm": False, "hm": False, "colspan": True, "cellbg": True}
_LOOP_ATTRS = frozenset(
    {
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "changed",
        "cycle",
    }
)
_SEQUENCE_FILTERS = frozenset(
    {"sort", "reverse", "list", "unique", "selectattr", "rejectattr", "select", "reject"}
)
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")

MESSAGES = {
    "empty": N_("The file is empty."),
    "extension": N_("Only Word documents (.docx) are accepted; “%(filename)s” is not one."),
    "macro_extension": N_(
        "“%(filename)s” is a file with macros (.docm or .dotm). Save it as a Word document "
        "(.docx) without macros."
    ),
    "dotx_extension": N_(
        "“%(filename)s” is a Word template file (.dotx). Open it and save it as a Word "
        "document (.docx)."
    ),
    "doc_extension": N_(
        "“%(filename)s” uses the old Word format (.doc). Open it and save it as a Word "
        "document (.docx)."
    ),
    "too_large": N_("The file is too large: %(size)s MB, and the limit is %(limit)s MB."),
    "ole": N_(
        "This file is an old Word document or a password-protected file, not a .docx. Remove "
        "the password or save it as a Word document (.docx)."
    ),
    "not_zip": N_("This file is not a Word document (.docx), even though its name says so."),
    "too_many_entries": N_(
        "The file holds too many parts (%(count)s; at most %(limit)s are accepted)."
    ),
    "unpacked_too_large": N_(
        "Once unpacked, the file would take too much space; it is refused as a safety measure."
    ),
    "suspicious_compression": N_(
        "The file is compressed in an unusual way (a possible “zip bomb”); it is refused as a "
        "safety measure."
    ),
    "damaged": N_("The file is damaged or is not a normal Word document (%(detail)s)."),
    "missing_part": N_("The file is not a Word document: the part “%(name)s” is missing."),
    "wrong_type": N_("The file is not a Word document (.docx): its main part is “%(type)s”."),
    "macros": N_(
        "The file contains macros or ActiveX controls (%(name)s). Templates with macros are "
        "refused: save the file as a Word document (.docx) without macros."
    ),
    "doctype": N_(
        "The part “%(name)s” declares an XML document type, which Word documents never do; "
        "the file is refused."
    ),
    "unreadable": N_("Word documents of this kind cannot be read: %(detail)s"),
    "split_tag": N_(
        "A tag starts but does not end in the same paragraph: “%(tag)s” (paragraph: "
        "“%(paragraph)s”). Keep each tag whole, on one line."
    ),
    "rich_text": N_(
        "“%(tag)s” inserts rich text, which the data of Clausier never contains; write "
        "“%(fixed)s” instead (paragraph: “%(paragraph)s”)."
    ),
    "subdoc": N_(
        "“%(tag)s” inserts a sub-document, which Clausier does not provide (paragraph: "
        "“%(paragraph)s”)."
    ),
    "table_tag": N_(
        "“%(tag)s” is a table tag but is not inside a table (paragraph: “%(paragraph)s”)."
    ),
    "not_alone": N_(
        "“%(tag)s” replaces its whole paragraph, so the rest of it would be lost: put “%(rest)s” "
        "in a paragraph of its own."
    ),
    "unknown_filter": N_(
        "Unknown filter “%(name)s” in the tag “%(tag)s” (paragraph: “%(paragraph)s”). The "
        "filters are: %(filters)s."
    ),
    "unknown_test": N_(
        "Unknown test “%(name)s” in the tag “%(tag)s” (paragraph: “%(paragraph)s”)."
    ),
    "method": N_("“%(name)s” cannot be called in the tag “%(tag)s” (paragraph: “%(paragraph)s”)."),
    "forbidden": N_(
        "“%(word)s” tags are not allowed in Word templates: “%(tag)s” (paragraph: “%(paragraph)s”)."
    ),
    "unknown_statement": N_("Unknown tag “%(tag)s” (paragraph: “%(paragraph)s”)."),
    "unclosed": N_(
        "The tag “%(tag)s” is never closed (paragraph: “%(paragraph)s”): add “%(closer)s”."
    ),
    "closes_nothing": N_("The tag “%(tag)s” closes nothing (paragraph: “%(paragraph)s”)."),
    "mismatch": N_(
        "The tag “%(tag)s” (paragraph: “%(paragraph)s”) cannot close “%(opener)s” (paragraph: "
        "“%(opener_paragraph)s”)."
    ),
    "misplaced": N_(
        "The tag “%(tag)s” is not inside a matching “if” or “for” (paragraph: “%(paragraph)s”)."
    ),
    "no_tags": N_("The template has no tags: every document made from it will be identical."),
}


def _message(key: str, **params: Any) -> Any:
    source = MESSAGES.get(key) or diagnostics.MESSAGES[key]
    return _l(source, **params)


@dataclass(frozen=True)
class TemplateReport:
    """What an accepted template is and uses."""

    filename: str
    size: int
    #: SHA-256 of the file, in hex: the template's version.
    sha256: str
    #: Number of Jinja tags found.
    tag_count: int
    #: Context variables the template uses, as in :func:`context_variables`
    #: (``clauses.award[].title``), in the contract's order.
    variables: tuple[str, ...]
    #: Top-level parts of the context the template uses (``dossier``, ``lots``...).
    sections: tuple[str, ...]
    #: Lazy messages about things that work but are probably not intended.
    warnings: tuple[Any, ...] = ()


class _Problems:
    """Collected problems; raised together as one ValidationError."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self._seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()

    def add(self, key: str, **params: Any) -> None:
        signature = (key, tuple(sorted((k, str(v)) for k, v in params.items())))
        if signature not in self._seen:
            self._seen.add(signature)
            self.messages.append(_message(key, **params))

    def raise_if_any(self) -> None:
        if not self.messages:
            return
        shown = self.messages[:MAX_MESSAGES]
        if len(self.messages) > MAX_MESSAGES:
            hidden = len(self.messages) - MAX_MESSAGES
            shown.append(
                lazy_ngettext("… and %(num)d more problem.", "… and %(num)d more problems.", hidden)
            )
        raise ValidationError({TEMPLATE_FIELD: shown})


def validate_template(
    data: bytes, filename: str, *, max_bytes: int, limits: Limits | None = None
) -> TemplateReport:
    """Check an uploaded Word template and report what it uses; store nothing.

    :raises ValidationError: on ``template``, one lazy message per problem, each naming the
        tag and the paragraph that caused it when there is one.
    """
    problems = _Problems()
    name = filename.strip().replace("\\", "/").rsplit("/", 1)[-1] or "?"
    _check_name_and_size(data, name, max_bytes, problems)
    problems.raise_if_any()
    parts = _check_container(data, limits or Limits(), problems)
    problems.raise_if_any()
    template = _open_document(data, problems)
    problems.raise_if_any()
    assert template is not None  # for the type checker: problems were raised otherwise
    units = list(_text_units(template, parts))
    analysis = _Analysis(problems)
    previous = ""
    for unit in units:
        # Each part (body, each header...) and each core property is a template of its own:
        # a block opened in one cannot be closed in another.
        if unit.part != previous or unit.part == "docProps/core.xml":
            analysis.finish()
            previous = unit.part
        analysis.check_unit(unit)
    analysis.finish()
    problems.raise_if_any()
    _compile_parts(template, problems)
    problems.raise_if_any()
    _trial_render(data, problems)
    problems.raise_if_any()
    warnings = () if analysis.tag_count else (_message("no_tags"),)
    order = {v.path: i for i, v in enumerate(context_variables())}
    # Loop items ("clauses.award[]") are not variables of their own: their list is reported.
    used = sorted((p for p in analysis.used if p in order), key=order.__getitem__)
    top = [f for f in context_schema().fields if any(p.split(".")[0] == f for p in used)]
    return TemplateReport(
        filename=name,
        size=len(data),
        sha256=checksum(data),
        tag_count=analysis.tag_count,
        variables=tuple(used),
        sections=tuple(top),
        warnings=warnings,
    )


# ----------------------------------------------------------------------------------------------
# 1-2. Name, size and container


def _check_name_and_size(data: bytes, name: str, max_bytes: int, problems: _Problems) -> None:
    lower = name.lower()
    if lower.endswith((".docm", ".dotm")):
        problems.add("macro_extension", filename=name)
    elif lower.endswith(".dotx"):
        problems.add("dotx_extension", filename=name)
    elif lower.endswith(".doc"):
        problems.add("doc_extension", filename=name)
    elif not lower.endswith(".docx"):
        problems.add("extension", filename=name)
    if not data:
        problems.add("empty")
    elif len(data) > max_bytes:
        problems.add(
            "too_large", size=_megabytes(len(data)), limit=_megabytes(max_bytes, round_up=False)
        )


def _megabytes(size: int, round_up: bool = True) -> str:
    value = size / (1024 * 1024)
    shown = f"{value:.1f}"
    if round_up and float(shown) * 1024 * 1024 < size:
        shown = f"{value + 0.05:.1f}"
    return shown.rstrip("0").rstrip(".")


def _check_container(data: bytes, limits: Limits, problems: _Problems) -> dict[str, bytes]:
    """Check the zip and return the XML parts to analyse (name -> bytes)."""
    try:
        archive = open_package(data, limits)
    except PackageError as exc:
        key, params = _package_message(exc)
        problems.add(key, **params)
        return {}
    names = {info.filename.lower(): info.filename for info in archive.infolist()}
    for lower, real in names.items():
        base = lower.rsplit("/", 1)[-1]
        if base.startswith("vbaproject") or base.startswith("vbadata") or "/activex/" in lower:
            problems.add("macros", name=real)
    for required in ("[content_types].xml", "word/document.xml"):
        if required not in names:
            problems.add(
                "missing_part", name=required.replace("[content_types]", "[Content_Types]")
            )
    if problems.messages:
        return {}
    wanted = [
        real
        for lower, real in names.items()
        if lower == "[content_types].xml"
        or lower == "docprops/core.xml"
        or re.fullmatch(r"word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml", lower)
    ]
    parts: dict[str, bytes] = {}
    for real in wanted:
        try:
            content = read_entry(archive, real, limits.max_entry_bytes)
        except PackageError as exc:
            key, params = _package_message(exc)
            problems.add(key, **params)
            return {}
        if re.search(rb"<!(DOCTYPE|ENTITY)", content[:4096], re.I):
            problems.add("doctype", name=real)
        parts[real.lower()] = content
    if problems.messages:
        return {}
    _check_content_types(parts["[content_types].xml"], problems)
    return parts


def _package_message(exc: PackageError) -> tuple[str, dict[str, Any]]:
    code = exc.code
    if code in ("ole", "not_zip"):
        return code, {}
    if code == "too_many_entries":
        return code, {"count": exc.params["count"], "limit": exc.params["limit"]}
    if code in ("entry_too_large", "too_large_uncompressed"):
        return "unpacked_too_large", {}
    if code == "suspicious_compression":
        return code, {}
    detail = exc.params.get("detail") or exc.params.get("name") or code
    return "damaged", {"detail": shorten(f"{code}: {detail}", 120)}


def _check_content_types(xml: bytes, problems: _Problems) -> None:
    try:
        root = etree.fromstring(xml, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        problems.add("damaged", detail=shorten(str(exc), 120))
        return
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    main = None
    for element in root:
        content_type = (element.get("ContentType") or "").lower()
        if content_type in MACRO_CONTENT_TYPES or "macroenabled" in content_type:
            problems.add("macros", name=content_type)
        if element.tag == f"{ns}Override" and (element.get("PartName") or "").lower() == (
            "/word/document.xml"
        ):
            main = content_type
    if main is None:
        problems.add("missing_part", name="/word/document.xml (content type)")
    elif main != MAIN_CONTENT_TYPE:
        problems.add("wrong_type", type=main)


def _open_document(data: bytes, problems: _Problems) -> DocxTemplate | None:
    try:
        template = DocxTemplate(io.BytesIO(data))
        template.init_docx()
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on odd files
        problems.add("unreadable", detail=shorten(f"{type(exc).__name__}: {exc}", 160))
        return None
    return template


# ----------------------------------------------------------------------------------------------
# 3. Tags, one by one


@dataclass(frozen=True)
class _Unit:
    """A paragraph (or a core property) as the author sees it."""

    part: str
    text: str
    in_table: bool


def _paragraph_text(paragraph: Any) -> str:
    texts = []
    for element in paragraph.iter(f"{W}t"):
        # Text boxes put paragraphs inside paragraphs: count each text once, in its own.
        if next(element.iterancestors(f"{W}p"), None) is paragraph:
            texts.append(element.text or "")
    return "".join(texts)


def _text_units(template: DocxTemplate, parts: dict[str, bytes]) -> Iterator[_Unit]:
    order = ["word/document.xml"] + sorted(p for p in parts if re.match(r"word/(header|footer)", p))
    order += [p for p in ("word/footnotes.xml", "word/endnotes.xml") if p in parts]
    for name in order:
        try:
            root = etree.fromstring(parts[name], _SAFE_XML)
        except etree.XMLSyntaxError:
            continue  # python-docx already read the package; a broken XML shows at compile
        for paragraph in root.iter(f"{W}p"):
            text = _paragraph_text(paragraph)
            if "{" in text or "}" in text:
                in_table = next(paragraph.iterancestors(f"{W}tc"), None) is not None
                yield _Unit(name, text, in_table)
    props = template.docx.core_properties
    for prop in _PROPERTIES:
        value = getattr(props, prop) or ""
        if "{" in value:
            yield _Unit("docProps/core.xml", value, False)


class _Any:
    """A value whose shape is not known (filters, method results): not checked further."""


ANY = _Any()
LOOP = Node("object", record="loop")
Shape = Node | _Any


@dataclass
class _Frame:
    keyword: str
    tag: str
    paragraph: str
    names: dict[str, tuple[Shape, str]] = field(default_factory=dict)


class _Analysis:
    """Walk the tags in document order: block structure, scopes and variables."""

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems
        self.stack: list[_Frame] = []
        schema = context_schema()
        self.globals: dict[str, tuple[Shape, str]] = {
            name: (node, name) for name, node in schema.fields.items()
        }
        self.globals["lang"] = (Node("text"), "lang")
        self.used: set[str] = set()
        self.tag_count = 0
        self.filters = set(ENVIRONMENT.filters) - {"clausier_loop_guard"}
        self._tag = ""
        self._paragraph = ""

    # -- per paragraph ---------------------------------------------------------------------

    def check_unit(self, unit: _Unit) -> None:
        text = unit.text
        tags = TAG_RE.findall(text)
        rest = TAG_RE.sub("", text)
        for opener in ("{{", "{%", "{#"):
            if opener in rest:
                start = rest.index(opener)
                self.problems.add(
                    "split_tag", tag=shorten(rest[start:], 40), paragraph=shorten(text)
                )
        for tag in tags:
            self.tag_count += 1
            self._tag, self._paragraph = shorten(tag, 80), shorten(text)
            self.check_tag(tag, unit, text)

    def _add(self, key: str, **params: Any) -> None:
        self.problems.add(key, tag=self._tag, paragraph=self._paragraph, **params)

    def check_tag(self, tag: str, unit: _Unit, text: str) -> None:
        if tag.startswith("{#"):
            return
        prefix_match = _PREFIX_RE.match(tag)
        prefix = prefix_match.group(2) if prefix_match else ""
        body = tag[2:-2]
        if prefix:
            body = body[len(prefix) :]
        if tag.startswith("{{"):
            if prefix == "r":
                self._add("rich_text", fixed="{{ " + body.strip() + " }}")
                return
            if prefix == "p":
                self._add("subdoc")
                return
            self.check_expression("{{" + body + "}}")
            return
        if prefix in ("tr", "tc") and not unit.in_table:
            self._add("table_tag")
        if prefix in ("p", "tr"):
            others = [t for t in TAG_RE.findall(text) if t != tag]
            leftover = TAG_RE.sub("", text).strip()
            if others or leftover:
                self.problems.add(
                    "not_alone", tag=self._tag, rest=shorten(leftover or " ".join(others), 60)
                )
        self.check_statement(body.strip().strip("-+").strip())

    # -- statements and block structure ---------------------------------------------------

    def check_statement(self, statement: str) -> None:
        keyword, _, rest = statement.partition(" ")
        keyword = keyword.strip()
        forbidden = set(FORBIDDEN_NODES.values()) | {"from", "do"}
        closers = ("endmacro", "endcall", "endset", "endwith", "endblock", "endautoescape")
        if keyword in forbidden or keyword in closers:
            self._add("forbidden", word=keyword)
            return
        if keyword in _DOCXTPL_STATEMENTS:
            if _DOCXTPL_STATEMENTS[keyword] and rest.strip():
                self.check_expression("{{ " + rest + " }}")
            return
        if keyword in _OPENERS:
            self.open_block(keyword, rest)
        elif keyword in _MIDDLES:
            self.middle_block(keyword, rest)
        elif keyword in _CLOSERS:
            self.close_block(keyword)
        else:
            self._add("unknown_statement")

    def open_block(self, keyword: str, rest: str) -> None:
        frame = _Frame(keyword, self._tag, self._paragraph)
        if keyword == "for":
            tree = self.parse("{% for " + rest + " %}{% endfor %}")
            if tree is not None:
                loop = tree.body[0]
                shape, path = self.infer(loop.iter)
                item: tuple[Shape, str] = (ANY, "")
                if isinstance(shape, Node) and shape.kind == "list" and shape.item is not None:
                    item = (shape.item, f"{path}[]")
                targets = (
                    [loop.target] if isinstance(loop.target, nodes.Name) else loop.target.items
                )
                for target in targets:
                    if isinstance(target, nodes.Name):
                        frame.names[target.name] = item if len(targets) == 1 else (ANY, "")
                frame.names["loop"] = (LOOP, "")
                if loop.test is not None:
                    self.stack.append(frame)
                    self.infer(loop.test)
                    self.stack.pop()
        elif keyword == "if":
            tree = self.parse("{% if " + rest + " %}{% endif %}")
            if tree is not None:
                self.infer(tree.body[0].test)
        elif keyword == "filter":
            tree = self.parse("{% filter " + rest + " %}{% endfilter %}")
            if tree is not None:
                self.infer(tree.body[0].filter)
        self.stack.append(frame)

    def middle_block(self, keyword: str, rest: str) -> None:
        if not self.stack or self.stack[-1].keyword not in _MIDDLES[keyword]:
            self._add("misplaced")
            return
        if keyword == "elif":
            tree = self.parse("{% if 1 %}{% elif " + rest + " %}{% endif %}")
            if tree is not None:
                self.infer(tree.body[0].elif_[0].test)
        elif self.stack[-1].keyword == "for":
            # A for loop's else runs when the sequence is empty: no loop variables there.
            self.stack[-1].names = {}

    def close_block(self, keyword: str) -> None:
        wanted = _CLOSERS[keyword]
        if not self.stack:
            self._add("closes_nothing")
            return
        frame = self.stack[-1]
        if frame.keyword != wanted:
            self._add("mismatch", opener=frame.tag, opener_paragraph=frame.paragraph)
            # Recover: drop the frame this tag most likely closes, if any.
            for index in range(len(self.stack) - 1, -1, -1):
                if self.stack[index].keyword == wanted:
                    del self.stack[index:]
                    return
            return
        self.stack.pop()

    def finish(self) -> None:
        for frame in self.stack:
            closer = "{% " + _OPENERS[frame.keyword] + " %}"
            self.problems.add("unclosed", tag=frame.tag, paragraph=frame.paragraph, closer=closer)
        self.stack.clear()

    # -- expressions ---------------------------------------------------------------------------

    def parse(self, source: str) -> nodes.Template | None:
        try:
            tree = ENVIRONMENT.parse(source)
        except TemplateSyntaxError as exc:
            self._add("syntax", detail=shorten(exc.message or str(exc), 200))
            return None
        for _line, detail in policy_violations(tree):
            self._add("syntax", detail=detail)
        return tree

    def check_expression(self, source: str) -> None:
        tree = self.parse(source)
        if tree is None:
            return
        for output in tree.body:
            for expr in output.nodes if isinstance(output, nodes.Output) else []:
                self.infer(expr)

    def lookup(self, name: str) -> tuple[Shape, str] | None:
        for frame in reversed(self.stack):
            if name in frame.names:
                return frame.names[name]
        return self.globals.get(name)

    def use(self, shape: Shape, path: str) -> tuple[Shape, str]:
        if path and isinstance(shape, Node):
            self.used.add(path)
        return shape, path

    def infer(self, expr: nodes.Node) -> tuple[Shape, str]:
        """Return the shape and contract path of an expression, reporting unknown names."""
        if isinstance(expr, nodes.Name):
            found = self.lookup(expr.name)
            if found is None:
                self._add("undefined", name=expr.name)
                return ANY, ""
            return self.use(*found)
        if isinstance(expr, nodes.Getattr):
            return self.member(self.infer(expr.node), expr.attr, expr)
        if isinstance(expr, nodes.Getitem):
            base = self.infer(expr.node)
            if isinstance(expr.arg, nodes.Const) and isinstance(expr.arg.value, str):
                return self.member(base, expr.arg.value, expr)
            self.infer(expr.arg)
            shape, path = base
            if isinstance(shape, Node) and shape.kind == "list" and shape.item is not None:
                return self.use(shape.item, f"{path}[]")
            return ANY, ""
        if isinstance(expr, nodes.Filter):
            base = self.infer(expr.node) if expr.node is not None else (ANY, "")
            self.visit_arguments(expr)
            if expr.name not in self.filters:
                names = ", ".join(sorted(self.filters))
                self._add("unknown_filter", name=expr.name, filters=names)
                return ANY, ""
            return self.filter_result(expr.name, base)
        if isinstance(expr, nodes.Test):
            self.infer(expr.node)
            self.visit_arguments(expr)
            if expr.name not in ENVIRONMENT.tests:
                self._add("unknown_test", name=expr.name)
            return Node("boolean"), ""
        if isinstance(expr, nodes.Call):
            self.visit_arguments(expr)
            if isinstance(expr.node, nodes.Getattr):
                shape, path = self.infer(expr.node.node)
                if not self.callable_on(shape, expr.node.attr):
                    self._add("method", name=_dotted(expr.node))
                return ANY, ""
            self._add("method", name=_dotted(expr.node))
            return ANY, ""
        for child in expr.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.infer(child)
        return ANY, ""

    def visit_arguments(self, expr: nodes.Filter | nodes.Test | nodes.Call) -> None:
        for arg in expr.args:
            self.infer(arg)
        for pair in expr.kwargs:
            self.infer(pair.value)
        for extra in (expr.dyn_args, expr.dyn_kwargs):
            if extra is not None:
                self.infer(extra)

    def callable_on(self, shape: Shape, method: str) -> bool:
        if isinstance(shape, _Any):
            return True
        if shape is LOOP:
            return method in ("cycle", "changed")
        kinds = {"object": dict, "list": list, "text": str, "date": str}
        kind = kinds.get(shape.kind)
        return kind is not None and method in SAFE_METHODS[kind]

    def member(self, base: tuple[Shape, str], attr: str, expr: nodes.Node) -> tuple[Shape, str]:
        shape, path = base
        if isinstance(shape, _Any):
            return ANY, ""
        if shape is LOOP:
            if attr not in _LOOP_ATTRS:
                self._add("undefined", name=f"loop.{attr}")
            return ANY, ""
        if shape.kind == "object" and attr in shape.fields:
            return self.use(shape.fields[attr], f"{path}.{attr}" if path else attr)
        if self.callable_on(shape, attr):
            return ANY, ""  # a method, checked when it is called
        self._add("undefined", name=_dotted(expr))
        return ANY, ""

    def filter_result(self, name: str, base: tuple[Shape, str]) -> tuple[Shape, str]:
        shape, path = base
        if name in _SEQUENCE_FILTERS or name in ("default", "d"):
            return base
        if name in ("first", "last") and isinstance(shape, Node) and shape.item is not None:
            return self.use(shape.item, f"{path}[]")
        if name in ("length", "count", "wordcount", "int", "round", "sum", "abs"):
            return Node("integer"), ""
        if name in DOCUMENT_FILTERS or name in SAFE_BUILTIN_FILTERS:
            return (Node("text"), "") if name not in ("map", "groupby") else (ANY, "")
        return ANY, ""


def _dotted(expr: nodes.Node) -> str:
    if isinstance(expr, nodes.Name):
        return expr.name
    if isinstance(expr, nodes.Getattr):
        return f"{_dotted(expr.node)}.{expr.attr}"
    if isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const):
        return f"{_dotted(expr.node)}[{expr.arg.value!r}]"
    return "…"


# ----------------------------------------------------------------------------------------------
# 4-5. The whole template, compiled and rendered


def _compile_parts(template: DocxTemplate, problems: _Problems) -> None:
    sources = [template.get_xml()]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        sources += [template.get_part_xml(part) for _rel, part in template.get_headers_footers(uri)]
    for xml in sources:
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))
        try:
            ENVIRONMENT.from_string(source)
        except TemplateSyntaxError as exc:
            problems.messages.append(diagnostics.describe(exc, source))
            return


def _trial_render(data: bytes, problems: _Problems) -> None:
    for lang in DOCUMENT_LANGS:
        try:
            rendered = render_document(data, example_context(lang), lang=lang)
            docx.Document(io.BytesIO(rendered.data))
        except DocumentTemplateError as exc:
            problems.messages.extend(exc.errors.get(TEMPLATE_FIELD, []))
            return
        except Exception as exc:  # noqa: BLE001 - python-docx cannot open what was produced
            problems.add("broken_xml", detail=shorten(f"{type(exc).__name__}: {exc}", 160))
            return
