"""Reading generated Word documents back, for the tests of portal/documents."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from functools import cache

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from portal.documents import render_docx, template_path
from portal.documents.example import example_context

#: What a Jinja tag leaves behind when it was not rendered.
LEFTOVERS = ("{{", "}}", "{%", "%}", "{#", "#}")


def open_docx(data: bytes) -> Document:
    """Open .docx bytes with python-docx."""
    return docx.Document(io.BytesIO(data))


@cache
def rendered(key: str, lang: str) -> bytes:
    """Render a built-in template with the example context (once per test session)."""
    return render_docx(template_path(key, lang), example_context(lang), lang=lang)


def iter_paragraphs(doc: Document) -> Iterator[Paragraph]:
    """Every paragraph of the body, tables included (nested tables too), in document order."""

    def walk(container: object) -> Iterator[Paragraph]:
        for block in container.iter_inner_content():  # type: ignore[attr-defined]
            if isinstance(block, Paragraph):
                yield block
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        yield from walk(cell)

    yield from walk(doc)


def body_text(doc: Document) -> str:
    """The text of the body, one paragraph per line."""
    return "\n".join(p.text for p in iter_paragraphs(doc))


def headings(doc: Document, level: int | None = None) -> list[str]:
    """Texts of the body's headings (of one level if given)."""
    wanted = {f"Heading {level}"} if level else {f"Heading {n}" for n in range(1, 10)}
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name in wanted]


def styled(doc: Document, style: str) -> list[str]:
    """Texts of the paragraphs (tables included) in ``style``."""
    return [p.text for p in iter_paragraphs(doc) if p.style is not None and p.style.name == style]


def xml_texts(data: bytes) -> dict[str, str]:
    """The visible text of every XML part (body, headers, footers, properties), by part name."""
    texts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                texts[name] = "".join(re.findall(r">([^<]*)<", xml))
    return texts


def part(data: bytes, name: str) -> bytes:
    """The raw bytes of one part of a .docx."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def leftovers(data: bytes) -> dict[str, list[str]]:
    """Jinja markers left in any part of a document, by part name."""
    found = {}
    for name, text in xml_texts(data).items():
        marks = [m for m in LEFTOVERS if m in text]
        if marks:
            found[name] = marks
    return found


def table_rows(table: Table) -> list[list[str]]:
    """The text of each cell of each row."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def find_table(doc: Document, first_header: str) -> Table:
    """The first table whose first header cell is ``first_header``."""
    for table in doc.tables:
        if table.rows[0].cells[0].text == first_header:
            return table
    raise AssertionError(f"no table starting with {first_header!r}")


def make_docx(*paragraphs: str | list[str], table: list[list[str]] | None = None) -> bytes:
    """Build a small .docx; a paragraph given as a list is written as one run per item."""
    doc = docx.Document()
    for item in paragraphs:
        para = doc.add_paragraph()
        for run in [item] if isinstance(item, str) else item:
            para.add_run(run)
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def rezip(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """Copy a .docx, replacing or adding entries."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()
