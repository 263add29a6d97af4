"""``flask --app portal documents render`` and the tender builder's demo data."""

from __future__ import annotations

import io

import docx
import pytest
from sqlmodel import select

from portal.clauses.models import ClauseVersion
from portal.cli import load_demo
from portal.reference.models import ContractingAuthority
from portal.tenders import services
from portal.tenders.context import pinned_clauses
from portal.tenders.demo import CLEANING_REFERENCE
from portal.tenders.models import AuthorityTemplate, Dossier, GeneratedDocument
from tests.tenders.conftest import document_xml


def test_render_writes_the_document(app, db, library, make_dossier, select_all, tmp_path):
    dossier = make_dossier()
    select_all(dossier)
    out = tmp_path / "dossier.docx"
    result = app.test_cli_runner().invoke(
        args=[
            "documents",
            "render",
            "--dossier",
            str(dossier.id),
            "--out",
            str(out),
            "--lang",
            "nl",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "sha256" in result.output
    opened = docx.Document(str(out))
    assert [p.text for p in opened.paragraphs if p.style.name == "Title"] == [dossier.title]
    # The CLI and the pages give the same bytes for the same dossier.
    stored = services.generate_documents(
        db, actor=_buyer(db, dossier), dossier_id=dossier.id, langs=["nl"]
    )[0]
    assert out.read_bytes() == stored.content


def _buyer(db, dossier):  # type: ignore[no-untyped-def]
    from portal.accounts.models import User

    return db.get(User, dossier.created_by_id)


def test_render_one_section_defaults_to_the_dossiers_language(
    app, library, make_dossier, select_all, tmp_path
):
    dossier = make_dossier(language="nl", reference="NL-ONLY")
    select_all(dossier)
    out = tmp_path / "section.docx"
    result = app.test_cli_runner().invoke(
        args=[
            "documents",
            "render",
            "--dossier",
            str(dossier.id),
            "--out",
            str(out),
            "--section",
            "verification_checklist",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "verification_checklist, nl" in result.output
    assert "{{" not in document_xml(out.read_bytes())


def test_render_refuses_an_unknown_dossier(app, db, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["documents", "render", "--dossier", "987654", "--out", str(tmp_path / "x.docx")]
    )
    assert result.exit_code != 0
    assert "There is no dossier 987654." in result.output
    assert not (tmp_path / "x.docx").exists()


def test_render_refuses_weights_that_do_not_total_100(
    app, library, make_dossier, select_all, tmp_path
):
    dossier = make_dossier()
    select_all(dossier, price_weight="50")
    result = app.test_cli_runner().invoke(
        args=[
            "documents",
            "render",
            "--dossier",
            str(dossier.id),
            "--out",
            str(tmp_path / "x.docx"),
        ]
    )
    assert result.exit_code != 0
    assert "cannot be rendered yet" in result.output
    assert "The award weights total 75, not 100" in result.output


def test_render_refuses_an_unknown_section(app, library, make_dossier, tmp_path):
    dossier = make_dossier()
    result = app.test_cli_runner().invoke(
        args=[
            "documents",
            "render",
            "--dossier",
            str(dossier.id),
            "--out",
            str(tmp_path / "x.docx"),
            "--section",
            "nothing",
        ]
    )
    assert result.exit_code == 2
    assert "nothing" in result.output


# ------------------------------------------------------------------------------------------------
# Demo data


@pytest.fixture()
def demo(app, db):  # type: ignore[no-untyped-def]
    with app.app_context():
        load_demo()
    return db


def test_demo_dossiers_cover_several_authorities_and_categories(demo):
    dossiers = demo.exec(select(Dossier)).all()
    authorities = {demo.get(ContractingAuthority, d.authority_id).code for d in dossiers}
    assert {"commune-ixelles", "cpas-schaerbeek", "bruxelles-environnement"} <= authorities
    assert {d.contract_type.value for d in dossiers} == {"works", "supplies", "services"}
    for dossier in dossiers:
        assert services.generation_problems(demo, dossier) == [], dossier.reference
        assert len(pinned_clauses(demo, dossier)) >= 5, dossier.reference


def test_demo_cleaning_dossier_fills_every_section(demo):
    dossier = demo.exec(select(Dossier).where(Dossier.reference == CLEANING_REFERENCE)).one()
    placements = {p.version.placement.value for p in pinned_clauses(demo, dossier)}
    assert placements == {
        "procedure",
        "exclusion",
        "selection",
        "technical_specification",
        "award",
        "performance",
    }
    families = {p.version.family.value for p in pinned_clauses(demo, dossier)}
    assert "anti_social_dumping" in families
    board = services.build_board(demo, dossier)
    assert board.weights_total == 100
    assert board.undecided == []
    assert any(i.is_mandatory and i.selection.is_included for i in board.items)
    documents = demo.exec(
        select(GeneratedDocument).where(GeneratedDocument.dossier_id == dossier.id)
    ).all()
    assert sorted(d.lang for d in documents) == ["fr", "nl"]
    assert all(d.kind == "complete" for d in documents)
    version_ids = {c["version_id"] for c in documents[0].clause_versions}
    assert all(demo.get(ClauseVersion, v) is not None for v in version_ids)


def test_demo_has_an_ixelles_template(demo):
    template = demo.exec(select(AuthorityTemplate)).one()
    authority = demo.get(ContractingAuthority, template.authority_id)
    assert authority.code == "commune-ixelles"
    assert template.is_active and template.report["tag_count"] > 0


def test_demo_procedure_clauses_reach_section_4_with_their_values(demo):
    cleaning = demo.exec(select(Dossier).where(Dossier.reference == CLEANING_REFERENCE)).one()
    pinned = pinned_clauses(demo, cleaning)
    first = pinned[0]
    assert first.version.placement.value == "procedure"  # tender order: the procedure first
    document = demo.exec(
        select(GeneratedDocument).where(
            GeneratedDocument.dossier_id == cleaning.id, GeneratedDocument.lang == "fr"
        )
    ).one()
    opened = docx.Document(io.BytesIO(document.content))
    order = [
        (p.style.name, p.text)
        for p in opened.paragraphs
        if p.style.name in ("Heading 1", "Heading 3")
    ]
    at = order.index(("Heading 3", first.version.title_fr))
    section = [text for style, text in order[:at] if style == "Heading 1"][-1]
    assert section == "Modalités de la procédure, lots et accès des PME"

    renovation = demo.exec(select(Dossier).where(Dossier.reference == "IXL-2027-RENO-07")).one()
    by_code = {p.version.code: p for p in pinned_clauses(demo, renovation)}
    assert by_code["RENO-SME-001"].version.placement.value == "selection"


def test_demo_dossiers_do_not_contradict_themselves(demo):
    cleaning = demo.exec(select(Dossier).where(Dossier.reference == CLEANING_REFERENCE)).one()
    codes = {p.version.code for p in pinned_clauses(demo, cleaning)}
    # Window cleaning is part of the building lots: no clause puts it in a lot of its own.
    sme = next(p for p in pinned_clauses(demo, cleaning) if p.version.code == "CLEAN-SME-001")
    assert sme.selection.parameter_values["separate_lots"] == ["consumables"]
    assert "CLEAN-SME-001" in codes
    assert [str(w) for w in services.lot_warnings(demo, cleaning)] == []
    renovation = demo.exec(select(Dossier).where(Dossier.reference == "IXL-2027-RENO-07")).one()
    # Not a framework agreement: no framework clause divided by technique.
    assert "RENO-SME-002" not in {p.version.code for p in pinned_clauses(demo, renovation)}
    for dossier in demo.exec(select(Dossier)).all():
        assert services.procedure_warnings(demo, dossier) == [], dossier.reference
        assert services.language_warnings(dossier) == [], dossier.reference
