"""Full-text search of published clause versions: one service over SQLite FTS5 and PostgreSQL.

The index holds the title and text of every *published* version in French, Dutch and English
(parameter placeholders replaced by their labels), and its *facets*: one token per family,
placement, ambition level, category and CPV code (``famsocial``, ``plcaward``, ``ambbase``,
``catcleaning``, ``cpv39830000``). A catalogue query with words is then answered by the index
alone: the words and the filters are intersected in the full-text index, and only the page of
results is read from ``clause_versions``. The services keep the index in step: publishing a
version indexes it; superseding or retiring it removes it. :func:`rebuild_index` rebuilds it
from scratch (``flask --app portal clauses reindex``).

- **SQLite**: ``clause_versions_fts`` is an FTS5 virtual table (``rowid`` = version id) with the
  ``unicode61 remove_diacritics 2`` tokenizer, ranked with ``bm25`` (titles weigh ten times more
  than texts; facets weigh nothing). Words are searched in the text columns only.
- **PostgreSQL**: ``clause_versions_fts`` holds, per version, the lexemes of every language
  (``french``, ``dutch`` and ``english`` configurations, plus ``simple`` for codes, names and
  stop words) twice: ``doc`` without positions (small, for matching and counting, with a GIN
  index) and ``doc_rank`` with positions and weights (ranking); ``doc_titles`` (the titles,
  GIN) and ``doc_facets`` (GIN). A query is each language's ``to_tsquery`` of the words, OR-ed.
  Texts are folded (lower case, accents removed) before indexing and querying, so
  ``ecologique`` finds ``écologique`` without the ``unaccent`` extension.

Ranking: up to ``FULL_RANK_LIMIT`` matches are all ranked on their whole text, titles weighing
more. A query that matches more (a word nearly every clause contains) puts the clauses whose
titles hold every word first, ranked on their titles, then the others in index order, so that
its cost stays flat as the library grows.

User input never reaches the query syntax: it is cut into words (letters and digits only), and
each word becomes a quoted term (FTS5) or a lexeme with a prefix marker (tsquery). Facet tokens
are made here from validated codes. A query made only of punctuation matches nothing; nothing a
user types can raise a syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlmodel import Session, select

from portal.clauses.content import LANGS, search_text
from portal.clauses.models import (
    ClauseVersion,
    ClauseVersionCategory,
    ClauseVersionCpv,
    VersionStatus,
)
from portal.db import dialect_name
from portal.reference.models import ProcurementCategory
from portal.reference.services import fold

#: SQL in this module is built from these constants only (never from user input: ``noqa: S608``).
FTS_TABLE = "clause_versions_fts"
#: PostgreSQL text-search configuration of each language.
PG_CONFIGS = {"fr": "french", "nl": "dutch", "en": "english"}
#: The FTS5 columns words are searched in (not the facets).
TEXT_COLUMNS = " ".join(f"title_{lang} text_{lang}" for lang in LANGS)
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
    """A to_tsquery expression: every word must occur (stemmed by each language's dictionary);
    the last word, if it has 3+ letters, also matches as a prefix (a word still being typed)."""
    parts = list(words)
    if parts and len(parts[-1]) >= 3:
        parts[-1] += ":*"
    return " & ".join(parts)


# ------------------------------------------------------------------------------------------------
# Facets


def _token(prefix: str, value: str) -> str:
    return prefix + re.sub(r"[^0-9a-z]", "", str(value).lower())


def family_token(value: Any) -> str:
    return _token("fam", getattr(value, "value", value))


def placement_token(value: Any) -> str:
    return _token("plc", getattr(value, "value", value))


def ambition_token(value: Any) -> str:
    return _token("amb", getattr(value, "value", value))


def category_token(code: str) -> str:
    return _token("cat", code)


def cpv_token(code: str) -> str:
    return _token("cpv", code[:8])


def cpv_prefix_token(significant: str) -> str:
    """A facet matching every CPV token that starts with these digits (the codes below one)."""
    return _token("cpv", significant) + "*"


def facet_tokens(version: ClauseVersion, categories: Sequence[str], cpv: Sequence[str]) -> str:
    tokens = [
        family_token(version.family),
        placement_token(version.placement),
        ambition_token(version.ambition),
        *(category_token(c) for c in categories),
        *(cpv_token(c) for c in cpv),
    ]
    return " ".join(tokens)


def _links(session: Session, ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    cats: dict[int, list[str]] = {i: [] for i in ids}
    cpvs: dict[int, list[str]] = {i: [] for i in ids}
    for version_id, code in session.exec(
        select(ClauseVersionCategory.version_id, ProcurementCategory.code)
        .join(ProcurementCategory, ProcurementCategory.id == ClauseVersionCategory.category_id)
        .where(ClauseVersionCategory.version_id.in_(ids))
    ):
        cats[version_id].append(code)
    for version_id, code in session.exec(
        select(ClauseVersionCpv.version_id, ClauseVersionCpv.cpv_code).where(
            ClauseVersionCpv.version_id.in_(ids)
        )
    ):
        cpvs[version_id].append(code)
    return cats, cpvs


# ------------------------------------------------------------------------------------------------
# Indexing


def index_version(session: Session, version: ClauseVersion) -> None:
    """Put a published version in the index, or take any other version out of it."""
    if version.status != VersionStatus.published:
        unindex_version(session, version.id)
        return
    index_many(session, [version])


def index_many(session: Session, versions: Iterable[ClauseVersion]) -> int:
    """Index several published versions at once (replacing what was indexed for them)."""
    versions = list(versions)
    if not versions:
        return 0
    ids = [v.id for v in versions]
    cats, cpvs = _links(session, ids)
    rows = []
    for version in versions:
        item: dict[str, Any] = {
            "id": version.id,
            "facets": facet_tokens(version, cats[version.id], cpvs[version.id]),
        }
        for lang in LANGS:
            title, text = search_text(version, lang)
            item[f"title_{lang}"] = title
            item[f"text_{lang}"] = text
        rows.append(item)
    if dialect_name(session) == "postgresql":
        session.execute(
            sa.text(f"DELETE FROM {FTS_TABLE} WHERE version_id = ANY(:ids)"),  # noqa: S608
            {"ids": ids},
        )
        for item in rows:
            for lang in LANGS:
                item[f"title_{lang}"] = fold(item[f"title_{lang}"])
                item[f"text_{lang}"] = fold(item[f"text_{lang}"])
            item["titles"] = " ".join(item[f"title_{lang}"] for lang in LANGS)
            item["texts"] = " ".join(item[f"text_{lang}"] for lang in LANGS)
        ranked = " || ".join(
            f"setweight(to_tsvector('{cfg}', :title_{lang}), 'A') || "
            f"to_tsvector('{cfg}', :text_{lang})"
            for lang, cfg in PG_CONFIGS.items()
        )
        titles = " || ".join(
            f"to_tsvector('{cfg}', :title_{lang})" for lang, cfg in PG_CONFIGS.items()
        )
        session.execute(
            sa.text(
                f"INSERT INTO {FTS_TABLE} "  # noqa: S608
                "(version_id, doc, doc_rank, doc_titles, doc_facets) "
                "SELECT :id, strip(r), r, t, to_tsvector('simple', :facets) FROM (SELECT "
                f"{ranked} || setweight(to_tsvector('simple', :titles), 'A') "
                "|| to_tsvector('simple', :texts) AS r, "
                f"{titles} || to_tsvector('simple', :titles) AS t) AS docs"
            ),
            rows,
        )
    else:
        session.execute(
            sa.text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"),  # noqa: S608
            [{"id": i} for i in ids],
        )
        columns = ", ".join(f"title_{lang}, text_{lang}" for lang in LANGS)
        values = ", ".join(f":title_{lang}, :text_{lang}" for lang in LANGS)
        session.execute(
            sa.text(
                f"INSERT INTO {FTS_TABLE} (rowid, {columns}, facets) "  # noqa: S608
                f"VALUES (:id, {values}, :facets)"
            ),
            rows,
        )
    return len(rows)


def unindex_version(session: Session, version_id: int | None) -> None:
    if version_id is None:
        return
    key = "version_id" if dialect_name(session) == "postgresql" else "rowid"
    session.execute(
        sa.text(f"DELETE FROM {FTS_TABLE} WHERE {key} = :id"),  # noqa: S608
        {"id": version_id},
    )


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


#: Up to this many matches, every match is ranked on its whole text (bm25, ts_rank). Beyond it,
#: the clauses whose titles hold every word come first, ranked on their titles, and the others
#: follow in the order of the index: ranking thousands of texts for a word that nearly every
#: clause contains would cost more than it tells, and would grow with the library.
FULL_RANK_LIMIT = 500
#: Matches are counted up to this number; a query that matches more reports "more than 1,000"
#: (nobody pages that far), so that its cost does not grow with the library.
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class _Queries:
    table: Any
    version_id: Any
    in_text: list[Any]
    in_titles: list[Any]
    rest: list[Any]
    full_order: list[Any]
    title_order: list[Any]


def _sqlite_queries(words: list[str], groups: list[list[str]]) -> _Queries:
    fts = sa.table(FTS_TABLE, sa.column("rowid"))
    terms_expr = f"({fts5_query(words)})"
    title_cols = " ".join(f"title_{lang}" for lang in LANGS)
    facets = "".join(" AND facets : (" + " OR ".join(g) + ")" for g in groups)
    in_text = f"{{{TEXT_COLUMNS}}} : {terms_expr}"
    in_titles = f"{{{title_cols}}} : {terms_expr}"

    def matching(expression: str) -> list[Any]:
        return [sa.text(f"{FTS_TABLE} MATCH :q").bindparams(q=expression)]

    full_weights = ", ".join(["10.0, 1.0"] * len(LANGS) + ["0.0"])
    title_weights = ", ".join(["1.0, 0.0"] * len(LANGS) + ["0.0"])
    rowid = fts.c.rowid
    return _Queries(
        table=fts,
        version_id=rowid,
        in_text=matching(in_text + facets),
        in_titles=matching(in_titles + facets),
        rest=matching(f"({in_text} NOT {in_titles}){facets}"),
        full_order=[sa.literal_column(f"bm25({FTS_TABLE}, {full_weights})"), rowid],
        title_order=[sa.literal_column(f"bm25({FTS_TABLE}, {title_weights})"), rowid],
    )


def _pg_queries(session: Session, words: list[str], groups: list[list[str]]) -> _Queries | None:
    # Each language's dictionary makes its own query (stemmed, stop words dropped); identical
    # ones are merged, so that the planner estimates the matches right.
    q = tsquery(words)
    configs = (*PG_CONFIGS.values(), "simple")
    select_queries = "SELECT " + ", ".join(f"to_tsquery('{cfg}', :q)::text" for cfg in configs)
    row = session.execute(sa.text(select_queries), {"q": q}).one()
    parts = sorted({text for text in row if text})
    if not parts:
        return None
    tsq = sa.cast(sa.literal(" | ".join(f"( {p} )" for p in parts)), TSQUERY)
    fts = sa.table(
        FTS_TABLE,
        sa.column("version_id"),
        sa.column("doc"),
        sa.column("doc_rank"),
        sa.column("doc_titles"),
        sa.column("doc_facets"),
    )
    facets: list[Any] = []
    if groups:
        fq = " & ".join(
            "(" + " | ".join(t[:-1] + ":*" if t.endswith("*") else t for t in g) + ")"
            for g in groups
        )
        facets.append(
            fts.c.doc_facets.op("@@")(
                sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), sa.literal(fq))
            )
        )
    in_text = fts.c.doc.op("@@")(tsq)
    in_titles = fts.c.doc_titles.op("@@")(tsq)
    vid = fts.c.version_id
    return _Queries(
        table=fts,
        version_id=vid,
        in_text=[in_text, *facets],
        in_titles=[in_titles, *facets],
        rest=[in_text, sa.not_(in_titles), *facets],
        full_order=[sa.desc(sa.func.ts_rank(fts.c.doc_rank, tsq)), vid],
        title_order=[sa.desc(sa.func.ts_rank(fts.c.doc_titles, tsq)), vid],
    )


def _count(session: Session, queries: _Queries, where: list[Any], cap: int) -> int:
    """How many rows match, counting no further than ``cap``."""
    found = sa.select(sa.literal(1)).select_from(queries.table).where(*where).limit(cap)
    return session.execute(sa.select(sa.func.count()).select_from(found.subquery())).scalar_one()


def _ids(
    session: Session, queries: _Queries, where: list[Any], order: list[Any], offset: int, limit: int
) -> list[int]:
    stmt = (
        sa.select(queries.version_id)
        .select_from(queries.table)
        .where(*where)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    return list(session.execute(stmt).scalars())


@dataclass(frozen=True)
class Page:
    """One page of matching version ids, best first, and how many match (``total`` is exact
    when ``exact``; otherwise more than ``total`` match)."""

    total: int
    exact: bool
    ids: list[int]


def search_page(
    session: Session,
    query: str,
    facets: Sequence[Sequence[str]] = (),
    *,
    offset: int = 0,
    limit: int = 20,
) -> Page:
    """The published versions whose texts hold every word of ``query`` and that have, for each
    group of ``facets``, one of its tokens: their number and one page of their ids, best first.
    A query without searchable words matches nothing.
    """
    words = terms(query)
    if not words:
        return Page(0, True, [])
    # Plain tokens, or a token prefix ending in "*" (cpv_prefix_token).
    groups = [[t for t in group if re.fullmatch(r"[0-9a-z]+\*?", t)] for group in facets]
    if any(not group for group in groups):
        raise ValueError("empty facet group")
    postgres = dialect_name(session) == "postgresql"
    if postgres:
        queries = _pg_queries(session, words, groups)
        if queries is None:
            return Page(0, True, [])
        # The planner takes a tsvector match for cheap and scans the whole table when many
        # rows match; the GIN indexes are much faster here. Only for these queries.
        session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    else:
        queries = _sqlite_queries(words, groups)
    try:
        counted = _count(session, queries, queries.in_text, COUNT_LIMIT + 1)
        total, exact = min(counted, COUNT_LIMIT), counted <= COUNT_LIMIT
        if offset >= total:
            return Page(total, exact, [])
        if counted <= FULL_RANK_LIMIT:
            return Page(
                total,
                exact,
                _ids(session, queries, queries.in_text, queries.full_order, offset, limit),
            )
        # Title matches only need counting as far as this page reaches.
        in_titles = _count(session, queries, queries.in_titles, offset + limit)
        ids: list[int] = []
        if offset < in_titles:
            ids += _ids(session, queries, queries.in_titles, queries.title_order, offset, limit)
        if len(ids) < limit:
            ids += _ids(
                session,
                queries,
                queries.rest,
                [queries.version_id],
                max(0, offset - in_titles),
                limit - len(ids),
            )
        return Page(total, exact, ids[: max(0, min(limit, total - offset))])
    finally:
        if postgres:
            session.execute(sa.text("SET LOCAL enable_seqscan TO DEFAULT"))
