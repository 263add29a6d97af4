"""`flask --app portal demo load` is idempotent: a second run changes nothing."""

import sqlalchemy as sa
from sqlmodel import SQLModel

from portal.blueprints import import_models


def _snapshot(db) -> dict[str, list[tuple]]:
    import_models()
    snapshot = {}
    for table in SQLModel.metadata.sorted_tables:
        rows = db.execute(sa.select(table)).all()
        snapshot[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
    return snapshot


def test_demo_load_twice_changes_nothing(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    before = _snapshot(db)
    assert len(before["users"]) >= 12
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert "0 created" in second.output
    assert _snapshot(db) == before
