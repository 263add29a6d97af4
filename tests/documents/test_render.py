"""Generated documents, opened again with python-docx: every section, both languages."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from portal.documents import (
    ContextError,
    DocumentTemplateError,
    checksum,
    render_document,
    render_docx,
    template_path,
)
from portal.documents import environment as environment_module
from portal.documents.build_templates import TEXTS
from portal.documents.context import (
    Lots,
    anti_dumping_block,
    checklist,
    group_clauses,
    weights_table,
)
from portal.documents.example import DECLARATION, example_context, large_context
from tests.documents.helpers import (
    body_text,
    find_table,
    headings,
    leftovers,
    make_docx,
    open_docx,
    part,
    rendered,
    styled,
    table_rows,
)

LANGS = ("fr", "nl")
SECTION_TITLES = {
    "technical_specifications": "ts_title",
    "selection_award": "sa_title",
    "performance": "pf_title",
    "lots": "lots_title",
    "verification_checklist": "cl_title",
    "anti_dumping_declaration": "ad_title",
}
NNBSP = "\u202f"


def _render(ctx, key: str = "complete") -> bytes:  # type: ignore[no-untyped-def]
    return render_docx(template_path(key, ctx.lang), ctx, lang=ctx.lang)


# ----------------------------------------------------------------------------------------------
# Every section and the complete document


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", [*SECTION_TITLES, "complete"])
def test_no_tag_is_left_anywhere(key: str, lang: str) -> None:
    data = rendered(key, lang)
    assert leftovers(data) == {}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", list(SECTION_TITLES))
def test_each_section_has_its_title_and_heading(key: str, lang: str) -> None:
    doc = open_docx(rendered(key, lang))
    ctx = example_context(lang)
    assert styled(doc, "Title") == [ctx.dossier.title]
    assert headings(doc, 1) == [TEXTS[lang][SECTION_TITLES[key]]]


@pytest.mark.parametrize("lang", LANGS)
def test_complete_document_has_every_section_in_order(lang: str) -> None:
    doc = open_docx(rendered("complete", lang))
    t = TEXTS[lang]
    assert headings(doc, 1) == [t["general"]] + [t[v] for v in SECTION_TITLES.values()]
    used = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"} <= used
    assert {"List Bullet", "List Number", "Reference"} <= used
    assert all(table.style.name == "Table Grid" for table in doc.tables)


@pytest.mark.parametrize("lang", LANGS)
def test_every_clause_carries_its_reference_in_the_reference_style(lang: str) -> None:
    doc = open_docx(rendered("complete", lang))
    ctx = example_context(lang)
    references = " ".join(styled(doc, "Reference"))
    for clause in ctx.clauses.all():
        assert f"{clause.reference} · {clause.family_label} · {clause.ambition_label}" in references
    style = doc.styles["Reference"]
    assert style.font.size.pt == 8
    assert style.font.color.rgb is not None


@pytest.mark.parametrize("lang", LANGS)
def test_clause_texts_are_filled_with_their_parameters(lang: str) -> None:
    text = body_text(open_docx(rendered("complete", lang)))
    ctx = example_context(lang)
    for clause in ctx.clauses.all():
        assert clause.title in text
        for paragraph in clause.paragraphs:
            assert paragraph in text
    expected = {
        "fr": ["Au moins 90\u00a0% des produits", "au moins égal à 1 fois", "lavés à 60 °C"],
        "nl": ["Minstens 90% van de reinigingsmiddelen", "minstens 1 keer", "op maximaal 60 °C"],
    }
    for fragment in expected[lang]:
        assert fragment in text


@pytest.mark.parametrize("lang", LANGS)
def test_header_footer_and_properties_are_filled(lang: str) -> None:
    data = rendered("complete", lang)
    doc = open_docx(data)
    ctx = example_context(lang)
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == f"{ctx.authority.name} – ETT/2027/SC-014"
    footer = section.footer.paragraphs[0].text
    assert ctx.dossier.title in footer
    assert {"fr": "20 janvier 2027", "nl": "20 januari 2027"}[lang] in footer
    props = doc.core_properties
    assert props.title == ctx.dossier.title
    assert props.author == ctx.authority.name
    assert props.created == props.modified == datetime(2027, 1, 20, tzinfo=UTC)
    assert props.last_modified_by == "Clausier"


@pytest.mark.parametrize("lang", LANGS)
def test_weights_table_rows(lang: str) -> None:
    doc = open_docx(rendered("selection_award", lang))
    t = TEXTS[lang]
    rows = table_rows(find_table(doc, t["col_criterion"]))
    assert rows[1] == [t["price"], "—", "75" + t["points"]]
    ctx = example_context(lang)
    assert rows[2:-1] == [
        [c.title, c.reference, f"{c.weight}{t['points']}"] for c in ctx.clauses.award
    ]
    assert rows[-1] == [t["total"], "", "100" + t["points"]]


@pytest.mark.parametrize("lang", LANGS)
def test_award_criteria_show_weight_and_scoring(lang: str) -> None:
    doc = open_docx(rendered("selection_award", lang))
    ctx = example_context(lang)
    points = TEXTS[lang]["points"]
    assert headings(doc, 3)[-3:] == [f"{c.title} ({c.weight}{points})" for c in ctx.clauses.award]
    text = body_text(doc)
    for clause in ctx.clauses.award:
        for paragraph in clause.scoring:
            assert paragraph in text


@pytest.mark.parametrize("lang", LANGS)
def test_lot_tables_have_one_row_per_lot(lang: str) -> None:
    doc = open_docx(rendered("lots", lang))
    t = TEXTS[lang]
    ctx = example_context(lang)
    lots = table_rows(find_table(doc, t["col_lot"]))
    assert len(lots) == 1 + 3 + 1  # header, lots, total: no coordination lot
    assert [row[0] for row in lots[1:-1]] == ["1", "2", "3"]
    assert lots[1][1].startswith(ctx.lots.lots[0].title)
    assert lots[1][2].startswith("90919200-4")
    turnover = table_rows(doc.tables[1])
    assert len(turnover) == 1 + 3
    if lang == "fr":
        assert lots[1][3] == f"640{NNBSP}000\u00a0€"
        assert lots[-1][3] == f"1{NNBSP}616{NNBSP}000\u00a0€"
        assert turnover[1][1:4] == [
            f"160{NNBSP}000\u00a0€",
            f"160{NNBSP}000\u00a0€",
            # The legal cap: twice the lot's value over the whole duration (art. 58(3)).
            f"1{NNBSP}280{NNBSP}000\u00a0€",
        ]
    else:
        assert lots[1][3] == "€\u00a0640.000"
        assert turnover[1][1:4] == ["€\u00a0160.000", "€\u00a0160.000", "€\u00a01.280.000"]
    text = body_text(doc)
    assert ctx.lots.award_rule in text
    assert t["coord_title"] not in headings(doc)
    assert t["not_divided"] not in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", ["lots", "complete"])
def test_procedure_clauses_close_section_4(key: str, lang: str) -> None:
    doc = open_docx(rendered(key, lang))
    t = TEXTS[lang]
    ctx = example_context(lang)
    assert ctx.clauses.procedure
    order = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    start = order.index(t["lots_title"])
    end = next(
        (i for i in range(start + 1, len(order)) if order[i] in (t["cl_title"], t["ad_title"])),
        len(order),
    )
    # Its own heading, last in section 4, after the lots.
    assert order[end - 1] == t["proc_title"]
    assert order.index(t["lots_table"]) < end - 1
    text = body_text(doc)
    assert t["proc_intro"] in text
    titles = headings(doc, 3)
    for clause in ctx.clauses.procedure:
        assert clause.title in titles
        assert all(paragraph in text for paragraph in clause.paragraphs)
    # Not among the technical specifications: they are not clauses of the object.
    if key == "complete":
        ts = headings(doc, 2)[: headings(doc, 2).index(t["excl_title"])]
        assert not any(c.title in ts for c in ctx.clauses.procedure)


@pytest.mark.parametrize("lang", LANGS)
def test_without_procedure_clauses_section_4_has_no_procedure_heading(lang: str) -> None:
    ctx = example_context(lang)
    groups = dataclasses.replace(ctx.clauses, procedure=())
    ctx = dataclasses.replace(ctx, clauses=groups, checklist=checklist(groups))
    doc = open_docx(_render(ctx, "lots"))
    t = TEXTS[lang]
    assert t["proc_title"] not in headings(doc)
    assert t["proc_intro"] not in body_text(doc)
    assert leftovers(_render(ctx, "lots")) == {}


@pytest.mark.parametrize("lang", LANGS)
def test_checklist_has_one_row_per_clause_with_its_instruments(lang: str) -> None:
    doc = open_docx(rendered("verification_checklist", lang))
    t = TEXTS[lang]
    ctx = example_context(lang)
    rows = table_rows(find_table(doc, t["col_clause"]))
    assert len(rows) == 1 + len(ctx.clauses.all())
    # Tender order: the procedure clauses first, with their placement in words.
    assert rows[1][0].startswith(ctx.clauses.procedure[0].title)
    assert ctx.clauses.procedure[0].placement_label in rows[1][0]
    for row, clause in zip(rows[1:], ctx.clauses.all(), strict=True):
        assert clause.title in row[0] and clause.reference in row[0]
        for instrument in clause.verification:
            assert instrument.what in row[1] and instrument.how in row[1]
            assert instrument.evidence_label in row[1]
        assert row[2] == "☐"
    assert t["cl_internal"] in doc.sections[0].header.paragraphs[1].text


@pytest.mark.parametrize("lang,generic", [("fr", "Pièces justificatives"), ("nl", "Bewijsstukken")])
def test_records_evidence_has_a_generic_label_in_the_checklist(lang: str, generic: str) -> None:
    ctx = example_context(lang)
    records = [i for c in ctx.clauses.all() for i in c.verification if i.evidence == "records"]
    assert records and {i.evidence_label for i in records} == {generic}
    doc = open_docx(rendered("verification_checklist", lang))
    text = "\n".join(
        cell for row in table_rows(find_table(doc, TEXTS[lang]["col_clause"])) for cell in row
    )
    assert generic in text
    for raw in ("records", "Factures ou bons de livraison", "Facturen of leveringsbonnen"):
        assert f"{raw} –" not in text  # the label starts the instrument's line


@pytest.mark.parametrize("lang", LANGS)
def test_declaration_annex_lists_statements_and_clauses(lang: str) -> None:
    doc = open_docx(rendered("anti_dumping_declaration", lang))
    assert styled(doc, "List Number") == DECLARATION[lang]
    bullets = styled(doc, "List Bullet")
    for clause in example_context(lang).anti_dumping.clauses:
        assert f"{clause.title} ({clause.reference})" in bullets


# ----------------------------------------------------------------------------------------------
# Variants of the data


def test_special_characters_survive_everywhere() -> None:
    ctx = example_context("fr")
    title = 'Nettoyage & entretien <bâtiments> "Ixelles" l\'été – 5 000 € ≥ 2'
    tricky = "Texte <w:p> & « guillemets » 'simples' ; pH < 2 ou > 11,5 : 1 234,50 €"
    clause = dataclasses.replace(ctx.clauses.technical_specification[0], paragraphs=(tricky,))
    groups = dataclasses.replace(
        ctx.clauses, technical_specification=(clause, *ctx.clauses.technical_specification[1:])
    )
    ctx = dataclasses.replace(
        ctx,
        dossier=dataclasses.replace(ctx.dossier, title=title),
        clauses=groups,
        checklist=checklist(groups),
    )
    data = _render(ctx)
    doc = open_docx(data)
    text = body_text(doc)
    assert tricky in text
    assert styled(doc, "Title") == [title]
    assert title in doc.sections[0].footer.paragraphs[0].text
    assert doc.core_properties.title == title
    assert b"&lt;w:p&gt; &amp; " in part(data, "word/document.xml")


def test_control_characters_are_removed_so_the_xml_stays_valid() -> None:
    ctx = example_context("nl")
    ctx = dataclasses.replace(ctx, dossier=dataclasses.replace(ctx.dossier, title="A\x0bB\x00C"))
    doc = open_docx(_render(ctx))
    assert styled(doc, "Title") == ["ABC"]


@pytest.mark.parametrize("lang", LANGS)
def test_undivided_contract_shows_the_justification(lang: str) -> None:
    ctx = example_context(lang)
    reasons = ("Le marché forme un tout fonctionnel.", "Sa valeur reste à la portée des PME.")
    lots = Lots(
        divided=False,
        lots=(),
        total_value=Decimal(90000),
        max_lots_per_tenderer=None,
        max_lots_awarded=None,
        award_rule="",
        combined_bids=False,
        combined_bids_text="",
        coordination=ctx.lots.coordination,
        justification=reasons,
        contract_turnover_max=Decimal(60000),
        contract_turnover_sme=Decimal(30000),
    )
    doc = open_docx(_render(dataclasses.replace(ctx, lots=lots), "lots"))
    t = TEXTS[lang]
    text = body_text(doc)
    assert t["not_divided"] in text
    assert t["justification_title"] in headings(doc, 2)
    for reason in reasons:
        assert reason in text
    assert doc.tables == []
    assert {"fr": f"30{NNBSP}000\u00a0€", "nl": "€\u00a030.000"}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_coordination_lot_combined_bids_and_lot_limits(lang: str) -> None:
    ctx = large_context(lang, clauses=20, lots=10)
    doc = open_docx(_render(ctx, "lots"))
    t = TEXTS[lang]
    rows = table_rows(find_table(doc, t["col_lot"]))
    assert len(rows) == 1 + 10 + 1 + 1
    assert rows[-2][0] == "11" and rows[-2][1] == ctx.lots.coordination.title
    assert {t["coord_title"], t["combined_title"]} <= set(headings(doc))
    text = body_text(doc)
    assert f"{t['max_lots_a']}4{t['max_lots_b']}" in text
    assert ", ".join(str(n) for n in range(1, 11)) in text
    # The coordination lot's lists, then the evidence of the procedure clauses.
    instruments = [
        f"{v.evidence_label} ({v.stage_label.lower()}{t['stage_end']}{v.what}"
        for c in ctx.clauses.procedure
        for v in c.verification
    ]
    assert ctx.clauses.procedure
    assert styled(doc, "List Bullet") == [
        *ctx.lots.coordination.tasks,
        *ctx.lots.coordination.interactions,
        *instruments,
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_without_anti_dumping_clauses_the_annex_disappears(lang: str) -> None:
    ctx = example_context(lang)
    kept = [c for c in ctx.clauses.all() if c.family != "anti_social_dumping"]
    groups = group_clauses(kept)
    ctx = dataclasses.replace(
        ctx,
        clauses=groups,
        weights=weights_table(75, groups.award),
        checklist=checklist(groups),
        anti_dumping=anti_dumping_block(groups, DECLARATION[lang]),
    )
    t = TEXTS[lang]
    complete = open_docx(_render(ctx))
    assert t["ad_title"] not in headings(complete)
    assert styled(complete, "List Number") == []
    alone = open_docx(_render(ctx, "anti_dumping_declaration"))
    assert t["ad_none"] in body_text(alone)


def test_empty_placements_say_so() -> None:
    ctx = example_context("fr")
    kept = [
        c for c in ctx.clauses.all() if c.placement not in ("technical_specification", "selection")
    ]
    groups = group_clauses(kept)
    ctx = dataclasses.replace(ctx, clauses=groups, checklist=checklist(groups))
    text = body_text(open_docx(_render(ctx)))
    assert TEXTS["fr"]["ts_none"] in text
    assert TEXTS["fr"]["sel_none"] in text


# ----------------------------------------------------------------------------------------------
# Reproducibility


@pytest.mark.parametrize("lang", LANGS)
def test_same_context_gives_the_same_bytes(lang: str) -> None:
    first = render_document(template_path("complete", lang), example_context(lang), lang=lang)
    second = render_document(
        template_path("complete", lang), example_context(lang).to_dict(), lang=lang
    )
    assert first.data == second.data
    assert part(first.data, "word/document.xml") == part(second.data, "word/document.xml")
    assert first.sha256 == checksum(first.data)
    assert first.template_sha256 == checksum(template_path("complete", lang).read_bytes())


def test_different_data_gives_a_different_checksum() -> None:
    ctx = example_context("fr")
    other = dataclasses.replace(
        ctx, dossier=dataclasses.replace(ctx.dossier, reference="ETT/2027/SC-015")
    )
    assert checksum(_render(ctx)) != checksum(_render(other))


def test_rendering_does_not_change_the_callers_context() -> None:
    plain = example_context("fr").to_dict()
    before = repr(plain)
    render_docx(template_path("complete", "fr"), plain, lang="fr")
    assert repr(plain) == before


# ----------------------------------------------------------------------------------------------
# Errors and the sandbox


def test_context_in_another_language_is_refused() -> None:
    with pytest.raises(ContextError):
        render_docx(template_path("complete", "fr"), example_context("nl"), lang="fr")


def test_unknown_variable_names_the_tag_and_paragraph() -> None:
    template = make_docx("Objet : {{ dossier.titel }}")
    with pytest.raises(DocumentTemplateError) as caught:
        render_docx(template, example_context("fr"), lang="fr")
    message = str(caught.value.errors["template"][0])
    assert "“titel”" in message
    assert "{{ dossier.titel }}" in message and "Objet :" in message
    assert caught.value.status == 422


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ dossier.__class__ }}", "may not do"),
        ("{{ dossier.title * 100000 }}", "may not do"),
        ("{{ dossier.title.format(1) }}", "may not do"),
        ("{% set x = 1 %}", "“{% set %}” is not allowed"),
        ("{% macro m() %}{% endmacro %}", "is not allowed"),
        ("{% for i in range(3) %}{% endfor %}", "range"),
        ("{{ '%999999s' % 1 }}", "may not do"),
    ],
)
def test_the_sandbox_refuses_dangerous_templates(source: str, expected: str) -> None:
    with pytest.raises(DocumentTemplateError) as caught:
        render_docx(make_docx(source), example_context("fr"), lang="fr")
    assert expected in str(caught.value.errors["template"][0])


def test_loops_have_a_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(environment_module, "MAX_ITERATIONS", 5)
    template = make_docx("{%p for row in checklist %}", "{{ row.code }}", "{%p endfor %}")
    with pytest.raises(DocumentTemplateError) as caught:
        render_docx(template, example_context("fr"), lang="fr")
    assert "too many times" in str(caught.value.errors["template"][0])


def test_output_has_a_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(environment_module, "MAX_OUTPUT_CHARS", 2000)
    with pytest.raises(DocumentTemplateError) as caught:
        render_docx(template_path("complete", "fr"), example_context("fr"), lang="fr")
    assert "renders too much text" in str(caught.value.errors["template"][0])


def test_a_file_that_is_not_a_docx_cannot_be_rendered() -> None:
    with pytest.raises(DocumentTemplateError):
        render_docx(b"PK\x03\x04 not really a zip", example_context("fr"), lang="fr")
