"""Benchmark POST /api/v1/lot-split end to end: 1,000 items in, the proposals out.

Run: ``.venv/bin/python bench/lot_split_api.py [--items 1000] [--runs 15] [--in-process]``.

It builds a throwaway SQLite database (migrated, reference data and thresholds loaded), serves
the portal with Werkzeug on 127.0.0.1 in a thread, and times whole HTTP requests with
``http.client``: sending the JSON body, parsing and validating it, running the advisor, wording
the checks in the request's language and serialising the answer. ``--in-process`` uses Flask's
test client instead (no socket). The items are bench/lot_split.py's "realistic" scenario (fixed
seed), so figures compare between runs. It prints the median and the 95th percentile; it does
not pass or fail.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lot_split import realistic  # noqa: E402

from portal import create_app  # noqa: E402
from portal.reference.services import municipality_by_name  # noqa: E402


def payload(count: int) -> bytes:
    """The request body: the realistic items as the API takes them."""
    items = []
    for item in realistic(count):
        entry = {
            "id": item.id,
            "description": item.description,
            "cpv": item.cpv,
            "value": str(item.value),
            "quantity": str(item.quantity),
            "unit": item.unit,
        }
        if item.place is not None:
            if municipality_by_name(item.place) is not None:
                entry["municipality"] = item.place
            else:
                entry["site"] = item.place
        if item.start is not None:
            entry["start"] = item.start.isoformat()
            entry["end"] = item.end.isoformat()
        items.append(entry)
    options = {
        "authority_kind": "sub_central",
        "contract_type": "services",
        "publication_date": "2027-03-15",
        "max_lots_per_tenderer": 3,
        "coordination_lot": True,
        "duration_months": 48,
    }
    return json.dumps({"items": items, "options": options}).encode()


def build_app(folder: Path):  # type: ignore[no-untyped-def]
    from alembic import command
    from alembic.config import Config

    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    root = Path(__file__).resolve().parent.parent
    cfg = Config(str(root / "alembic.ini"))
    cfg.set_main_option("script_location", str(root / "migrations"))
    cfg.attributes["database_url"] = url
    command.upgrade(cfg, "head")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" * 8, "RATELIMIT_ENABLED": False})
    with app.app_context():
        from portal.db import session_scope
        from portal.lots.services import sync_thresholds
        from portal.reference.services import sync_reference_data

        with session_scope() as session:
            sync_reference_data(session)
            sync_thresholds(session)
    return app


def time_http(app, body: bytes, runs: int) -> tuple[list[float], dict]:  # type: ignore[no-untyped-def]
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    headers = {"Content-Type": "application/json", "Accept-Language": "fr"}
    times: list[float] = []
    answer: dict = {}
    try:
        for _ in range(runs + 1):  # the first request warms caches (CPV list, catalogs)
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
            start = time.perf_counter()
            connection.request("POST", "/api/v1/lot-split", body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            times.append(time.perf_counter() - start)
            connection.close()
            if response.status != 200:
                raise SystemExit(f"HTTP {response.status}: {data[:500]!r}")
            answer = json.loads(data)
    finally:
        server.shutdown()
        thread.join(timeout=5)
    return times[1:], answer


def time_in_process(app, body: bytes, runs: int) -> tuple[list[float], dict]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    headers = {"Accept-Language": "fr"}
    times: list[float] = []
    answer: dict = {}
    for _ in range(runs + 1):
        start = time.perf_counter()
        response = client.post(
            "/api/v1/lot-split", data=body, content_type="application/json", headers=headers
        )
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"HTTP {response.status_code}: {response.data[:500]!r}")
        answer = response.get_json()
    return times[1:], answer


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--in-process", action="store_true", help="Flask test client, no socket")
    args = parser.parse_args()
    body = payload(args.items)
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        timer = time_in_process if args.in_process else time_http
        times, answer = timer(app, body, args.runs)
        app.extensions["portal.db"].engine.dispose()
    proposals = answer["proposals"]
    print(
        f"POST /api/v1/lot-split, {args.items} items, {len(body) / 1024:.0f} KiB in, "
        f"{'in process' if args.in_process else 'over HTTP'}, {args.runs} runs"
    )
    median, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
    print(f"  median {median:.0f} ms, p95 {p95:.0f} ms")
    print(
        "  proposals: "
        + ", ".join(
            f"{p['strategy']} {len(p['lots'])} lots (exact: {p['is_exact']})" for p in proposals
        )
    )


if __name__ == "__main__":
    main()
