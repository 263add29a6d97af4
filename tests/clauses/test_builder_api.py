"""The service API the tender builder uses, and the diff between versions."""

from __future__ import annotations

import pytest

from portal.clauses import services
from portal.clauses.diff import diff_data, word_diff
from portal.clauses.vocabulary import Placement
from portal.errors import NotFound, ValidationError
from tests.clauses.conftest import LOC


def test_proposed_versions_are_grouped_by_placement(db, library):
    groups = services.proposed_versions(db, category="cleaning")
    assert list(groups) == list(Placement)
    assert [v.code for v in groups[Placement.technical_specification]] == ["CLEAN-ENV-901"]
    assert [v.code for v in groups[Placement.award]] == ["CLEAN-ENV-902"]
    assert [v.code for v in groups[Placement.performance]] == ["GEN-SOC-901"]
    assert groups[Placement.selection] == []


def test_proposed_versions_use_cpv_codes_too(db, library):
    groups = services.proposed_versions(db, category="it-hardware", cpv_codes=["39831000-6"])
    codes = sorted(v.code for vs in groups.values() for v in vs)
    assert codes == ["CLEAN-ENV-901", "CLEAN-ENV-902", "GEN-SOC-901"]
    with pytest.raises(ValidationError):
        services.proposed_versions(db, category="cleaning", cpv_codes=["99999999-9"])
    with pytest.raises(NotFound):
        services.proposed_versions(db, category="nope")


def test_version_document_renders_values_per_language(db, library):
    version = services.latest_published(db, "CLEAN-ENV-901")
    doc = services.version_document(
        db, version, {"share": "90", "labels": ["nordic_swan"], "months": 3}
    )
    assert doc["reference"] == "CLEAN-ENV-901 v1"
    assert doc["texts"]["fr"].startswith("Au moins 90\u00a0% des désinfectants")
    assert "Cygne nordique" in doc["texts"]["fr"] and "{{" not in doc["texts"]["fr"]
    assert doc["texts"]["nl"].startswith("Minstens 90%")
    assert doc["paragraphs"]["en"][1] == "The report is handed in every 3 months."
    share = doc["parameters"][0]
    assert share["value"] == 90 and share["formatted"]["en"] == "90%"
    assert doc["legal_basis"][0]["titles"]["fr"] == (
        "Loi du 17 juin 2016 relative aux marchés publics"
    )
    assert doc["verification"][0]["stage"] == "award"
    assert doc["placement"]["value"] == "technical_specification"
    assert doc["permalink"] == "/clauses/CLEAN-ENV-901/v/1"


def test_version_document_uses_defaults_and_checks_values(db, library):
    version = services.latest_published(db, "CLEAN-ENV-901")
    doc = services.version_document(db, version)
    assert (
        "80\u00a0%" in doc["texts"]["fr"] and "EU Ecolabel ou Cygne nordique" in doc["texts"]["fr"]
    )
    with pytest.raises(ValidationError) as exc:
        services.version_document(db, version, {"share": "120", "months": "1.5", "labels": "x"})
    assert set(exc.value.errors) == {"share", "months", "labels"}


def test_latest_published_detects_upgrades(db, library, curator, curator2):
    pinned = services.latest_published(db, "CLEAN-ENV-901")
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["parameters"][0]["default"] = 90
    data["change_note"] = LOC("Défaut 90 %.", "Standaard 90%.", "Default 90%.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    assert services.latest_published(db, "CLEAN-ENV-901").id == pinned.id
    services.submit_version(db, actor=curator, version_id=draft.id)
    services.publish_version(db, actor=curator2, version_id=draft.id)
    newest = services.latest_published(db, "CLEAN-ENV-901")
    assert newest.number == 2 > pinned.number
    changes = {(d.key, d.lang) for d in services.diff_versions(db, pinned, newest) if d.changed}
    assert changes == {
        ("parameters", "fr"),
        ("parameters", "nl"),
        ("parameters", "en"),
        ("change_note", "fr"),
        ("change_note", "nl"),
        ("change_note", "en"),
    }


def test_word_diff_marks_deleted_and_inserted_words():
    old, new = word_diff("Au moins 80 % des produits", "Au minimum 90 % des produits")
    assert [(s.op, s.text) for s in old] == [
        ("equal", "Au "),
        ("delete", "moins 80"),
        ("equal", " % des produits"),
    ]
    assert [(s.op, s.text) for s in new] == [
        ("equal", "Au "),
        ("insert", "minimum 90"),
        ("equal", " % des produits"),
    ]


def test_diff_covers_every_field_per_language(db, library):
    a = services.data_of(db, services.latest_published(db, "CLEAN-ENV-901"))
    b = services.data_of(db, services.latest_published(db, "CLEAN-ENV-901"))
    b["text"]["nl"] = b["text"]["nl"].replace("Minstens", "Ten minste")
    b["guidance"]["market_readiness"] = "emerging"
    b["legal_basis"].append({"instrument": "ord_2014_env", "article": "art. 4"})
    rows = {(d.key, d.lang): d for d in diff_data(a, b)}
    assert rows[("text", "nl")].changed and not rows[("text", "fr")].changed
    assert rows[("guidance.market_readiness", None)].changed
    assert all(rows[("legal_basis", lang)].changed for lang in ("fr", "nl", "en"))
    assert "Ordonnance bruxelloise" in rows[("legal_basis", "fr")].new
    inserted = [s.text for s in rows[("text", "nl")].new_segments if s.op == "insert"]
    assert inserted == ["Ten minste"]
    assert not rows[("title", "en")].changed
