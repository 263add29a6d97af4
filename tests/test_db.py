"""SQLite transactions: concurrent writing requests queue instead of failing as "locked"."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from portal.db import make_engine, sqlite_begin_statement


def test_reading_requests_begin_deferred_and_the_rest_immediate() -> None:
    app = Flask(__name__)
    for method in ("GET", "HEAD", "OPTIONS"):
        with app.test_request_context(method=method):
            assert sqlite_begin_statement() == "BEGIN"
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        with app.test_request_context(method=method):
            assert sqlite_begin_statement() == "BEGIN IMMEDIATE"
    with app.app_context():  # CLI commands and scripts write
        assert sqlite_begin_statement() == "BEGIN IMMEDIATE"


def test_concurrent_read_then_write_posts_all_succeed(tmp_path: Path) -> None:
    """Each request reads, works a little, then writes: the pattern of a login or a form post.

    With plain deferred BEGIN in WAL mode, all but the first writer fail at once with
    "database is locked" (their snapshot is stale); with BEGIN IMMEDIATE they wait their turn.
    """
    engine = make_engine(f"sqlite:///{tmp_path / 'concurrent.sqlite3'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE hits (id INTEGER PRIMARY KEY, seen INTEGER NOT NULL)")
    app = Flask(__name__)
    errors: list[BaseException] = []

    def post() -> None:
        try:
            with app.test_request_context(method="POST"), engine.begin() as conn:
                seen = conn.execute(sa.text("SELECT count(*) FROM hits")).scalar_one()
                time.sleep(0.03)
                conn.execute(sa.text("INSERT INTO hits (seen) VALUES (:seen)"), {"seen": seen})
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with engine.connect() as conn:
        seen = [row[0] for row in conn.execute(sa.text("SELECT seen FROM hits ORDER BY id"))]
    # The transactions were serialised: each saw every row committed before it.
    assert seen == list(range(8))
    engine.dispose()
