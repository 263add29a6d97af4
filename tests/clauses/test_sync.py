"""`clauses sync`, `export` and `stats`: all or nothing, idempotent, exact round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from portal.audit.models import AuditEvent
from portal.clauses import schema, services, sync
from portal.clauses.models import Clause, ClauseVersion, VersionStatus
from portal.errors import ValidationError
from portal.reference.models import CategoryCpv, ProcurementCategory
from tests.clauses.conftest import LOC, award_data, clause_data, write_corpus


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.exec(select(sa.func.count()).select_from(model)).one()


def test_new_files_become_published_version_one(db, load_clauses):
    report = load_clauses(clause_data(), award_data())
    assert sorted(report.created) == ["CLEAN-ENV-901", "CLEAN-ENV-902"]
    versions = db.exec(select(ClauseVersion).order_by(ClauseVersion.code)).all()
    assert [(v.code, v.number, v.status) for v in versions] == [
        ("CLEAN-ENV-901", 1, VersionStatus.published),
        ("CLEAN-ENV-902", 1, VersionStatus.published),
    ]
    assert versions[1].award_weight_suggested == 10


def test_second_sync_changes_nothing(db, load_clauses, corpus_dir):
    load_clauses(clause_data(), award_data())
    before = (_count(db, ClauseVersion), _count(db, AuditEvent))
    report = sync.sync_directory(db, corpus_dir)
    assert report.changed == 0
    assert sorted(report.unchanged) == ["CLEAN-ENV-901", "CLEAN-ENV-902"]
    assert (_count(db, ClauseVersion), _count(db, AuditEvent)) == before


def test_changed_file_becomes_a_new_version_with_its_note(db, load_clauses):
    load_clauses(clause_data())
    changed = clause_data(
        ambition="advanced",
        change_note=LOC("Ambition relevée.", "Ambitie verhoogd.", "Ambition raised."),
    )
    report = load_clauses(changed)
    assert report.updated == ["CLEAN-ENV-901"]
    new = services.latest_published(db, "CLEAN-ENV-901")
    old = services.get_version(db, "CLEAN-ENV-901", 1)
    assert new.number == 2 and new.change_note_fr == "Ambition relevée."
    assert old.status == VersionStatus.superseded


def test_changed_file_with_the_same_change_note_is_refused(db, load_clauses, corpus_dir):
    load_clauses(clause_data())
    write_corpus(corpus_dir, clause_data(ambition="ambitious"))
    with pytest.raises(sync.SyncError) as exc:
        sync.sync_directory(db, corpus_dir)
    (problem,) = exc.value.problems
    assert problem.file == "CLEAN-ENV-901.yaml" and "change_note" in problem.errors
    assert _count(db, ClauseVersion) == 1


def test_one_bad_file_loads_nothing_and_names_file_and_field(db, corpus_dir):
    write_corpus(corpus_dir, clause_data(), award_data())
    bad = corpus_dir / "CLEAN-SOC-901.yaml"
    data = clause_data("CLEAN-SOC-901")
    text = schema.dump(schema.ClauseFile.model_validate(data)).replace(
        "placement: technical_specification", "placement: somewhere"
    )
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(sync.SyncError) as exc:
        sync.sync_directory(db, corpus_dir)
    lines = [line for p in exc.value.problems for line in p.lines()]
    assert any(line.startswith("CLEAN-SOC-901.yaml: placement:") for line in lines)
    assert _count(db, Clause) == 0 and _count(db, ClauseVersion) == 0


def test_sync_before_the_reference_data_says_so_and_loads_nothing(db, corpus_dir):
    write_corpus(corpus_dir, clause_data())
    db.exec(sa.delete(CategoryCpv))
    db.exec(sa.delete(ProcurementCategory))
    with pytest.raises(sync.SyncError) as exc:
        sync.sync_directory(db, corpus_dir)
    (problem,) = exc.value.problems
    assert problem.file == "(database)"
    assert "reference sync" in problem.lines()[0]
    assert _count(db, ClauseVersion) == 0


def test_a_check_against_the_database_names_the_file_and_loads_nothing(db, corpus_dir, monkeypatch):
    write_corpus(corpus_dir, clause_data(), award_data())
    real = services._category_ids

    def refuse_second(session, codes):  # type: ignore[no-untyped-def]
        if session.exec(select(sa.func.count()).select_from(Clause)).one() > 1:
            raise ValidationError.single("categories", "Unknown categories: cleaning.")
        return real(session, codes)

    monkeypatch.setattr(services, "_category_ids", refuse_second)
    with pytest.raises(sync.SyncError) as exc:
        sync.sync_directory(db, corpus_dir)
    (problem,) = exc.value.problems
    assert problem.file == "CLEAN-ENV-902.yaml" and "categories" in problem.errors
    db.rollback()
    assert _count(db, Clause) == 0 and _count(db, ClauseVersion) == 0


def test_markup_in_a_file_is_refused(db, corpus_dir):
    write_corpus(corpus_dir, clause_data())
    path = corpus_dir / "CLEAN-ENV-901.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Désinfectants biodégradables", "<script>alert(1)</script>"
        ),
        encoding="utf-8",
    )
    with pytest.raises(sync.SyncError) as exc:
        sync.sync_directory(db, corpus_dir)
    assert "title.fr" in exc.value.problems[0].errors
    assert _count(db, ClauseVersion) == 0


def test_retired_flag_retires_the_clause(db, load_clauses):
    load_clauses(clause_data())
    report = load_clauses(clause_data(retired=True))
    assert report.retired == ["CLEAN-ENV-901"]
    assert services.latest_published(db, "CLEAN-ENV-901") is None
    assert services.get_version(db, "CLEAN-ENV-901", 1).status == VersionStatus.retired


def test_sync_does_not_retire_a_mandatory_clause(db, load_clauses, corpus_dir, coordinator):
    from datetime import date

    load_clauses(clause_data())
    services.mark_mandatory(
        db, actor=coordinator, code="CLEAN-ENV-901", category="cleaning", applies_from=date.today()
    )
    db.commit()
    write_corpus(corpus_dir, clause_data(retired=True))
    with pytest.raises(sync.SyncError) as exc:
        sync.sync_directory(db, corpus_dir)
    assert "ask the coordinator to lift the mandatory rule" in str(exc.value)
    db.rollback()
    assert services.latest_published(db, "CLEAN-ENV-901") is not None


def test_a_stale_file_does_not_undo_the_helpdesk(db, load_clauses, corpus_dir, curator, curator2):
    load_clauses(clause_data())
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["ambition"] = "advanced"
    data["change_note"] = LOC("Relevé.", "Verhoogd.", "Raised.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    services.publish_version(db, actor=curator2, version_id=draft.id)
    db.commit()
    report = sync.sync_directory(db, corpus_dir)
    assert report.changed == 0
    assert [code for code, _msg in report.warnings] == ["CLEAN-ENV-901"]
    assert services.latest_published(db, "CLEAN-ENV-901").number == 2


def test_file_of_a_clause_with_an_open_draft_is_refused(db, load_clauses, corpus_dir, curator):
    load_clauses(clause_data())
    services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    db.commit()
    write_corpus(
        corpus_dir,
        clause_data(ambition="advanced", change_note=LOC("Autre.", "Ander.", "Other.")),
    )
    with pytest.raises(sync.SyncError) as exc:
        sync.sync_directory(db, corpus_dir)
    assert "code" in exc.value.problems[0].errors


def test_export_writes_what_was_synced_byte_for_byte(db, load_clauses, corpus_dir, tmp_path):
    load_clauses(clause_data(), award_data())
    out = tmp_path / "export"
    report = sync.export_directory(db, out)
    assert sorted(report.written) == ["CLEAN-ENV-901", "CLEAN-ENV-902"] and not report.problems
    for path in corpus_dir.glob("*.yaml"):
        assert (out / path.name).read_bytes() == path.read_bytes()
    again = sync.export_directory(db, out)
    assert again.written == [] and len(again.unchanged) == 2


def test_export_reports_versions_without_english(db, load_clauses, tmp_path, curator, curator2):
    load_clauses(clause_data())
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["text"]["en"] = ""
    data["change_note"] = LOC("Sans anglais.", "Zonder Engels.", "")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    services.publish_version(db, actor=curator2, version_id=draft.id)
    report = sync.export_directory(db, tmp_path / "out")
    assert report.written == []
    assert report.problems[0].file == "CLEAN-ENV-901.yaml"
    assert not (tmp_path / "out" / "CLEAN-ENV-901.yaml").exists()


def test_cli_sync_reports_errors_by_file_and_field(app, db, corpus_dir):
    write_corpus(corpus_dir, clause_data())
    (corpus_dir / "CLEAN-ENV-902.yaml").write_text("code: [unclosed\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["clauses", "sync", str(corpus_dir)])
    assert result.exit_code != 0
    assert "CLEAN-ENV-902.yaml: (file): invalid YAML" in result.output
    assert "nothing was loaded" in result.output
    assert _count(db, ClauseVersion) == 0


def test_cli_sync_then_stats_and_export(app, db, corpus_dir, tmp_path):
    write_corpus(corpus_dir, clause_data(), award_data())
    runner = app.test_cli_runner()
    first = runner.invoke(args=["clauses", "sync", str(corpus_dir)])
    assert first.exit_code == 0, first.output
    assert "2 created, 0 new versions, 0 retired, 0 unchanged." in first.output
    second = runner.invoke(args=["clauses", "sync", str(corpus_dir)])
    assert "0 created, 0 new versions, 0 retired, 2 unchanged." in second.output
    stats = runner.invoke(args=["clauses", "stats"])
    assert stats.exit_code == 0
    cleaning = next(line for line in stats.output.splitlines() if line.startswith("cleaning "))
    assert cleaning.split()[1] == "2"  # two environmental clauses for cleaning
    assert "2 published clauses" in stats.output
    out = tmp_path / "out"
    export = runner.invoke(args=["clauses", "export", str(out)])
    assert export.exit_code == 0 and "2 written" in export.output
    assert sorted(p.name for p in Path(out).glob("*.yaml")) == [
        "CLEAN-ENV-901.yaml",
        "CLEAN-ENV-902.yaml",
    ]


def test_stats_from_files_lists_gaps(corpus_dir):
    write_corpus(corpus_dir, clause_data())
    facts, errors = sync.facts_from_files(corpus_dir)
    cov = sync.coverage(facts, sync.category_order())
    text = sync.format_coverage(cov)
    assert not errors and cov.total == 1
    assert "  cleaning: social" in text and "  cleaning: environmental" not in text
