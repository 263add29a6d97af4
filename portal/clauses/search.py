"""Full-text search of published clause versions: one service over SQLite FTS5 and PostgreSQL.

The index holds the title and text of every *published* version in French, Dutch and English
(parameter placeholders replaced by their labels). The services keep it in step: publishing a
version indexes it; superseding or retiring it removes it. :func:`rebuild_index` rebuilds it from
scratch (``flask --app portal clauses reindex``).

- **SQLite**: ``clause_versions_fts`` is an FTS5 virtual table (``rowid`` = version id) with the
  ``unicode61 remove_diacritics 2`` tokenizer, ranked with ``bm25`` (titles weigh ten times more).
- **PostgreSQL**: ``clause_versions_fts`` holds one tsvector per language, built with the
  ``french``, ``dutch`` and ``english`` configurations, plus a ``simple`` one over every language
  (codes, names, stop words), each with a GIN index, ranked with ``ts_rank``. Texts are folded
  (lower case, accents removed) before indexing and querying, so ``ecologique`` finds
  ``écologique`` on both databases without the ``unaccent`` extension.

User input never reaches the query syntax: it is cut into words (letters and digits only), and
each word becomes a quoted term (FTS5) or a lexeme with a prefix marker (tsquery). A query made
only of punctuation matches nothing; nothing a user types can raise a syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from portal.clauses.content import LANGS, search_text
from portal.clauses.models import ClauseVersion, VersionStatus
from portal.db import dialect_name
from portal.reference.services import fold

#: SQL in this module is built from these constants only (never from user input: ``noqa: S608``).
FTS_TABLE = "clause_versions_fts"
#: PostgreSQL text-search configuration of each language.
PG_CONFIGS = {"fr": "french", "nl": "dutch", "en": "english"}
MAX_TERMS = 12
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def terms(query: str) -> list[str]:
    """The searchable words of a query: folded, de-duplicated, at most twelve."""
    seen: list[str] = []
    for word in _WORD.findall(fold(query or "")):
        if word not in seen:
            seen.append(word)
    # One-letter words (the l of l'eau) match everything and mean nothing.
    useful = [w for w in seen if len(w) > 1 or w.isdigit()]
    return useful[:MAX_TERMS]


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word must occur; words of 3+ letters match as prefixes."""
    return " ".join(f'"{w}"*' if len(w) >= 3 else f'"{w}"' for w in words)


def tsquery(words: list[str]) -> str:
    """A to_tsquery expression: every word must occur; words of 3+ letters match as prefixes."""
    return " & ".join(f"{w}:*" if len(w) >= 3 else w for w in words)


# ------------------------------------------------------------------------------------------------
# Indexing


def _documents(version: ClauseVersion) -> dict[str, tuple[str, str]]:
    return {lang: search_text(version, lang) for lang in LANGS}


def index_version(session: Session, version: ClauseVersion) -> None:
    """Put a published version in the index, or take any other version out of it."""
    if version.status != VersionStatus.published:
        unindex_version(session, version.id)
        return
    index_many(session, [version])


def index_many(session: Session, versions: Iterable[ClauseVersion]) -> int:
    """Index several published versions at once (replacing what was indexed for them)."""
    rows = []
    for version in versions:
        docs = _documents(version)
        rows.append((version.id, docs))
    if not rows:
        return 0
    ids = [r[0] for r in rows]
    if dialect_name(session) == "postgresql":
        session.execute(
            sa.text(f"DELETE FROM {FTS_TABLE} WHERE version_id = ANY(:ids)"),  # noqa: S608
            {"ids": ids},
        )
        expr = ", ".join(
            f"setweight(to_tsvector('{cfg}', :title_{lang}), 'A') || "
            f"to_tsvector('{cfg}', :text_{lang})"
            for lang, cfg in PG_CONFIGS.items()
        )
        stmt = sa.text(
            f"INSERT INTO {FTS_TABLE} (version_id, doc_fr, doc_nl, doc_en, doc_simple) "  # noqa: S608
            f"VALUES (:id, {expr}, "
            "setweight(to_tsvector('simple', :titles), 'A') || to_tsvector('simple', :texts))"
        )
        params = []
        for version_id, docs in rows:
            item: dict[str, Any] = {"id": version_id}
            for lang in LANGS:
                item[f"title_{lang}"] = fold(docs[lang][0])
                item[f"text_{lang}"] = fold(docs[lang][1])
            item["titles"] = " ".join(item[f"title_{lang}"] for lang in LANGS)
            item["texts"] = " ".join(item[f"text_{lang}"] for lang in LANGS)
            params.append(item)
        session.execute(stmt, params)
    else:
        session.execute(
            sa.text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"),  # noqa: S608
            [{"id": i} for i in ids],
        )
        columns = ", ".join(f"title_{lang}, text_{lang}" for lang in LANGS)
        values = ", ".join(f":title_{lang}, :text_{lang}" for lang in LANGS)
        session.execute(
            sa.text(f"INSERT INTO {FTS_TABLE} (rowid, {columns}) VALUES (:id, {values})"),  # noqa: S608
            [
                {
                    "id": version_id,
                    **{f"title_{lang}": docs[lang][0] for lang in LANGS},
                    **{f"text_{lang}": docs[lang][1] for lang in LANGS},
                }
                for version_id, docs in rows
            ],
        )
    return len(rows)


def unindex_version(session: Session, version_id: int | None) -> None:
    if version_id is None:
        return
    key = "version_id" if dialect_name(session) == "postgresql" else "rowid"
    session.execute(sa.text(f"DELETE FROM {FTS_TABLE} WHERE {key} = :id"), {"id": version_id})  # noqa: S608


def rebuild_index(session: Session, batch: int = 500) -> int:
    """Empty the index and index every published version again; return how many."""
    session.execute(sa.text(f"DELETE FROM {FTS_TABLE}"))  # noqa: S608
    total = 0
    last_id = 0
    while True:
        versions = list(
            session.scalars(
                sa.select(ClauseVersion)
                .where(ClauseVersion.status == VersionStatus.published, ClauseVersion.id > last_id)
                .order_by(ClauseVersion.id)
                .limit(batch)
            )
        )
        if not versions:
            return total
        total += index_many(session, versions)
        last_id = versions[-1].id


# ------------------------------------------------------------------------------------------------
# Querying


@dataclass(frozen=True)
class Match:
    """A subquery of matching version ids with a rank (lower is better)."""

    subquery: Any
    version_id: Any
    rank: Any


def match(session: Session, query: str) -> Match | None:
    """The versions whose text matches ``query``; None when the query has no searchable word."""
    words = terms(query)
    if not words:
        return None
    if dialect_name(session) == "postgresql":
        fts = sa.table(
            FTS_TABLE,
            sa.column("version_id"),
            *(sa.column(f"doc_{lang}") for lang in (*LANGS, "simple")),
        )
        q = tsquery(words)
        conditions = []
        ranks = []
        for lang, cfg in (*PG_CONFIGS.items(), ("simple", "simple")):
            tsq = sa.func.to_tsquery(sa.literal_column(f"'{cfg}'::regconfig"), sa.literal(q))
            doc = fts.c[f"doc_{lang}"]
            conditions.append(doc.op("@@")(tsq))
            ranks.append(sa.func.ts_rank(doc, tsq))
        rank = -sa.func.greatest(*ranks)
        sub = (
            sa.select(fts.c.version_id.label("version_id"), rank.label("rank"))
            .where(sa.or_(*conditions))
            .subquery("fts")
        )
    else:
        fts = sa.table(FTS_TABLE, sa.column("rowid"))
        weights = ", ".join(["10.0, 1.0"] * len(LANGS))
        sub = (
            sa.select(
                fts.c.rowid.label("version_id"),
                sa.literal_column(f"bm25({FTS_TABLE}, {weights})").label("rank"),
            )
            .where(sa.text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=fts5_query(words)))
            .subquery("fts")
        )
    return Match(subquery=sub, version_id=sub.c.version_id, rank=sub.c.rank)
