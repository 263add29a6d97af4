"""Reference data services: loading, CPV look-up and search, categories and authorities."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlmodel import Session, select

from portal.errors import NotFound, ValidationError
from portal.i18n import _l
from portal.reference.models import (
    AuthorityKind,
    AuthorityType,
    CategoryCpv,
    ContractingAuthority,
    CpvCode,
    NutsRegion,
    ProcurementCategory,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CPV_PATTERN = re.compile(r"^\d{8}-\d$")


@dataclass(frozen=True)
class Municipality:
    code: str
    name_fr: str
    name_nl: str


#: The 19 municipalities of the Brussels-Capital Region (FR and NL names).
MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("anderlecht", "Anderlecht", "Anderlecht"),
    Municipality("auderghem", "Auderghem", "Oudergem"),
    Municipality("berchem-sainte-agathe", "Berchem-Sainte-Agathe", "Sint-Agatha-Berchem"),
    Municipality("bruxelles", "Bruxelles", "Brussel"),
    Municipality("etterbeek", "Etterbeek", "Etterbeek"),
    Municipality("evere", "Evere", "Evere"),
    Municipality("forest", "Forest", "Vorst"),
    Municipality("ganshoren", "Ganshoren", "Ganshoren"),
    Municipality("ixelles", "Ixelles", "Elsene"),
    Municipality("jette", "Jette", "Jette"),
    Municipality("koekelberg", "Koekelberg", "Koekelberg"),
    Municipality("molenbeek-saint-jean", "Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek"),
    Municipality("saint-gilles", "Saint-Gilles", "Sint-Gillis"),
    Municipality("saint-josse-ten-noode", "Saint-Josse-ten-Noode", "Sint-Joost-ten-Node"),
    Municipality("schaerbeek", "Schaerbeek", "Schaarbeek"),
    Municipality("uccle", "Uccle", "Ukkel"),
    Municipality("watermael-boitsfort", "Watermael-Boitsfort", "Watermaal-Bosvoorde"),
    Municipality("woluwe-saint-lambert", "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe"),
    Municipality("woluwe-saint-pierre", "Woluwe-Saint-Pierre", "Sint-Pieters-Woluwe"),
)


def municipality_by_name(name: str) -> Municipality | None:
    """Find one of the 19 municipalities by its code or its FR or NL name (any case or accents)."""
    key = fold(name)
    for m in MUNICIPALITIES:
        if key in (m.code, fold(m.name_fr), fold(m.name_nl)):
            return m
    return None


def fold(text: str) -> str:
    """Lower-case and strip accents, for accent-insensitive matching."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


# --------------------------------------------------------------------------------------------
# CPV


def cpv_significant(digits: str) -> str:
    """The significant prefix of a CPV code: its digits without the trailing zeros (at least 2)."""
    stripped = digits.rstrip("0")
    return stripped if len(stripped) >= 2 else digits[:2]


@lru_cache(maxsize=1)
def _cpv_rows() -> tuple[dict[str, str], ...]:
    with open(DATA_DIR / "cpv_2008.csv", encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@lru_cache(maxsize=1)
def cpv_index() -> dict[str, dict[str, str]]:
    """Every CPV code of the official list (code -> labels), read from the project's copy.

    Pure functions (the lot-split advisor, file validation) use this instead of the database.
    """
    return {row["code"]: row for row in _cpv_rows()}


def cpv_parent_map() -> dict[str, str | None]:
    """Map each CPV code to its parent: the longest existing code whose digits prefix it."""
    by_prefix = {cpv_significant(code[:8]): code for code in cpv_index()}
    parents: dict[str, str | None] = {}
    for code in cpv_index():
        sig = cpv_significant(code[:8])
        parent = None
        for cut in range(len(sig) - 1, 1, -1):
            candidate = by_prefix.get(sig[:cut])
            if candidate:
                parent = candidate
                break
        parents[code] = parent
    return parents


def normalise_cpv(raw: str) -> str:
    """Tidy a code typed by a person: spaces removed; ``45000000`` gets its check digit."""
    code = re.sub(r"\s+", "", raw or "")
    if re.fullmatch(r"\d{8}", code):
        return _cpv_by_digits().get(code, code)
    return code


@lru_cache(maxsize=1)
def _cpv_by_digits() -> dict[str, str]:
    return {code[:8]: code for code in cpv_index()}


def validate_cpv(raw: str, field: str = "cpv") -> str:
    """Return the official code for ``raw``, or raise a ValidationError naming the field.

    :raises ValidationError: the code is malformed or not in the CPV 2008 list.
    """
    code = normalise_cpv(raw)
    if not CPV_PATTERN.match(code):
        raise ValidationError.single(
            field,
            _l("“%(code)s” is not a CPV code. A CPV code looks like 45000000-7.", code=raw[:40]),
        )
    if code not in cpv_index():
        raise ValidationError.single(
            field, _l("CPV code %(code)s does not exist in the CPV 2008 list.", code=code)
        )
    return code


def cpv_label(code: str, lang: str) -> str:
    row = cpv_index().get(code)
    return row.get(lang) or row["en"] if row else code


def cpv_ancestors(code: str) -> list[str]:
    """The code itself and every code above it in the tree, nearest first."""
    parents = _parents()
    chain = []
    current: str | None = code
    while current:
        chain.append(current)
        current = parents.get(current)
    return chain


@lru_cache(maxsize=1)
def _parents() -> dict[str, str | None]:
    return cpv_parent_map()


def cpv_is_within(code: str, root: str) -> bool:
    """True when ``code`` is ``root`` or below it in the CPV tree."""
    return code[:8].startswith(cpv_significant(root[:8]))


def search_cpv(session: Session, query: str, limit: int = 20) -> list[CpvCode]:
    """Find CPV codes by code prefix, or by words (all must match) of their FR, NL or EN label."""
    text = fold(query)
    if not text:
        return []
    digits = re.sub(r"[^0-9]", "", text)
    stmt = select(CpvCode)
    if digits and len(digits) >= 2 and re.fullmatch(r"[\d\s-]+", text):
        stmt = stmt.where(CpvCode.digits.startswith(digits[:8]))
    else:
        for word in text.split()[:6]:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(CpvCode.search_text.like(f"%{escaped}%", escape="\\"))
    stmt = stmt.order_by(CpvCode.level, CpvCode.code).limit(limit)
    return list(session.exec(stmt))


def get_cpv(session: Session, code: str) -> CpvCode:
    cpv = session.get(CpvCode, normalise_cpv(code))
    if cpv is None:
        raise NotFound(_l("CPV code %(code)s does not exist in the CPV 2008 list.", code=code[:20]))
    return cpv


# --------------------------------------------------------------------------------------------
# Categories and authorities


def list_categories(session: Session) -> list[ProcurementCategory]:
    return list(session.exec(select(ProcurementCategory).order_by(ProcurementCategory.position)))


def get_category(session: Session, code: str) -> ProcurementCategory:
    category = session.exec(
        select(ProcurementCategory).where(ProcurementCategory.code == code)
    ).first()
    if category is None:
        raise NotFound(_l("There is no procurement category “%(code)s”.", code=code[:40]))
    return category


def category_cpv_codes(session: Session, category: ProcurementCategory) -> list[CpvCode]:
    stmt = (
        select(CpvCode)
        .join(CategoryCpv, CategoryCpv.cpv_code == CpvCode.code)
        .where(CategoryCpv.category_id == category.id)
        .order_by(CpvCode.code)
    )
    return list(session.exec(stmt))


def category_cpv_map(session: Session) -> dict[str, list[str]]:
    """Map every category code to the CPV codes it lists."""
    rows = session.exec(
        select(ProcurementCategory.code, CategoryCpv.cpv_code)
        .join(CategoryCpv, CategoryCpv.category_id == ProcurementCategory.id)
        .order_by(ProcurementCategory.position, CategoryCpv.cpv_code)
    )
    result: dict[str, list[str]] = {}
    for cat_code, cpv in rows:
        result.setdefault(cat_code, []).append(cpv)
    return result


def categories_for_cpv(session: Session, code: str) -> list[ProcurementCategory]:
    """The categories whose CPV codes cover ``code``."""
    roots = category_cpv_map(session)
    wanted = [cat for cat, cpvs in roots.items() if any(cpv_is_within(code, r) for r in cpvs)]
    if not wanted:
        return []
    return list(
        session.exec(
            select(ProcurementCategory)
            .where(ProcurementCategory.code.in_(wanted))
            .order_by(ProcurementCategory.position)
        )
    )


def count_cpv_below(session: Session, roots: list[str]) -> int:
    """How many CPV codes the given roots cover, themselves included."""
    if not roots:
        return 0
    conditions = [CpvCode.digits.startswith(cpv_significant(r[:8])) for r in roots]
    return session.exec(
        select(sa.func.count()).select_from(CpvCode).where(sa.or_(*conditions))
    ).one()


def list_authorities(
    session: Session, kind: str | None = None, type_: str | None = None
) -> list[ContractingAuthority]:
    stmt = select(ContractingAuthority)
    if kind:
        stmt = stmt.where(ContractingAuthority.kind == AuthorityKind(kind))
    if type_:
        stmt = stmt.where(ContractingAuthority.type == AuthorityType(type_))
    return list(
        session.exec(stmt.order_by(ContractingAuthority.type, ContractingAuthority.name_fr))
    )


def get_authority(session: Session, code: str) -> ContractingAuthority:
    authority = session.exec(
        select(ContractingAuthority).where(ContractingAuthority.code == code)
    ).first()
    if authority is None:
        raise NotFound(_l("There is no contracting authority “%(code)s”.", code=code[:60]))
    return authority


# --------------------------------------------------------------------------------------------
# Loading


def _load_yaml(name: str) -> Any:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def sync_reference_data(session: Session) -> dict[str, int]:
    """Load CPV codes, NUTS regions, categories and authorities; return how many rows changed.

    Idempotent: rows that already match the data files are left alone.
    """
    changed = {"cpv": _sync_cpv(session), "nuts": _sync_nuts(session)}
    session.flush()
    changed["categories"] = _sync_categories(session)
    changed["authorities"] = _sync_authorities(session)
    session.flush()
    return changed


def _sync_cpv(session: Session) -> int:
    existing = {row.code: row for row in session.exec(select(CpvCode))}
    parents = _parents()
    new_rows = []
    changed = 0
    for row in _cpv_rows():
        code = row["code"]
        digits = code[:8]
        values = dict(
            digits=digits,
            level=len(cpv_significant(digits)),
            parent_code=parents[code],
            label_en=row["en"],
            label_fr=row["fr"],
            label_nl=row["nl"],
            search_text=" ".join([code, fold(row["fr"]), fold(row["nl"]), fold(row["en"])]),
        )
        current = existing.get(code)
        if current is None:
            new_rows.append({"code": code, **values})
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            changed += 1
    if new_rows:
        session.execute(sa.insert(CpvCode), new_rows)
    return changed + len(new_rows)


def _sync_nuts(session: Session) -> int:
    existing = {row.code: row for row in session.exec(select(NutsRegion))}
    changed = 0
    with open(DATA_DIR / "nuts_be.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            values = dict(
                level=int(row["level"]), parent_code=row["parent"] or None, label=row["label"]
            )
            current = existing.get(row["code"])
            if current is None:
                session.add(NutsRegion(code=row["code"], **values))
                changed += 1
            elif any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                changed += 1
    return changed


def _sync_categories(session: Session) -> int:
    changed = 0
    for position, item in enumerate(_load_yaml("categories.yaml")):
        values = dict(
            position=position,
            name_fr=item["name"]["fr"],
            name_nl=item["name"]["nl"],
            name_en=item["name"]["en"],
            description_fr=item["description"]["fr"],
            description_nl=item["description"]["nl"],
            description_en=item["description"]["en"],
        )
        category = session.exec(
            select(ProcurementCategory).where(ProcurementCategory.code == item["code"])
        ).first()
        if category is None:
            category = ProcurementCategory(code=item["code"], **values)
            session.add(category)
            session.flush()
            changed += 1
        elif any(getattr(category, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(category, k, v)
            changed += 1
        wanted = {validate_cpv(c, f"categories.yaml:{item['code']}") for c in item["cpv"]}
        have = {
            link.cpv_code: link
            for link in session.exec(
                select(CategoryCpv).where(CategoryCpv.category_id == category.id)
            )
        }
        for code in wanted - have.keys():
            session.add(CategoryCpv(category_id=category.id, cpv_code=code))
            changed += 1
        for code in have.keys() - wanted:
            session.delete(have[code])
            changed += 1
    return changed


def _sync_authorities(session: Session) -> int:
    changed = 0
    for item in _load_yaml("authorities.yaml"):
        values = dict(
            name_fr=item["name"]["fr"],
            name_nl=item["name"]["nl"],
            name_en=item["name"].get("en", ""),
            kind=AuthorityKind(item["kind"]),
            type=AuthorityType(item["type"]),
            nuts_code=item["nuts"],
            municipality=item.get("municipality"),
        )
        current = session.exec(
            select(ContractingAuthority).where(ContractingAuthority.code == item["code"])
        ).first()
        if current is None:
            session.add(ContractingAuthority(code=item["code"], **values))
            changed += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            changed += 1
    return changed
