"""The real corpus of clauses/: it loads through `clauses sync`, exports back to the same bytes,
and `clauses stats` covers every category."""

from __future__ import annotations

import shutil
import subprocess
import sys

from portal.clauses import schema, services, sync
from portal.clauses.models import VersionStatus
from tests.conftest import PROJECT_ROOT


def test_corpus_syncs_and_exports_byte_identical(db, tmp_path):
    # A copy, so that files the content writers save meanwhile do not change the test's input.
    corpus = tmp_path / "corpus"
    shutil.copytree(sync.CORPUS_DIR, corpus)
    files, errors = schema.load_directory(corpus)
    assert errors == [], "\n".join(str(e) for e in errors)
    report = sync.sync_directory(db, corpus)
    assert len(report.created) == len(files) >= 20
    again = sync.sync_directory(db, corpus)
    assert again.changed == 0 and len(again.unchanged) == len(files)

    out = tmp_path / "export"
    exported = sync.export_directory(db, out)
    assert exported.problems == []
    assert len(exported.written) == len(files)
    different = [
        f"{f.code}.yaml"
        for f in files
        if (out / f"{f.code}.yaml").read_bytes() != (corpus / f"{f.code}.yaml").read_bytes()
    ]
    assert different == [], (
        "not in canonical form (run `python -m portal.clauses.schema --write clauses/`): "
        + ", ".join(different)
    )


def test_corpus_exercises_every_family_placement_and_parameter_type(db):
    files, _errors = schema.load_directory(sync.CORPUS_DIR)
    assert {f.family for f in files} >= {"environmental", "social", "pro_sme"}
    assert {p.type for f in files for p in f.parameters} >= {"percentage", "multichoice"}


def test_synced_corpus_is_searchable_and_served(db, client):
    report = sync.sync_directory(db, sync.CORPUS_DIR)
    db.commit()
    published = services.search_versions(db, services.SearchQuery(), per_page=5)
    assert published.total == len(report.created) - len(report.retired)
    assert all(v.status == VersionStatus.published for v in published.items)
    body = client.get("/api/v1/clauses?per_page=5").get_json()
    assert body["total"] == published.total


def test_stats_command_prints_every_category(app, db):
    sync.sync_directory(db, sync.CORPUS_DIR)
    db.commit()
    result = app.test_cli_runner().invoke(args=["clauses", "stats"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for category in sync.category_order():
        assert any(line.startswith(category + " ") for line in lines), category
    assert "families:" in result.output and "placements:" in result.output


def test_schema_command_still_checks_the_folder_without_a_database():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "portal.clauses.schema", str(sync.CORPUS_DIR)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid clause files, 0 with errors" in result.stdout
