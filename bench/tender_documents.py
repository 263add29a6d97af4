"""Benchmark of the tender builder: a complete Word document of 60 clauses and 10 lots, made
from a dossier through the context builder.

Prints figures; it is not a test and does not fail on time. Run it from the repository root:

    .venv/bin/python bench/tender_documents.py [--runs 30] [--lang fr]

Set-up (not timed): a throwaway SQLite database, migrated; the reference data; the clause
corpus of ``clauses/``; a buyer; a dossier whose CPV codes span several categories so that the
library proposes enough clauses; 60 of them chosen through the services, with parameter
defaults and award weights totalling 100. The lots section is the 10-lot section of the
documents engine's large example, handed in where ``portal.lots.services.lots_section`` would
give it: the lot-split advisor is benchmarked on its own (bench/lot_split.py), and this figure
is about the tender builder's own work.

Timings per run, interleaved after a warm-up:

* ``raw docxtpl``: ``DocxTemplate(complete.docx).render(plain dict)`` and ``save``, with the
  dict prepared once, in docxtpl's default environment with the same four filters;
* ``context (tender builder)``: :func:`portal.tenders.context.build_context` (queries of the
  dossier, its pinned versions and reference data; clause texts filled with their parameters;
  weights, checklist, declaration) and ``to_dict``;
* ``total``: context plus Clausier's rendering door (:func:`portal.documents.render_document`),
  i.e. what a buyer waits for when generating one file.

The overhead is ``context / raw docxtpl``; the target is at most 30 %. The target for the total
is under 0.5 s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docxtpl import DocxTemplate  # noqa: E402
from jinja2 import Environment  # noqa: E402

CLAUSES = 60
LOTS = 10
#: CPV codes of several categories, so that the library proposes more than 60 clauses.
CPV_CODES = [
    "90910000-9",  # cleaning
    "55300000-3",  # catering
    "30200000-1",  # IT hardware
    "45000000-7",  # construction works
    "39100000-3",  # furniture
    "34100000-8",  # vehicles
    "60100000-9",  # logistics
    "50700000-2",  # maintenance
    "45300000-0",  # renovation
    "30190000-7",  # office supplies
]


def _raw_environment() -> Environment:
    from portal.documents.environment import _date, _money, _number, _percent

    env = Environment(autoescape=True)
    env.filters.update(money=_money, number=_number, percent=_percent, date=_date)
    return env


def measure(runs: int, variants: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Time each variant ``runs`` times, interleaved after one warm-up; print median and p95."""
    for work in variants.values():
        work()
    times: dict[str, list[float]] = {label: [] for label in variants}
    for _ in range(runs):
        for label, work in variants.items():
            start = time.perf_counter()
            work()
            times[label].append(time.perf_counter() - start)
    medians = {}
    for label, values in times.items():
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        medians[label] = statistics.median(values)
        print(f"{label:<28} median {medians[label] * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms")
    return medians


def build_dossier(session: Any) -> Any:
    """A buyer's dossier with 60 chosen clauses and weights totalling 100."""
    from portal.accounts.models import Role
    from portal.accounts.services import create_user, use_fast_hashing
    from portal.clauses import sync
    from portal.reference.services import get_authority, sync_reference_data
    from portal.tenders import services

    use_fast_hashing()
    sync_reference_data(session)
    sync.sync_directory(session, sync.CORPUS_DIR)
    buyer = create_user(
        session,
        actor=None,
        email="bench.buyer@example.be",
        full_name="Bench Buyer",
        role=Role.buyer,
        password="bench-password-2026",
        authority_id=get_authority(session, "commune-ixelles").id,
    )
    dossier = services.create_dossier(
        session,
        actor=buyer,
        data={
            "title": "Entretien, restauration, équipement & rénovation des sites communaux",
            "subject": "Un marché de démonstration qui rassemble beaucoup de clauses.",
            "category": "cleaning",
            "main_cpv": CPV_CODES[0],
            "additional_cpv": CPV_CODES[1:],
            "estimated_value": "12500000",
            "contract_type": "services",
            "procedure": "open",
            "language": "both",
            "reference": "BENCH-60",
        },
    )
    board = services.build_board(session, dossier, with_diffs=False)
    # Every part of the tender, in turns, as a real dossier would mix them.
    chosen = [i for i in board.items if i.is_mandatory]
    queues = [[i for i in items if not i.is_mandatory] for _, items in board.groups]
    while len(chosen) < CLAUSES and any(queues):
        for queue in queues:
            if queue and len(chosen) < CLAUSES:
                chosen.append(queue.pop(0))
    if len(chosen) < CLAUSES:
        raise SystemExit(f"the corpus proposes only {len(chosen)} clauses for the dossier")
    awards = [i for i in chosen if i.is_award]
    share, extra = divmod(40, len(awards)) if awards else (0, 0)
    choices = {
        item.code: services.ClauseChoice(
            version_id=item.version.id,
            include=True,
            values={},
            weight=share + (1 if k < extra else 0) if item.is_award else None,
        )
        for k, item in enumerate(sorted(chosen, key=lambda i: (not i.is_award, i.code)))
    }
    price = 100 - sum(int(c.weight) for c in choices.values() if c.weight is not None)
    services.save_selection(
        session,
        actor=buyer,
        dossier_id=dossier.id,
        lock_version=dossier.lock_version,
        price_weight=price,
        choices=choices,
    )
    session.commit()
    return dossier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--lang", choices=["fr", "nl"], default="fr")
    args = parser.parse_args()

    from alembic import command

    from portal import create_app
    from portal.cli import alembic_config
    from portal.db import get_session
    from portal.documents import builtin, large_context, render_document
    from portal.documents.render import prepare_context
    from portal.tenders import context as tender_context

    with tempfile.TemporaryDirectory(prefix="clausier-bench-") as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" * 8, "TESTING": False})
        with app.app_context():
            command.upgrade(alembic_config(), "head")
            session = get_session()
            dossier = build_dossier(session)
            lots = large_context(args.lang, clauses=CLAUSES, lots=LOTS).lots
            # The lot-split advisor's section, as portal.lots.services.lots_section gives it.
            tender_context.lots_for = lambda _session, _dossier, _lang: lots  # type: ignore[assignment]

            template = builtin.template_path(builtin.COMPLETE.key, args.lang)
            source = template.read_bytes()
            built = tender_context.build_context(session, dossier, args.lang)
            plain = prepare_context(built.to_dict(), args.lang)
            raw_env = _raw_environment()
            print(
                f"Dossier {dossier.reference}: {len(built.clauses.all())} clauses, "
                f"{len(built.lots.lots)} lots (+ coordination lot), "
                f"{len(built.weights.criteria)} weighted award criteria, language {args.lang}."
            )

            def raw() -> None:
                document = DocxTemplate(io.BytesIO(source))
                document.render(plain, jinja_env=raw_env, autoescape=True)
                document.save(io.BytesIO())

            def context_only() -> None:
                session.expire_all()  # read the dossier again, as a request would
                tender_context.build_context(session, dossier, args.lang).to_dict()

            def total() -> None:
                session.expire_all()
                made = tender_context.build_context(session, dossier, args.lang)
                render_document(source, made, lang=args.lang)

            medians = measure(
                args.runs,
                {
                    "raw docxtpl": raw,
                    "context (tender builder)": context_only,
                    "total (context + render)": total,
                },
            )
            overhead = medians["context (tender builder)"] / medians["raw docxtpl"]
            print(
                f"Overhead of the context building: {overhead * 100:.0f} % of raw docxtpl "
                f"(target at most 30 %)."
            )
            print(
                f"Total for one complete document: {medians['total (context + render)']:.3f} s "
                f"(target under 0.5 s)."
            )
            session.close()
        app.extensions["portal.db"].engine.dispose()


if __name__ == "__main__":
    main()
