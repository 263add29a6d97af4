"""Benchmark: catalogue search and /api/v1/clauses?q=... with 10,000 then 20,000 clauses.

Not a test: it prints figures. It builds a throwaway database (SQLite in a temporary folder,
and PostgreSQL too when a server URL is given), migrates it, loads the reference data, generates
clauses with French, Dutch and English titles and texts, and then times, through the Flask test
client (the whole request: routing, session, query, template or JSON):

- ``/clauses?q=...`` (the catalogue page), with and without filters, several pages;
- ``/api/v1/clauses?q=...``;
- ``/healthz`` (one trivial query), as the yardstick of the app's own overhead;

and prints p50 and p95 per endpoint, and the ratio of each p95 to the p95 of /healthz. It then
doubles the library to 20,000 clauses and measures again, to show that doubling the library
does not double the latency.

Usage::

    .venv/bin/python bench/clause_search.py [--requests 400] [--postgres URL]

``--postgres`` takes a server URL whose user may create databases, for example
``postgresql+psycopg://postgres@127.0.0.1:55433/postgres``; the benchmark creates its own
database there and drops it at the end.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from portal import create_app  # noqa: E402
from portal.clauses import search  # noqa: E402
from portal.clauses.models import (  # noqa: E402
    Clause,
    ClauseVersion,
    ClauseVersionCategory,
    ClauseVersionCpv,
)
from portal.clauses.schema import CATEGORY_PREFIXES  # noqa: E402
from portal.clauses.vocabulary import (  # noqa: E402
    Ambition,
    CostEffect,
    Facilitator,
    Family,
    MarketReadiness,
    Placement,
)

WORD_POOLS = {
    "fr": (
        "soumissionnaire adjudicataire pouvoir adjudicateur marché lot offre critère attribution "
        "sélection exécution clause label écolabel équivalent certificat preuve déclaration "
        "honneur nettoyage produits entretien restauration repas biologique saison emballage "
        "déchets réemploi réparation garantie énergie consommation véhicule électrique vélo cargo "
        "livraison chantier matériaux rénovation isolation bois certifié mobilier seconde main "
        "textile coton commerce équitable insertion demandeurs emploi formation apprentis "
        "stagiaires sous-traitance chaîne transparence détachement travailleurs présence salaires "
        "cotisations prix anormalement bas observatoire petites entreprises groupement capacité "
        "chiffre affaires références acompte paiement délai visite information innovation "
        "variante performance fonctionnelle consultation marché accessibilité égalité genre "
        "conventions fondamentales droits humains fournisseurs contrôle inspection rapport annuel "
        "registre volume achat pourcentage minimum"
    ),
    "nl": (
        "inschrijver opdrachtnemer aanbestedende overheid opdracht perceel offerte criterium "
        "gunning selectie uitvoering clausule keurmerk milieukeurmerk gelijkwaardig certificaat "
        "bewijs verklaring erewoord schoonmaak producten onderhoud catering maaltijden biologisch "
        "seizoen verpakking afval hergebruik herstelling garantie energie verbruik voertuig "
        "elektrisch bakfiets levering werf materialen renovatie isolatie hout gecertificeerd "
        "meubilair tweedehands textiel katoen eerlijke handel inschakeling werkzoekenden "
        "opleiding leerlingen stagiairs onderaanneming keten transparantie detachering werknemers "
        "aanwezigheid lonen bijdragen abnormaal lage prijs observatorium kleine ondernemingen "
        "combinatie draagkracht omzet referenties voorschot betaling termijn bezoek informatie "
        "innovatie variante prestatie functioneel marktconsultatie toegankelijkheid gelijkheid "
        "gender fundamentele verdragen mensenrechten leveranciers controle inspectie verslag "
        "jaarlijks register volume aankoop percentage minimum"
    ),
    "en": (
        "tenderer contractor contracting authority contract lot tender criterion award selection "
        "performance clause label ecolabel equivalent certificate evidence declaration honour "
        "cleaning products maintenance catering meals organic seasonal packaging waste reuse "
        "repair warranty energy consumption vehicle electric cargo bike delivery site materials "
        "renovation insulation certified wood furniture second-hand textile cotton fair trade "
        "insertion jobseekers training apprentices interns subcontracting chain transparency "
        "posting workers presence wages contributions abnormally low price observatory small "
        "enterprises grouping capacity turnover references advance payment period visit "
        "information innovation variant functional market consultation accessibility equality "
        "gender fundamental conventions human rights suppliers control inspection report yearly "
        "register volume purchase percentage minimum"
    ),
}
WORDS = {lang: pool.split() for lang, pool in WORD_POOLS.items()}
#: Searches a buyer would type: common and rare words, several languages, a few filters.
QUERIES = [
    {"q": "nettoyage"},
    {"q": "écolabel équivalent"},
    {"q": "schoonmaak producten"},
    {"q": "keurmerk"},
    {"q": "cargo bike delivery"},
    {"q": "sous-traitance transparence"},
    {"q": "onderaanneming"},
    {"q": "fair trade cotton"},
    {"q": "insertion demandeurs emploi", "family": "social"},
    {"q": "omzet referenties", "family": "pro_sme"},
    {"q": "prix anormalement bas", "category": "construction-works"},
    {"q": "biologisch seizoen", "category": "catering"},
    {"q": "energy consumption", "placement": "award"},
    {"q": "garantie réparation", "ambition": "ambitious"},
    {"q": "certificat", "cpv": "90911200-8"},
    {"q": "label", "page": "3"},
    {"q": "mobilier seconde main"},
    {"q": "isolatie hout"},
    {"q": "accessibility gender equality"},
    {"q": "variante performance fonctionnelle"},
    {"q": "zzzyxq"},
    {"q": "minimum"},
    {"q": "soumissionnaire"},  # general words: in most clauses, the most ranking work
    {"q": "offerte criterium"},
    {"q": "contract award", "family": "environmental"},
    {"category": "cleaning"},
    {"family": "environmental", "page": "2"},
]


#: The first words of each pool are the procurement vocabulary every clause uses; the rest are
#: topic words, of which each generated clause uses a handful. So, as in the real corpus, a
#: topic word ("écolabel", "onderaanneming") occurs in a few percent of the clauses and a
#: general word ("soumissionnaire") in most of them: queries of both kinds are timed.
GENERAL = 12


def topic(rng: random.Random) -> list[int]:
    return rng.sample(range(GENERAL, len(WORDS["en"])), k=8)


def sentence(rng: random.Random, lang: str, n: int, words: list[int]) -> str:
    pool = WORDS[lang]
    picked = [
        pool[rng.randrange(GENERAL)] if rng.random() < 0.3 else pool[rng.choice(words) % len(pool)]
        for _ in range(n)
    ]
    return " ".join(picked).capitalize() + "."


def text(rng: random.Random, lang: str, words: list[int]) -> str:
    return "\n\n".join(
        " ".join(sentence(rng, lang, rng.randint(8, 18), words) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(2, 3))
    )


LOCAL = {"fr": "Voir le cahier spécial des charges.", "nl": "Zie het bestek.", "en": "See specs."}


def generate(session: Any, start: int, count: int, seed: int) -> None:
    """Insert ``count`` published clauses (codes BENCH-xxx), indexed for search."""
    rng = random.Random(seed)
    categories = dict(session.execute(sa.text("SELECT code, id FROM procurement_categories")).all())
    cpv_pool = [
        c for (c,) in session.execute(sa.text("SELECT code FROM cpv_codes WHERE level >= 5"))
    ][:4000]
    families, placements, ambitions = list(Family), list(Placement), list(Ambition)
    now = datetime.now(UTC)
    clause_rows, version_rows, cat_rows, cpv_rows = [], [], [], []
    next_clause = (
        session.execute(sa.text("SELECT coalesce(max(id), 0) FROM clauses")).scalar()
    ) + 1
    next_version = (
        session.execute(sa.text("SELECT coalesce(max(id), 0) FROM clause_versions")).scalar()
    ) + 1
    for i in range(start, start + count):
        family = families[i % len(families)]
        cats = rng.sample(list(CATEGORY_PREFIXES), k=rng.choice((1, 1, 1, 2)))
        prefix = CATEGORY_PREFIXES[cats[0]] if len(cats) == 1 else "GEN"
        code = f"{prefix}-{family.code_suffix}-{i:06d}"  # longer than real codes: never clash
        clause_id, version_id = next_clause, next_version
        next_clause += 1
        next_version += 1
        placement = rng.choice(placements)
        clause_rows.append(
            {"id": clause_id, "code": code, "family": family.value, "created_at": now}
        )
        row = {
            "id": version_id,
            "clause_id": clause_id,
            "code": code,
            "number": 1,
            "status": "published",
            "lock_version": 1,
            "family": family.value,
            "placement": placement.value,
            "ambition": rng.choice(ambitions).value,
            "facilitator": rng.choice(list(Facilitator)).value,
            "parameters": [],
            "award_weight_min": 5 if placement == Placement.award else None,
            "award_weight_max": 20 if placement == Placement.award else None,
            "award_weight_suggested": 10 if placement == Placement.award else None,
            "verification": [
                {
                    "evidence": "declaration",
                    "stage": "award",
                    "what": dict(LOCAL),
                    "how": dict(LOCAL),
                }
            ],
            "guidance": {
                "when_to_use": dict(LOCAL),
                "market_readiness": "available",
                "market": dict(LOCAL),
                "cost_effect": "neutral",
                "cost": dict(LOCAL),
                "pitfalls": dict(LOCAL),
                "reviewed_on": "2026-06-01",
            },
            "market_readiness": MarketReadiness.available.value,
            "cost_effect": CostEffect.neutral.value,
            "guidance_reviewed_on": date(2026, 6, 1),
            "legal_basis": [{"instrument": "law_2016", "article": "art. 81"}],
            "created_at": now,
            "updated_at": now,
            "published_at": now,
            "fr_changed_at": now,
            "nl_changed_at": now,
            "en_changed_at": now,
        }
        words = topic(rng)
        for lang in ("fr", "nl", "en"):
            row[f"title_{lang}"] = sentence(rng, lang, rng.randint(3, 7), words).rstrip(".")
            row[f"text_{lang}"] = text(rng, lang, words)
            row[f"change_note_{lang}"] = LOCAL[lang]
            row[f"award_scoring_{lang}"] = LOCAL[lang] if placement == Placement.award else ""
        version_rows.append(row)
        for position, cat in enumerate(cats):
            cat_rows.append(
                {"version_id": version_id, "category_id": categories[cat], "position": position}
            )
        if rng.random() < 0.3:
            cpv_rows.append(
                {"version_id": version_id, "cpv_code": rng.choice(cpv_pool), "position": 0}
            )
    session.execute(sa.insert(Clause.__table__), clause_rows)
    session.execute(sa.insert(ClauseVersion.__table__), version_rows)
    session.execute(sa.insert(ClauseVersionCategory.__table__), cat_rows)
    session.execute(sa.insert(ClauseVersionCpv.__table__), cpv_rows)
    session.execute(
        sa.text(
            "UPDATE clauses SET current_version_id = (SELECT v.id FROM clause_versions v "
            "WHERE v.clause_id = clauses.id) WHERE current_version_id IS NULL"
        )
    )
    session.flush()
    versions = session.scalars(
        sa.select(ClauseVersion).where(ClauseVersion.id >= version_rows[0]["id"])
    ).all()
    search.index_many(session, versions)
    session.expunge_all()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(get: Callable[[str], Any], urls: list[str], requests: int) -> list[float]:
    for url in urls[:10]:  # warm-up: caches, prepared statements, templates
        get(url)
    timings = []
    for i in range(requests):
        url = urls[i % len(urls)]
        start = time.perf_counter()
        response = get(url)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return timings


def urls_for(base: str) -> list[str]:
    from urllib.parse import urlencode

    return [f"{base}?{urlencode(q)}" for q in QUERIES]


def run_round(app: Any, label: str, requests: int) -> dict[str, tuple[float, float]]:
    client = app.test_client()
    results = {}
    for name, urls in (
        ("/healthz", ["/healthz"]),
        ("/clauses?q=...", urls_for("/clauses")),
        ("/api/v1/clauses?q=...", urls_for("/api/v1/clauses")),
    ):
        timings = measure(client.get, urls, requests)
        results[name] = (percentile(timings, 0.50), percentile(timings, 0.95))
    counts = []
    for word in ("soumissionnaire", "%C3%A9colabel"):
        body = client.get(f"/api/v1/clauses?q={word}&per_page=1").get_json()
        counts.append(f"{body['total']:,}{'' if body['total_exact'] else '+'}")
    print(f"\n  (matches: 'soumissionnaire' {counts[0]}, 'écolabel' {counts[1]})", end="")
    health95 = results["/healthz"][1]
    print(f"\n{label}")
    print(f"  {'endpoint':<26}{'p50 ms':>9}{'p95 ms':>9}{'p95 / healthz p95':>20}")
    for name, (p50, p95) in results.items():
        print(f"  {name:<26}{p50:>9.2f}{p95:>9.2f}{p95 / health95:>19.1f}x")
    return results


@contextmanager
def database(kind: str, server_url: str | None) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        return
    assert server_url
    name = f"clausier_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(server_url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                ),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def bench(kind: str, url: str, requests: int) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    command.upgrade(cfg, "head")
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "benchmark-secret-key-long-enough-to-be-accepted",
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "bench.local",
        }
    )
    from portal.db import session_scope
    from portal.reference.services import sync_reference_data

    with app.app_context(), session_scope() as session:
        sync_reference_data(session)
    rounds = []
    total = 0
    for size in (10_000, 20_000):
        started = time.perf_counter()
        with app.app_context(), session_scope() as session:
            generate(session, total, size - total, seed=size)
            session.execute(sa.text("ANALYZE"))
        total = size
        print(f"\n[{kind}] {size:,} clauses ready in {time.perf_counter() - started:.1f} s")
        # Outside any app context: each request then opens and closes its own session, as in
        # production (inside one, requests would share the context's session and snapshot).
        rounds.append(
            run_round(app, f"[{kind}] {size:,} clauses, {requests} requests each", requests)
        )
    app.extensions["portal.db"].engine.dispose()
    (small, large) = rounds
    print(f"\n[{kind}] growth of p95 from 10,000 to 20,000 clauses")
    for name in small:
        print(f"  {name:<26}{large[name][1] / small[name][1]:>8.2f}x")


def main() -> None:
    import os

    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint")
    parser.add_argument("--postgres", help="PostgreSQL server URL (a database is created)")
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql") if args.postgres else ("sqlite",):
        with database(kind, args.postgres) as url:
            bench(kind, url, args.requests)
    print(
        f"\nload average after: {os.getloadavg()[0]:.2f} (other work on the machine skews figures)"
    )


if __name__ == "__main__":
    main()
