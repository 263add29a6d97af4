"""The corpus on disk and the library: ``clauses sync``, ``clauses export`` and ``clauses stats``.

Sync is all or nothing: every file is parsed and checked against the library first, and the
library changes only when no file has an error. For each file:

- a new code becomes a new clause with version 1, published;
- a file whose content differs from the clause's current version becomes a new published version
  (the previous one is superseded) with the file's change note, which must differ from the
  current version's; ``retired: true`` retires the clause;
- an unchanged file changes nothing;
- a file equal to an *older* version of its clause is stale (the library moved on, typically
  through the helpdesk): it changes nothing and is reported, so that an export brings the file
  up to date instead of a sync silently undoing the helpdesk's work.

Export writes the current public version of every clause with ``schema.dump``, so exporting a
folder that was just synced gives the same bytes. Versions published through the helpdesk
without an English text cannot be written in the file format (which requires it) and are
reported instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlmodel import Session, select

from portal.audit.services import record
from portal.clauses import content, schema, services
from portal.clauses.models import Clause, ClauseVersion, VersionStatus
from portal.clauses.vocabulary import Ambition, Family, Placement
from portal.db import utcnow
from portal.errors import ValidationError
from portal.reference.models import ProcurementCategory

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS_DIR = PROJECT_ROOT / "clauses"


@dataclass
class FileProblem:
    """An error in one file: the file name and messages per field."""

    file: str
    errors: dict[str, list[str]]

    def lines(self) -> list[str]:
        return [
            f"{self.file}: {field or '(file)'}: {message}"
            for field, messages in self.errors.items()
            for message in messages
        ]


class SyncError(Exception):
    """Sync refused: at least one file has errors; nothing was loaded."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(line for p in problems for line in p.lines()))


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: ``(code, message)`` for stale files.
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(self.created) + len(self.updated) + len(self.retired)


def _as_problem(exc: schema.FileError) -> FileProblem:
    return FileProblem(exc.path.name, {k: list(v) for k, v in exc.errors.items()})


def _file_data(clause: schema.ClauseFile) -> dict[str, Any]:
    return schema.to_data(clause)


def sync_directory(session: Session, directory: Path) -> SyncReport:
    """Load a folder of clause files into the library (see the module docstring).

    :raises SyncError: a file has errors; the session is left unchanged.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise SyncError([FileProblem(str(directory), {"": ["not a folder"]})])
    if session.exec(select(ProcurementCategory.id).limit(1)).first() is None:
        raise SyncError(
            [
                FileProblem(
                    "(database)",
                    {
                        "reference data": [
                            "the procurement categories and CPV codes are not loaded; run "
                            "`flask --app portal reference sync` first"
                        ]
                    },
                )
            ]
        )
    files, file_errors = schema.load_directory(directory)
    problems = [_as_problem(e) for e in file_errors]
    plans: list[tuple[str, schema.ClauseFile, Clause | None, ClauseVersion | None]] = []
    report = SyncReport()
    clauses = {c.code: c for c in session.exec(select(Clause))}
    for clause_file in files:
        name = f"{clause_file.code}.yaml"
        data = _file_data(clause_file)
        clause = clauses.get(clause_file.code)
        if clause is None:
            plans.append(("create", clause_file, None, None))
            continue
        current = services.current_version(session, clause)
        if current is None:
            problems.append(
                FileProblem(
                    name,
                    {
                        "code": [
                            f"{clause.code} exists in the library as a draft that was never "
                            "published; publish or rename it first"
                        ]
                    },
                )
            )
            continue
        current_data = services.data_of(session, current)
        same_content = content.content_key(current_data) == content.content_key(data)
        retire = bool(clause_file.retired)
        is_retired = current.status == VersionStatus.retired
        binding = (
            services.mandatory_rules_standing(session, clause.id, on=date.today())
            if retire and not is_retired
            else []
        )
        if binding:
            problems.append(
                FileProblem(
                    name,
                    {
                        "retired": [
                            f"{clause.code} is a mandatory base criterion of "
                            f"{', '.join(c.code for _r, c in binding)}; ask the coordinator to "
                            "lift the mandatory rule before retiring the clause"
                        ]
                    },
                )
            )
            continue
        if same_content and retire == is_retired:
            report.unchanged.append(clause.code)
            continue
        if same_content and retire:
            plans.append(("retire", clause_file, clause, current))
            continue
        if same_content and not retire:
            problems.append(
                FileProblem(
                    name,
                    {
                        "retired": [
                            "the clause is retired in the library; bring it back with a new "
                            "version (changed content and a new change note)"
                        ]
                    },
                )
            )
            continue
        older = _matching_older_version(session, clause, current, data)
        if older is not None:
            report.warnings.append(
                (
                    clause.code,
                    f"{name} holds version {older.number}, but the library is at version "
                    f"{current.number}; the file was left alone (run `clauses export` to "
                    "update it)",
                )
            )
            continue
        if current_data["change_note"] == data["change_note"]:
            problems.append(
                FileProblem(
                    name,
                    {
                        "change_note": [
                            "the content changed but the change note did not; describe what "
                            "this new version changes"
                        ]
                    },
                )
            )
            continue
        draft = services.open_draft(session, clause.id)
        if draft is not None:
            problems.append(
                FileProblem(
                    name,
                    {
                        "code": [
                            f"{clause.code} has a version being prepared in the helpdesk "
                            f"({draft.status.value}); publish or reject it before changing "
                            "the file"
                        ]
                    },
                )
            )
            continue
        plans.append(("update", clause_file, clause, current))
    if problems:
        raise SyncError(sorted(problems, key=lambda p: p.file))

    for action, clause_file, clause, current in plans:
        data = _file_data(clause_file)
        if action == "retire":
            _retire(session, current)
            report.retired.append(clause_file.code)
            continue
        if clause is None:
            clause = Clause(code=clause_file.code, family=clause_file.family)
            session.add(clause)
            session.flush()
            report.created.append(clause_file.code)
        else:
            report.updated.append(clause_file.code)
        try:
            _publish_file(session, clause, current, data)
        except ValidationError as exc:
            # Checks that need the database (categories, CPV codes): the caller's session
            # is rolled back when SyncError leaves it, so nothing is loaded half-way.
            problems.append(FileProblem(f"{clause_file.code}.yaml", exc.as_json()))
            continue
        if clause_file.retired:
            _retire(session, session.get(ClauseVersion, clause.current_version_id))
    if problems:
        raise SyncError(sorted(problems, key=lambda p: p.file))
    session.flush()
    return report


def _matching_older_version(
    session: Session, clause: Clause, current: ClauseVersion, data: dict[str, Any]
) -> ClauseVersion | None:
    key = content.content_key(data)
    for version in services.history(session, clause):
        if version.id == current.id:
            continue
        if content.content_key(services.data_of(session, version)) == key:
            return version
    return None


def _publish_file(
    session: Session, clause: Clause, current: ClauseVersion | None, data: dict[str, Any]
) -> ClauseVersion:
    """Create a version from a file and take it through the workflow as the system."""
    now = utcnow()
    data = {k: v for k, v in data.items() if k != "retired"}
    version = services._new_version(session, clause, data, author=None, now=now, based_on=current)
    old = services.data_of(session, current) if current is not None else None
    services._touch_languages(version, old, data, now)
    if current is not None:
        for lang in content.LANGS:
            if getattr(version, f"{lang}_changed_at") is None:
                setattr(version, f"{lang}_changed_at", getattr(current, f"{lang}_changed_at"))
    session.flush()
    record(
        session,
        actor=None,
        action="clause.version.loaded",
        entity_type="clause",
        entity_id=clause.id,
        data={"version_id": version.id, "source": "clauses sync", "file": f"{clause.code}.yaml"},
    )
    services._set_status(session, version, VersionStatus.in_review, None, source="clauses sync")
    version.submitted_at = now
    services._publish(session, version, None)
    return version


def _retire(session: Session, version: ClauseVersion | None) -> None:
    if version is None or version.status != VersionStatus.published:
        return
    from portal.clauses import search

    services._set_status(session, version, VersionStatus.retired, None, source="clauses sync")
    version.retired_at = utcnow()
    search.unindex_version(session, version.id)


# ------------------------------------------------------------------------------------------------
# Export


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)


def clause_files(session: Session) -> tuple[list[schema.ClauseFile], list[FileProblem]]:
    """The current public version of every clause as a validated clause file."""
    result, problems = [], []
    rows = session.exec(
        select(ClauseVersion)
        .join(Clause, Clause.current_version_id == ClauseVersion.id)
        .order_by(ClauseVersion.code)
    )
    for version in rows:
        data = services.data_of(session, version)
        try:
            result.append(schema.ClauseFile.model_validate(data))
        except PydanticValidationError as exc:
            errors: dict[str, list[str]] = {}
            for field_path, messages in content.translate_errors(exc).items():
                errors.setdefault(field_path, []).extend(str(m) for m in messages)
            problems.append(FileProblem(f"{version.code}.yaml", errors))
    return result, problems


def export_directory(session: Session, directory: Path) -> ExportReport:
    """Write every clause's current public version to ``DIR/<code>.yaml`` in canonical form.

    Files whose content is already identical are not rewritten.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    files, report.problems = clause_files(session)
    for clause_file in files:
        path = directory / f"{clause_file.code}.yaml"
        text = schema.dump(clause_file)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            report.unchanged.append(clause_file.code)
            continue
        path.write_text(text, encoding="utf-8")
        report.written.append(clause_file.code)
    return report


# ------------------------------------------------------------------------------------------------
# Coverage statistics (issue 4 reads them)


#: The parts of a tender every category needs clauses for. Procedure clauses are welcome but
#: optional: a buyer can write the procedure without the library.
REQUIRED_PARTS: tuple[tuple[Placement, ...], ...] = (
    (Placement.exclusion, Placement.selection),
    (Placement.technical_specification,),
    (Placement.award,),
    (Placement.performance,),
)


@dataclass(frozen=True)
class ClauseFacts:
    code: str
    family: Family
    placement: Placement
    ambition: Ambition
    categories: tuple[str, ...]


@dataclass
class Coverage:
    total: int
    categories: list[str]
    #: (category, family) -> number of clauses.
    by_category_family: Counter
    by_category_placement: Counter
    by_category_ambition: Counter
    by_family: Counter
    by_placement: Counter
    by_ambition: Counter

    def placement_gaps(
        self, parts: Iterable[tuple[Placement, ...]] = REQUIRED_PARTS
    ) -> list[tuple[str, tuple[Placement, ...]]]:
        """(category, part) pairs without any clause, a part being a group of placements."""
        return [
            (cat, part)
            for cat in self.categories
            for part in parts
            if not any(self.by_category_placement[(cat, p)] for p in part)
        ]

    def gaps(self, families: Iterable[Family]) -> list[tuple[str, Family]]:
        """(category, family) pairs without any clause."""
        return [
            (cat, fam)
            for cat in self.categories
            for fam in families
            if not self.by_category_family[(cat, fam)]
        ]


def coverage(facts: Iterable[ClauseFacts], categories: list[str]) -> Coverage:
    facts = list(facts)
    cov = Coverage(
        total=len(facts),
        categories=categories,
        by_category_family=Counter(),
        by_category_placement=Counter(),
        by_category_ambition=Counter(),
        by_family=Counter(f.family for f in facts),
        by_placement=Counter(f.placement for f in facts),
        by_ambition=Counter(f.ambition for f in facts),
    )
    for f in facts:
        for cat in f.categories:
            cov.by_category_family[(cat, f.family)] += 1
            cov.by_category_placement[(cat, f.placement)] += 1
            cov.by_category_ambition[(cat, f.ambition)] += 1
    return cov


def facts_from_db(session: Session) -> list[ClauseFacts]:
    """The published clauses of the library."""
    versions = list(
        session.exec(
            select(ClauseVersion)
            .where(ClauseVersion.status == VersionStatus.published)
            .order_by(ClauseVersion.code)
        )
    )
    cats = services.categories_by_version(session, [v.id for v in versions])
    return [
        ClauseFacts(
            v.code, v.family, v.placement, v.ambition, tuple(c.code for c in cats.get(v.id, []))
        )
        for v in versions
    ]


def facts_from_files(directory: Path) -> tuple[list[ClauseFacts], list[schema.FileError]]:
    """The clause files of a folder that are not retired (and the files with errors)."""
    files, errors = schema.load_directory(Path(directory))
    facts = [
        ClauseFacts(f.code, f.family, f.placement, f.ambition, tuple(f.categories))
        for f in files
        if not f.retired
    ]
    return facts, errors


def category_order() -> list[str]:
    """Category codes in the order of ``categories.yaml``."""
    return list(schema.CATEGORY_PREFIXES)


def format_coverage(cov: Coverage) -> str:
    """A plain-text report: category x family table, then placements and ambitions."""
    families = list(Family)
    short = {f: f.code_suffix for f in families}
    placements = list(Placement)
    p_short = {
        Placement.procedure: "PROC",
        Placement.exclusion: "EXC",
        Placement.selection: "SEL",
        Placement.technical_specification: "TS",
        Placement.award: "AWD",
        Placement.performance: "PERF",
    }
    width = max(len(c) for c in cov.categories) + 2
    lines = [f"{cov.total} published clauses", ""]
    header = "category".ljust(width) + " ".join(f"{short[f]:>4}" for f in families)
    header += "  | " + " ".join(f"{p_short[p]:>4}" for p in placements)
    header += "  | " + " ".join(f"{a.value[:4]:>4}" for a in Ambition)
    lines.append(header)
    lines.append("-" * len(header))
    for cat in cov.categories:
        row = cat.ljust(width)
        row += " ".join(f"{cov.by_category_family[(cat, f)]:>4}" for f in families)
        row += "  | " + " ".join(f"{cov.by_category_placement[(cat, p)]:>4}" for p in placements)
        row += "  | " + " ".join(f"{cov.by_category_ambition[(cat, a)]:>4}" for a in Ambition)
        lines.append(row)
    lines.append("")
    lines.append("families:   " + ", ".join(f"{f.value} {cov.by_family[f]}" for f in families))
    lines.append("placements: " + ", ".join(f"{p.value} {cov.by_placement[p]}" for p in placements))
    lines.append("ambitions:  " + ", ".join(f"{a.value} {cov.by_ambition[a]}" for a in Ambition))
    required = [Family.environmental, Family.social, Family.pro_sme]
    gaps = cov.gaps(required)
    if gaps:
        lines.append("")
        lines.append(f"missing (environmental, social, pro-SME per category): {len(gaps)}")
        lines += [f"  {cat}: {fam.value}" for cat, fam in gaps]
    else:
        lines.append("")
        lines.append("every category has an environmental, a social and a pro-SME clause")
    holes = cov.placement_gaps()
    if holes:
        lines.append(f"missing (parts of the tender per category): {len(holes)}")
        lines += [f"  {cat}: {' or '.join(p.value for p in part)}" for cat, part in holes]
    else:
        lines.append(
            "every category has an exclusion or selection clause, a technical specification, "
            "an award criterion and a performance clause"
        )
    return "\n".join(lines)
