"""Validation of uploaded Word templates: the container, the tags, and the messages."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from flask import Flask

from portal.documents import ALL_TEMPLATES, template_path, validate_template
from portal.documents.package import OLE_MAGIC
from portal.documents.validation import MAX_MESSAGES
from portal.errors import ValidationError
from tests.documents.helpers import make_docx, part, rezip

LIMIT = 5 * 1024 * 1024


def problems(data: bytes, filename: str = "modele.docx", max_bytes: int = LIMIT) -> list[str]:
    """The messages validation gives for a file (English, outside a request)."""
    with pytest.raises(ValidationError) as caught:
        validate_template(data, filename, max_bytes=max_bytes)
    return [str(m) for m in caught.value.errors["template"]]


# ----------------------------------------------------------------------------------------------
# Accepted templates and the report


@pytest.mark.parametrize("lang", ["fr", "nl"])
@pytest.mark.parametrize("section", ALL_TEMPLATES, ids=lambda s: s.key)
def test_clausier_templates_are_accepted(section, lang: str) -> None:  # type: ignore[no-untyped-def]
    data = template_path(section.key, lang).read_bytes()
    report = validate_template(data, section.filename, max_bytes=LIMIT)
    assert set(section.uses) <= set(report.sections)
    assert report.warnings == ()


def test_report_lists_the_variables_and_sections_used() -> None:
    data = make_docx(
        "Marché : {{ dossier.title }}",
        "{%p for lot in lots.lots %}",
        "Lot {{ lot.number }} : {{ lot.value|money }}",
        "{%p endfor %}",
    )
    report = validate_template(data, "C:\\Users\\achat\\mon modèle.docx", max_bytes=LIMIT)
    assert report.filename == "mon modèle.docx"
    assert report.tag_count == 5
    assert report.sections == ("dossier", "lots")
    assert report.variables == (
        "dossier",
        "dossier.title",
        "lots",
        "lots.lots",
        "lots.lots[].number",
        "lots.lots[].value",
    )
    assert report.size == len(data) and len(report.sha256) == 64


def test_a_template_without_tags_is_accepted_with_a_warning() -> None:
    report = validate_template(make_docx("Texte fixe."), "fixe.docx", max_bytes=LIMIT)
    assert report.tag_count == 0
    assert "identical" in str(report.warnings[0])


def test_tags_split_across_runs_are_understood() -> None:
    report = validate_template(make_docx(["{{ dossier.", "title }}"]), "t.docx", max_bytes=LIMIT)
    assert "dossier.title" in report.variables


def test_table_row_loops_are_accepted() -> None:
    data = make_docx(
        table=[
            ["Lot", "Valeur"],
            ["{%tr for lot in lots.lots %}", ""],
            ["{{ lot.number }}", "{{ lot.value|money }}"],
            ["{%tr endfor %}", ""],
        ]
    )
    assert "lots.lots[].value" in validate_template(data, "t.docx", max_bytes=LIMIT).variables


# ----------------------------------------------------------------------------------------------
# The file and its container


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("modele.docm", "file with macros"),
        ("modele.dotm", "file with macros"),
        ("modele.dotx", "Word template file"),
        ("modele.doc", "old Word format"),
        ("modele.pdf", "Only Word documents"),
    ],
)
def test_other_kinds_of_files_are_refused_by_name(filename: str, expected: str) -> None:
    assert expected in problems(make_docx("{{ dossier.title }}"), filename)[0]


def test_oversized_file_is_refused_with_both_figures() -> None:
    data = b"x" * (2 * 1024 * 1024 + 100_000)
    assert problems(data, max_bytes=1024 * 1024) == [
        "The file is too large: 2.1 MB, and the limit is 1 MB."
    ]


def test_empty_file_is_refused() -> None:
    assert problems(b"") == ["The file is empty."]


def test_a_file_that_is_not_a_zip_is_refused() -> None:
    assert "not a Word document" in problems(b"Bonjour, je suis un fichier texte.")[0]


def test_an_old_or_encrypted_office_file_is_refused() -> None:
    assert "password-protected" in problems(OLE_MAGIC + b"\0" * 600)[0]


def test_macro_enabled_content_is_refused_even_when_renamed() -> None:
    data = make_docx("{{ dossier.title }}")
    types = part(data, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    messages = problems(rezip(data, replace={"[Content_Types].xml": types}))
    assert any("macros" in m for m in messages)


def test_a_vba_project_is_refused() -> None:
    data = rezip(make_docx("{{ dossier.title }}"), add={"word/vbaProject.bin": b"\0" * 100})
    assert any("macros" in m and "vbaProject.bin" in m for m in problems(data))


def test_a_renamed_dotx_is_refused_by_its_content_type() -> None:
    data = make_docx("{{ dossier.title }}")
    types = part(data, "[Content_Types].xml").replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
    )
    messages = problems(rezip(data, replace={"[Content_Types].xml": types}))
    assert messages == [
        "The file is not a Word document (.docx): its main part is "
        "“application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml”."
    ]


def test_a_zip_without_a_document_part_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("hello.txt", "hello")
    assert problems(out.getvalue()) == [
        "The file is not a Word document: the part “word/document.xml” is missing."
    ]


def _bomb(name: str, size: int) -> bytes:
    data = make_docx("{{ dossier.title }}")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr(name, b"\0" * size)
    return out.getvalue()


def test_a_zip_bomb_entry_is_refused_before_it_is_unpacked() -> None:
    data = _bomb("word/media/bomb.bin", 48 * 1024 * 1024)
    assert len(data) < 200_000  # a small upload...
    assert problems(data) == [  # ...that would unpack to 48 MB
        "Once unpacked, the file would take too much space; it is refused as a safety measure."
    ]


def test_a_highly_compressed_entry_is_refused() -> None:
    assert "zip bomb" in problems(_bomb("word/media/zeros.bin", 4 * 1024 * 1024))[0]


def test_a_zip_with_thousands_of_entries_is_refused() -> None:
    data = make_docx("{{ dossier.title }}")
    many = {f"word/media/image{i}.png": b"x" for i in range(600)}
    assert "too many parts" in problems(rezip(data, add=many))[0]


def test_an_xml_document_type_is_refused() -> None:
    data = make_docx("{{ dossier.title }}")
    body = part(data, "word/document.xml").replace(
        b"?>", b'?><!DOCTYPE w [<!ENTITY lol "lol">]>', 1
    )
    messages = problems(rezip(data, replace={"word/document.xml": body}))
    assert messages == [
        "The part “word/document.xml” declares an XML document type, which Word documents "
        "never do; the file is refused."
    ]


# ----------------------------------------------------------------------------------------------
# Tags


def test_a_syntax_error_names_the_tag_and_its_paragraph() -> None:
    messages = problems(make_docx("Montant : {{ dossier.estimated_value|money( }}"))
    assert len(messages) == 1
    assert messages[0].startswith(
        "Syntax error in the tag “{{ dossier.estimated_value|money( }}” "
        "(paragraph: “Montant : {{ dossier.estimated_value|money( }}”)"
    )


def test_an_unknown_variable_names_the_tag_and_its_paragraph() -> None:
    assert problems(make_docx("Objet : {{ dossier.titel }}")) == [
        "Unknown variable “dossier.titel” in the tag “{{ dossier.titel }}” "
        "(paragraph: “Objet : {{ dossier.titel }}”)."
    ]


def test_loop_variables_are_checked_against_the_item_type() -> None:
    data = make_docx(
        "{%p for c in clauses.award %}",
        "{{ c.title }} {{ c.poids }} {{ loop.idx }}",
        "{%p endfor %}",
    )
    messages = problems(data)
    assert [m.split(" in the tag")[0] for m in messages] == [
        "Unknown variable “c.poids”",
        "Unknown variable “loop.idx”",
    ]


def test_loop_variables_do_not_leak_out_of_their_loop() -> None:
    data = make_docx(
        "{%p for c in clauses.award %}", "{{ c.title }}", "{%p endfor %}", "{{ c.title }}"
    )
    assert problems(data)[0].startswith("Unknown variable “c” in the tag “{{ c.title }}”")


def test_an_unknown_filter_is_reported() -> None:
    assert problems(make_docx("{{ dossier.title|shout }}"))[0].startswith(
        "Unknown filter “shout” in the tag “{{ dossier.title|shout }}”"
    )


def test_an_unclosed_loop_is_reported_with_the_closing_tag_to_add() -> None:
    assert problems(make_docx("{%p for lot in lots.lots %}", "{{ lot.title }}")) == [
        "The tag “{%p for lot in lots.lots %}” is never closed "
        "(paragraph: “{%p for lot in lots.lots %}”): add “{% endfor %}”."
    ]


def test_mismatched_closing_tags_are_reported() -> None:
    messages = problems(make_docx("{%p if lots.divided %}", "x", "{%p endfor %}"))
    assert messages[0].startswith("The tag “{%p endfor %}”")
    assert "cannot close “{%p if lots.divided %}”" in messages[0]


def test_rich_text_tags_are_refused_with_the_fix() -> None:
    assert problems(make_docx("{{r dossier.title }}"))[0].startswith(
        "“{{r dossier.title }}” inserts rich text, which the data of Clausier never contains; "
        "write “{{ dossier.title }}” instead"
    )


def test_a_row_tag_outside_a_table_is_reported() -> None:
    data = make_docx("{%tr for lot in lots.lots %}", "{%tr endfor %}")
    assert "is a table tag but is not inside a table" in problems(data)[0]


def test_a_paragraph_tag_must_be_alone_in_its_paragraph() -> None:
    messages = problems(make_docx("Lots : {%p if lots.divided %}", "{%p endif %}"))
    assert messages == [
        "“{%p if lots.divided %}” replaces its whole paragraph, so the rest of it would be lost: "
        "put “Lots :” in a paragraph of its own."
    ]


@pytest.mark.parametrize("source", ["{% set x = 1 %}", "{% include 'x' %}", "{% macro m() %}"])
def test_forbidden_statements_are_reported(source: str) -> None:
    assert "tags are not allowed in Word templates" in problems(make_docx(source))[0]


def test_a_tag_broken_across_paragraphs_is_reported() -> None:
    messages = problems(make_docx("{{ dossier.", "title }}"))
    assert messages[0].startswith("A tag starts but does not end in the same paragraph")


def test_errors_that_only_show_when_rendering_are_caught_by_the_trial() -> None:
    messages = problems(make_docx("{{ dossier.title|money }}"))
    assert messages[0].startswith("The tag “{{ dossier.title|money }}”")
    assert "not a number" in messages[0]


def test_many_problems_are_summarised() -> None:
    data = make_docx(*[f"{{{{ unknown_{i} }}}}" for i in range(MAX_MESSAGES + 5)])
    messages = problems(data)
    assert len(messages) == MAX_MESSAGES + 1
    assert messages[-1] == "… and 5 more problems."


def test_messages_are_shown_in_the_users_language(app: Flask) -> None:
    data = make_docx("Objet : {{ dossier.titel }}")
    with pytest.raises(ValidationError) as caught:
        validate_template(data, "modele.docx", max_bytes=LIMIT)
    message = caught.value.errors["template"][0]
    with app.test_request_context("/?lang=fr"):
        assert str(message) == (
            "Variable inconnue « dossier.titel » dans la balise « {{ dossier.titel }} » "
            "(paragraphe : « Objet : {{ dossier.titel }} »)."
        )
    with app.test_request_context("/?lang=nl"):
        assert str(message).startswith("Onbekende variabele ‘dossier.titel’")


def test_tags_in_headers_and_properties_are_checked_too() -> None:
    doc = docx.Document()
    doc.add_paragraph("{{ dossier.title }}")
    doc.sections[0].header.paragraphs[0].text = "Réf. {{ dossier.refrence }}"
    doc.core_properties.title = "{{ dossier.titel }}"
    buffer = io.BytesIO()
    doc.save(buffer)
    messages = problems(buffer.getvalue())
    assert messages == [
        "Unknown variable “dossier.refrence” in the tag “{{ dossier.refrence }}” "
        "(paragraph: “Réf. {{ dossier.refrence }}”).",
        "Unknown variable “dossier.titel” in the tag “{{ dossier.titel }}” "
        "(paragraph: “{{ dossier.titel }}”).",
    ]
