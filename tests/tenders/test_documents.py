"""Word generation from dossiers: the documents opened with python-docx, in French and Dutch,
complete and section by section; reproducibility; the stored history; templates; PDF."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from sqlmodel import select

from portal.audit.models import AuditEvent
from portal.documents import builtin, pdf_available, render_document
from portal.errors import ValidationError
from portal.tenders import services
from portal.tenders.context import JUSTIFICATION_MISSING, build_context
from portal.tenders.models import AuthorityTemplate, GeneratedDocument
from tests.tenders.conftest import document_xml


def _open(data: bytes) -> docx.Document:
    return docx.Document(io.BytesIO(data))


def _texts(document: docx.Document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return texts


def _styled(document: docx.Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


@pytest.fixture()
def ready(db, library, make_dossier, select_all):  # type: ignore[no-untyped-def]
    dossier = make_dossier()
    select_all(dossier)
    return dossier


@pytest.fixture()
def generated(db, ready, buyer):  # type: ignore[no-untyped-def]
    documents = services.generate_documents(db, actor=buyer, dossier_id=ready.id)
    db.commit()
    return {d.lang: d for d in documents}


def test_bilingual_dossier_gives_one_file_per_language(generated, ready):
    assert sorted(generated) == ["fr", "nl"]
    for lang, document in generated.items():
        assert document.kind == "complete"
        assert document.filename == f"TEST-CLEAN-01_complete_{lang}.docx"
        assert document.sha256 == services.checksum(document.content)
        assert document.template_name == "Clausier"
        assert document.template_sha256 == services.checksum(
            builtin.template_path("complete", lang).read_bytes()
        )
        assert document.dossier_revision == ready.lock_version
        # Document order: placements in tender order, then the order of selection.
        assert [c["code"] for c in document.clause_versions] == [
            "CLEAN-SME-958",
            "CLEAN-SOC-956",
            "CLEAN-SME-955",
            "CLEAN-ENV-951",
            "CLEAN-ENV-952",
            "CLEAN-ENV-957",
            "CLEAN-SOC-953",
            "CLEAN-ASD-954",
        ]
        assert all(c["number"] == 1 for c in document.clause_versions)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_complete_document_has_headings_styles_and_filled_clauses(generated, lang):
    document = _open(generated[lang].content)
    xml = document_xml(generated[lang].content)
    assert "{{" not in xml and "{%" not in xml and "%}" not in xml
    titles = _styled(document, "Title")
    assert titles == ["Nettoyage des écoles & crèches « Les Petits <Loups> » – 2027"]
    headings = _styled(document, "Heading 1")
    assert len(headings) >= 6
    for section in ("technical_specifications", "selection_award", "performance"):
        assert builtin.BY_KEY[section].titles[lang] in headings
    clause_titles = _styled(document, "Heading 2") + _styled(document, "Heading 3")
    expected = {
        "fr": ["Produits « verts » & écolabellisés", "Réduction des produits chimiques"],
        "nl": ["'Groene' producten & met keurmerk", "Minder chemicaliën"],
    }[lang]
    assert any(t.startswith(expected[0]) for t in clause_titles)
    assert any(t.startswith(expected[1]) for t in clause_titles)
    references = " ".join(_styled(document, "Reference"))
    for code in ("CLEAN-ENV-951 v1", "CLEAN-ENV-952 v1", "CLEAN-SOC-953 v1", "CLEAN-ASD-954 v1"):
        assert code in references
    body = "\n".join(_texts(document))
    if lang == "fr":
        assert "Au moins 85\u00a0% des produits portent l'EU Ecolabel." in body
        assert "< 5 € l'unité" in body
        assert "tous les 3 mois" in body
        assert "engage 3 demandeurs d'emploi (via le CPAS)" in body
        assert "750\u00a0€ par mois" in body
        assert "Contact : le service GRH." in body  # the French default of a text parameter
    else:
        assert "Minstens 85% van de producten draagt EU Ecolabel." in body
        assert "om de 3 maanden" in body
        assert "neemt 3 werkzoekenden in dienst (via het OCMW)" in body
        assert "Contact: de dienst HR." in body
    assert 'Nettoyage quotidien des écoles, "sans" chlore ; budget > 100 000 €.' in body


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_weights_and_checklist_tables_have_the_right_rows(generated, lang):
    document = _open(generated[lang].content)
    weights = [
        t
        for t in document.tables
        if "CLEAN-ENV-952 v1" in " ".join(c.text for r in t.rows for c in r.cells)
    ]
    table = next(t for t in weights if any(r.cells[0].text in ("Prix", "Prijs") for r in t.rows))
    # Header, price, two award criteria, total.
    assert len(table.rows) == 5
    cells = [[c.text for c in r.cells] for r in table.rows]
    assert "75" in cells[1][-1] and "15" in " ".join(cells[2] + cells[3])
    assert "100" in cells[-1][-1]
    checklist = next(
        t for t in document.tables if t.rows[0].cells[0].text in ("Clause", "Bepaling")
    )
    assert len(checklist.rows) == 1 + 8  # one row per chosen clause
    # Document order: the procedure clause comes first, with its placement in words.
    first = checklist.rows[1].cells[0].text
    assert "Lots par bâtiment & visite" in first or "Percelen per gebouw & bezoek" in first
    assert {"fr": "Disposition relative à la procédure", "nl": "Procedurebepaling"}[lang] in first


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_procedure_clauses_go_into_section_4_with_the_lots(db, ready, buyer, lang):
    title = {"fr": "Lots par bâtiment & visite", "nl": "Percelen per gebouw & bezoek"}[lang]
    text = {
        "fr": "Le marché est divisé en lots « par bâtiment » ; un soumissionnaire obtient au "
        "plus 3 lots.",
        "nl": "De opdracht is verdeeld in percelen 'per gebouw'; een inschrijver krijgt "
        "hoogstens 3 percelen.",
    }[lang]
    section = builtin.BY_KEY["lots"]
    alone = services.generate_documents(
        db, actor=buyer, dossier_id=ready.id, kind=section.key, langs=[lang]
    )[0]
    opened = _open(alone.content)
    assert _styled(opened, "Heading 1") == [section.titles[lang]]
    assert _styled(opened, "Heading 3") == [title]
    assert text in "\n".join(_texts(opened))
    assert "CLEAN-SME-958 v1" in " ".join(_styled(opened, "Reference"))
    # In the complete document: under section 4, not under the technical specifications.
    complete = _open(
        services.generate_documents(db, actor=buyer, dossier_id=ready.id, langs=[lang])[0].content
    )
    order = [
        (p.style.name, p.text)
        for p in complete.paragraphs
        if p.style.name in ("Heading 1", "Heading 3")
    ]
    sections = [i for i, (style, _t) in enumerate(order) if style == "Heading 1"]
    at = order.index(("Heading 3", title))
    owner = max(i for i in sections if i < at)
    assert order[owner][1] == section.titles[lang]


def test_anti_dumping_declaration_is_annexed_when_such_clauses_are_chosen(generated):
    body = "\n".join(_texts(_open(generated["fr"].content)))
    assert "Je n'occupe pas de ressortissants de pays tiers en séjour illégal." in body
    nl = "\n".join(_texts(_open(generated["nl"].content)))
    assert "Ik stel geen illegaal verblijvende onderdanen van derde landen tewerk." in nl


def test_without_a_lot_plan_the_lots_section_asks_for_the_justification(generated):
    body = "\n".join(_texts(_open(generated["fr"].content)))
    assert JUSTIFICATION_MISSING["fr"][:40] in body


@pytest.mark.parametrize("section", [s.key for s in builtin.SECTIONS])
@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_each_section_is_generated_alone(db, ready, buyer, section, lang):
    document = services.generate_documents(
        db, actor=buyer, dossier_id=ready.id, kind=section, langs=[lang]
    )[0]
    opened = _open(document.content)
    assert _styled(opened, "Subtitle") == [builtin.BY_KEY[section].titles[lang]]
    xml = document_xml(document.content)
    assert "{{" not in xml and "{%" not in xml
    assert document.kind == section and document.lang == lang


def _stored(db, dossier):  # type: ignore[no-untyped-def]
    return db.exec(
        select(GeneratedDocument).where(GeneratedDocument.dossier_id == dossier.id)
    ).all()


def test_generation_is_reproducible_and_stores_an_identical_file_once(db, ready, buyer):
    first = services.generate_documents(db, actor=buyer, dossier_id=ready.id, langs=["nl"])
    assert first.unchanged == set()
    again = services.generate_documents(db, actor=buyer, dossier_id=ready.id, langs=["nl"])
    # Same input, same bytes: the stored document is returned, not stored a second time.
    assert [d.id for d in again] == [first[0].id] and again.is_unchanged(again[0])
    assert again[0].sha256 == services.checksum(again[0].content) == first[0].sha256
    assert len(_stored(db, ready)) == 1
    generated = db.exec(
        select(AuditEvent).where(
            AuditEvent.entity_id == ready.id, AuditEvent.action == "dossier.document.generated"
        )
    ).all()
    assert len(generated) == 1
    # Another language, section or template is another input: a new file.
    both = services.generate_documents(db, actor=buyer, dossier_id=ready.id)
    assert {d.lang for d in both} == {"fr", "nl"}
    assert both.unchanged == {first[0].id}
    section = services.generate_documents(
        db, actor=buyer, dossier_id=ready.id, kind="lots", langs=["nl"]
    )
    assert section.unchanged == set()
    assert len(_stored(db, ready)) == 3
    assert [d.id for d in services.list_documents(db, ready)] == sorted(
        (d.id for d in _stored(db, ready)), reverse=True
    )


def test_a_changed_dossier_gives_a_new_file_even_on_the_same_day(db, ready, buyer, select_all):
    first = services.generate_documents(db, actor=buyer, dossier_id=ready.id, langs=["fr"])[0]
    db.commit()
    select_all(ready, price_weight="70")
    select_all(ready)  # back to the same weights, but the dossier was edited meanwhile
    second = services.generate_documents(db, actor=buyer, dossier_id=ready.id, langs=["fr"])
    assert second.unchanged == set() and second[0].id != first.id
    assert services.generation_status(ready, first) == "outdated"
    assert services.generation_status(ready, second[0]) == "current"


def test_a_change_of_the_dossier_changes_the_document(db, ready, buyer, select_all):
    first = services.generate_documents(db, actor=buyer, dossier_id=ready.id, langs=["fr"])[0]
    db.commit()
    select_all(ready, price_weight="70", choices={})  # weights no longer total 100
    with pytest.raises(ValidationError):
        services.generate_documents(db, actor=buyer, dossier_id=ready.id, langs=["fr"])
    db.rollback()
    select_all(ready)
    second = services.generate_documents(db, actor=buyer, dossier_id=ready.id, langs=["fr"])[0]
    assert first.dossier_revision != second.dossier_revision
    assert services.generation_status(ready, first) == "outdated"
    assert services.generation_status(ready, second) == "current"


def test_history_keeps_every_file_and_lists_newest_first(db, generated, ready, buyer):
    listed = services.list_documents(db, ready)
    assert [d.id for d in listed] == sorted((d.id for d in generated.values()), reverse=True)
    again = services.get_document(db, actor=buyer, dossier_id=ready.id, document_id=listed[0].id)
    assert services.checksum(again.content) == again.sha256
    history = services.dossier_history(db, actor=buyer, dossier_id=ready.id)
    generated_events = [h for h in history if h.action == "dossier.document.generated"]
    assert {e.data["sha256"] for e in generated_events} == {d.sha256 for d in generated.values()}


def test_documents_of_another_authority_are_not_found(db, generated, ready, other_buyer):
    from portal.errors import NotFound

    with pytest.raises(NotFound):
        services.get_document(
            db, actor=other_buyer, dossier_id=ready.id, document_id=generated["fr"].id
        )


def test_declaration_section_is_refused_without_anti_dumping_clauses(
    db, library, make_dossier, select_all, buyer
):
    from tests.tenders.conftest import choice

    dossier = make_dossier()
    select_all(dossier, choices={"CLEAN-ASD-954": choice(db, "CLEAN-ASD-954", include=False)})
    with pytest.raises(ValidationError) as caught:
        services.generate_documents(
            db, actor=buyer, dossier_id=dossier.id, kind="anti_dumping_declaration"
        )
    assert "kind" in caught.value.errors


def test_unknown_section_and_language_are_refused(db, ready, buyer):
    with pytest.raises(ValidationError) as caught:
        services.generate_documents(db, actor=buyer, dossier_id=ready.id, kind="annex_z")
    assert "kind" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        services.generate_documents(db, actor=buyer, dossier_id=ready.id, langs=["de"])
    assert "lang" in caught.value.errors


def test_context_builder_gives_plain_data(db, ready):
    context = build_context(db, ready, "nl")
    plain = context.to_dict()
    assert plain["lang"] == "nl"
    assert plain["dossier"]["estimated_value"] == 480000
    assert plain["dossier"]["main_cpv"]["label"] == "Reinigingsdiensten"
    assert plain["weights"]["total"] == 100
    assert plain["anti_dumping"]["applies"] is True
    assert [row["code"] for row in plain["checklist"]] == [c.code for c in context.clauses.all()]
    assert plain["lots"]["divided"] is False
    assert plain["lots"]["justification"] == [JUSTIFICATION_MISSING["nl"]]
    # The same data renders with the documents engine directly.
    rendered = render_document(builtin.template_path("complete", "nl"), context, lang="nl")
    assert rendered.data[:2] == b"PK"


def test_lots_section_comes_from_the_lots_package_when_it_has_one(db, ready, monkeypatch):
    import sys
    import types

    from portal.documents.context import Lots

    seen = {}

    def lots_section(session, dossier, lang, *, turnover_ratio=None):  # type: ignore[no-untyped-def]
        seen["call"] = (dossier.id, lang, turnover_ratio)
        return None  # "no lot plan saved"

    fake = types.ModuleType("portal.lots.services")
    fake.lots_section = lots_section  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "portal.lots.services", fake)
    context = build_context(db, ready, "fr")
    assert seen["call"][:2] == (ready.id, "fr")
    assert isinstance(context.lots, Lots) and context.lots.divided is False


# ------------------------------------------------------------------------------------------------
# Authorities' own templates


def _template_bytes(lang: str = "fr") -> bytes:
    return builtin.template_path("complete", lang).read_bytes()


def _with_tag(tag: str) -> bytes:
    """The built-in template with one extra paragraph holding ``tag``."""
    source = io.BytesIO(_template_bytes())
    document = docx.Document(source)
    document.add_paragraph(tag)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_manager_uploads_a_template_and_buyers_generate_with_it(db, ready, manager, buyer):
    template = services.upload_template(
        db,
        actor=manager,
        name="Modèle maison",
        kind="complete",
        filename="maison.docx",
        data=_template_bytes(),
        max_bytes=5 * 1024 * 1024,
    )
    db.commit()
    assert (template.version, template.is_active, template.authority_id) == (
        1,
        True,
        buyer.authority_id,
    )
    assert template.report["tag_count"] > 10
    assert "dossier" in template.report["sections"]
    offered = services.templates_for_dossier(db, ready, "complete")
    assert [t.id for t in offered] == [template.id]
    document = services.generate_documents(
        db, actor=buyer, dossier_id=ready.id, langs=["fr"], template_id=template.id
    )[0]
    assert (document.template_id, document.template_version) == (template.id, 1)
    assert document.template_name == "Modèle maison"
    assert document.template_sha256 == template.sha256


def test_a_second_upload_under_the_same_name_is_a_new_version(db, ready, manager):
    first = services.upload_template(
        db,
        actor=manager,
        name="Modèle",
        kind="complete",
        filename="a.docx",
        data=_template_bytes(),
        max_bytes=5 * 1024 * 1024,
    )
    second = services.upload_template(
        db,
        actor=manager,
        name="Modèle",
        kind="complete",
        filename="b.docx",
        data=_template_bytes("nl"),
        max_bytes=5 * 1024 * 1024,
    )
    db.commit()
    assert second.version == 2 and second.is_active
    db.refresh(first)
    assert first.is_active is False
    services.set_template_active(db, actor=manager, template_id=first.id, active=True)
    db.commit()
    db.refresh(second)
    assert first.is_active and not second.is_active


@pytest.mark.parametrize(
    "filename,data,expected",
    [
        ("macros.docm", b"PK\x03\x04 not really", "docm"),
        ("plain.docx", b"just text, not a zip", None),
        ("broken.docx", None, "nonexistent_variable"),
        ("syntax.docx", "syntax", None),
    ],
)
def test_rejected_uploads_store_nothing_and_say_why(db, ready, manager, filename, data, expected):
    if data is None:
        data = _with_tag("{{ dossier.nonexistent_variable }}")
    elif data == "syntax":
        data = _with_tag("{% if dossier.title %}unclosed")
    before = db.exec(select(AuthorityTemplate)).all()
    with pytest.raises(ValidationError) as caught:
        services.upload_template(
            db,
            actor=manager,
            name="Essai",
            kind="complete",
            filename=filename,
            data=data,
            max_bytes=5 * 1024 * 1024,
        )
    messages = " ".join(str(m) for m in caught.value.errors["file"])
    assert messages
    if expected:
        assert expected in messages
    db.rollback()
    assert db.exec(select(AuthorityTemplate)).all() == before


def test_an_oversized_upload_is_refused(db, ready, manager):
    with pytest.raises(ValidationError) as caught:
        services.upload_template(
            db,
            actor=manager,
            name="Gros",
            kind="complete",
            filename="gros.docx",
            data=_template_bytes(),
            max_bytes=1000,
        )
    assert "file" in caught.value.errors


def test_buyers_cannot_upload_or_use_another_authoritys_template(
    db, ready, buyer, other_buyer, make_user, authority
):
    from portal.accounts.models import Role
    from portal.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.upload_template(
            db,
            actor=buyer,
            name="X",
            kind="complete",
            filename="x.docx",
            data=_template_bytes(),
            max_bytes=5 * 1024 * 1024,
        )
    other_manager = make_user(Role.authority_manager, authority=authority("cpas-schaerbeek"))
    foreign = services.upload_template(
        db,
        actor=other_manager,
        name="CPAS",
        kind="complete",
        filename="cpas.docx",
        data=_template_bytes(),
        max_bytes=5 * 1024 * 1024,
    )
    db.commit()
    with pytest.raises(ValidationError) as caught:
        services.generate_documents(db, actor=buyer, dossier_id=ready.id, template_id=foreign.id)
    assert "template" in caught.value.errors


# ------------------------------------------------------------------------------------------------
# PDF


def test_pdf_is_not_offered_without_libreoffice(db, generated, buyer, tmp_path):
    from portal.documents import PdfConversionError

    missing = str(tmp_path / "no-libreoffice")
    assert pdf_available(missing) is False
    with pytest.raises(PdfConversionError):
        services.document_pdf(
            db,
            actor=buyer,
            dossier_id=generated["fr"].dossier_id,
            document_id=generated["fr"].id,
            libreoffice=missing,
        )


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
def test_a_generated_document_opens_in_libreoffice(db, generated, buyer):
    document, pdf = services.document_pdf(
        db,
        actor=buyer,
        dossier_id=generated["nl"].dossier_id,
        document_id=generated["nl"].id,
        libreoffice=None,
    )
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000
    assert document.id == generated["nl"].id


def test_stored_documents_are_valid_zip_packages(generated):
    for document in generated.values():
        with zipfile.ZipFile(io.BytesIO(document.content)) as archive:
            assert archive.testzip() is None
            names = archive.namelist()
        assert "word/document.xml" in names
        assert not any(re.search(r"vbaProject", n) for n in names)
    assert len(generated) == 2
    assert all(isinstance(d, GeneratedDocument) for d in generated.values())


def test_a_dossier_without_clauses_still_gives_a_clean_document(db, library, make_dossier, buyer):
    dossier = make_dossier(
        category="catering", main_cpv="55300000-3", additional_cpv=[], reference="EMPTY"
    )
    assert services.build_board(db, dossier).items == []
    documents = services.generate_documents(db, actor=buyer, dossier_id=dossier.id)
    assert [d.lang for d in documents] == ["fr", "nl"]
    for document in documents:
        xml = document_xml(document.content)
        assert "{{" not in xml and "{%" not in xml
        assert document.clause_versions == []
        assert _styled(_open(document.content), "Title") == [dossier.title]
