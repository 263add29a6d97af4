"""The clause library's tables: clauses, their append-only versions, comments, feedback and
mandatory base criteria.

A :class:`Clause` is a stable identity (its code) with a pointer to its current public version.
A :class:`ClauseVersion` holds every field of the clause file format. Versions are append-only:
a version is editable only while it is a draft; once submitted its content never changes again
(a guard on flush enforces it, on top of the services). Versions get their number when they are
published, so numbers always follow the order of publication; drafts are addressed by id.

Categories and CPV codes are link tables, so the catalogue's filters are indexed joins. Texts
that have a language live in ``*_fr``, ``*_nl`` and ``*_en`` columns; structured lists
(parameters, verification, guidance, legal basis) are JSON in exactly the shape of the clause
file (``portal.clauses.schema.to_data``), which keeps the file round trip exact.

Full-text search uses a table made by hand in the migration (``clause_versions_fts``: an FTS5
virtual table on SQLite, a table of tsvectors with GIN indexes on PostgreSQL); see
:mod:`portal.clauses.search`.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from portal.clauses.vocabulary import (
    Ambition,
    CostEffect,
    Facilitator,
    Family,
    MarketReadiness,
    Placement,
)
from portal.db import UTCDateTime, enum_type, utcnow
from portal.i18n import _l

LANGS = ("fr", "nl", "en")


class VersionStatus(enum.StrEnum):
    """Where a clause version is in the curation workflow (transitions: services.TRANSITIONS)."""

    #: Being written by a curator or an expert; the only editable state.
    draft = "draft"
    #: Submitted by a curator; waits for a second curator to publish or reject it.
    in_review = "in_review"
    #: The clause's current version, shown in the catalogue.
    published = "published"
    #: Replaced by a newer published version; still readable at its permalink.
    superseded = "superseded"
    #: Withdrawn from use; still readable at its permalink.
    retired = "retired"

    @property
    def title(self) -> str:
        return str(STATUS_TITLES[self])

    @property
    def is_public(self) -> bool:
        return self in PUBLIC_STATUSES

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


STATUS_TITLES = {
    VersionStatus.draft: _l("Draft"),
    VersionStatus.in_review: _l("In review"),
    VersionStatus.published: _l("Published"),
    VersionStatus.superseded: _l("Superseded"),
    VersionStatus.retired: _l("Retired"),
}
#: Versions anyone may read (they have a number and a permalink).
PUBLIC_STATUSES = frozenset(
    {VersionStatus.published, VersionStatus.superseded, VersionStatus.retired}
)
#: Versions still in the helpdesk's hands.
OPEN_STATUSES = frozenset({VersionStatus.draft, VersionStatus.in_review})


class FeedbackKind(enum.StrEnum):
    """What a buyer reports about a clause version."""

    #: The clause was used in a tender without problems.
    used_ok = "used_ok"
    #: The text or the verification is unclear.
    unclear = "unclear"
    #: The market could not meet the requirement.
    market_failed = "market_failed"
    #: Meeting the clause cost too much.
    too_costly = "too_costly"
    #: The buyer suggests a better wording.
    suggested_wording = "suggested_wording"

    @property
    def title(self) -> str:
        return str(FEEDBACK_KIND_TITLES[self])


FEEDBACK_KIND_TITLES = {
    FeedbackKind.used_ok: _l("Used without problems"),
    FeedbackKind.unclear: _l("Unclear"),
    FeedbackKind.market_failed: _l("The market could not meet it"),
    FeedbackKind.too_costly: _l("Too costly"),
    FeedbackKind.suggested_wording: _l("Suggested wording"),
}


class FeedbackStatus(enum.StrEnum):
    """Where a piece of feedback is in the helpdesk's hands."""

    #: Waiting for a curator of the clause's family.
    open = "open"
    #: A curator started a draft that answers it (``answered_by_version_id``).
    in_progress = "in_progress"
    #: The version that answers it is published.
    resolved = "resolved"
    #: Read and closed by a curator without a new version (the reply says why).
    closed = "closed"

    @property
    def title(self) -> str:
        return str(FEEDBACK_STATUS_TITLES[self])


FEEDBACK_STATUS_TITLES = {
    FeedbackStatus.open: _l("Open"),
    FeedbackStatus.in_progress: _l("Draft in progress"),
    FeedbackStatus.resolved: _l("Answered by a new version"),
    FeedbackStatus.closed: _l("Closed"),
}


class CommentKind(enum.StrEnum):
    """Why a comment was written on a version."""

    #: A remark of an expert or a curator on a draft.
    comment = "comment"
    #: The reason a reviewer sent the version back to draft.
    rejection = "rejection"
    #: The reason a clause was retired.
    retirement = "retirement"

    @property
    def title(self) -> str:
        return str(COMMENT_KIND_TITLES[self])


COMMENT_KIND_TITLES = {
    CommentKind.comment: _l("Comment"),
    CommentKind.rejection: _l("Sent back to draft"),
    CommentKind.retirement: _l("Retired"),
}


class Clause(SQLModel, table=True):
    """A clause's stable identity. Its content lives in its versions."""

    __tablename__ = "clauses"

    id: int | None = Field(default=None, primary_key=True)
    #: ``PREFIX-FAMILY-NNN``, stable forever (``CLEAN-ENV-003``).
    code: str = Field(max_length=20, unique=True, index=True)
    #: Fixed by the code; decides which curators may edit the clause.
    family: Family = Field(sa_type=enum_type(Family), index=True)
    #: The current public version (published, or retired when the clause is withdrawn).
    current_version_id: int | None = Field(
        default=None,
        sa_column_args=[
            sa.ForeignKey(
                "clause_versions.id",
                use_alter=True,
                name="fk_clauses_current_version_id_clause_versions",
            )
        ],
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClauseVersion(SQLModel, table=True):
    """One version of a clause: every field of the file format, plus its workflow data."""

    __tablename__ = "clause_versions"
    __table_args__ = (
        sa.UniqueConstraint("clause_id", "number", name="uq_clause_versions_clause_number"),
        sa.Index("ix_clause_versions_status_family", "status", "family"),
    )

    id: int | None = Field(default=None, primary_key=True)
    clause_id: int = Field(foreign_key="clauses.id", index=True)
    #: The clause's code, repeated here because it never changes and every page shows it.
    code: str = Field(max_length=20, index=True)
    #: 1, 2, 3... given when the version is published; empty for drafts and versions in review.
    number: int | None = Field(default=None)
    status: VersionStatus = Field(sa_type=enum_type(VersionStatus), index=True)
    #: The published version this draft started from (publishing checks it is still current).
    based_on_id: int | None = Field(default=None, foreign_key="clause_versions.id")
    #: Incremented on every update; a stale edit raises Conflict (optimistic locking).
    lock_version: int = Field(default=1)

    family: Family = Field(sa_type=enum_type(Family))
    placement: Placement = Field(sa_type=enum_type(Placement), index=True)
    ambition: Ambition = Field(sa_type=enum_type(Ambition), index=True)
    facilitator: Facilitator = Field(sa_type=enum_type(Facilitator))

    title_fr: str = Field(default="", max_length=2000)
    title_nl: str = Field(default="", max_length=2000)
    title_en: str = Field(default="", max_length=2000)
    text_fr: str = Field(default="", sa_type=sa.Text)
    text_nl: str = Field(default="", sa_type=sa.Text)
    text_en: str = Field(default="", sa_type=sa.Text)
    #: Typed parameters, as in the file (list of ``schema.Parameter`` dumps).
    parameters: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    #: Award criteria only: suggested weight range (points out of 100) and scoring method.
    award_weight_min: int | None = None
    award_weight_max: int | None = None
    award_weight_suggested: int | None = None
    award_scoring_fr: str = Field(default="", sa_type=sa.Text)
    award_scoring_nl: str = Field(default="", sa_type=sa.Text)
    award_scoring_en: str = Field(default="", sa_type=sa.Text)
    #: Control instruments (MPDI 7), as in the file (list of ``schema.Verification`` dumps).
    verification: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    #: Guidance for buyers, as in the file (``schema.Guidance`` dump).
    guidance: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    market_readiness: MarketReadiness = Field(sa_type=enum_type(MarketReadiness))
    cost_effect: CostEffect = Field(sa_type=enum_type(CostEffect))
    #: When the guidance was last reviewed (the workspace flags guidance older than a year).
    guidance_reviewed_on: date = Field(index=True)
    #: Legal basis, as in the file (list of ``{instrument, article}``).
    legal_basis: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    change_note_fr: str = Field(default="", max_length=2000)
    change_note_nl: str = Field(default="", max_length=2000)
    change_note_en: str = Field(default="", max_length=2000)

    #: When the texts of each language last changed (translation tracking).
    fr_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    nl_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    en_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    #: Who wrote the version (empty for versions loaded from the corpus files).
    author_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    #: Who published it (empty for versions loaded from the corpus files).
    reviewer_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    superseded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.lock_version}

    def text(self, field: str, lang: str) -> str:
        return getattr(self, f"{field}_{lang}", "") or ""

    @property
    def is_award(self) -> bool:
        return self.placement == Placement.award


class ClauseVersionCategory(SQLModel, table=True):
    """A procurement category a version is written for (``position`` keeps the file's order)."""

    __tablename__ = "clause_version_categories"
    __table_args__ = (sa.Index("ix_clause_version_categories_category", "category_id"),)

    version_id: int = Field(foreign_key="clause_versions.id", primary_key=True)
    category_id: int = Field(foreign_key="procurement_categories.id", primary_key=True)
    position: int = 0


class ClauseVersionCpv(SQLModel, table=True):
    """An extra CPV code a version is specific to (``position`` keeps the file's order)."""

    __tablename__ = "clause_version_cpv_codes"
    __table_args__ = (sa.Index("ix_clause_version_cpv_codes_cpv", "cpv_code"),)

    version_id: int = Field(foreign_key="clause_versions.id", primary_key=True)
    cpv_code: str = Field(foreign_key="cpv_codes.code", primary_key=True, max_length=10)
    position: int = 0


class Contribution(enum.StrEnum):
    """How a user took part in a version (four eyes: none of them may publish it)."""

    #: Started the version (created the clause or started the new draft).
    author = "author"
    #: Saved a change to its content while it was a draft.
    editor = "editor"
    #: Sent it to review.
    submitter = "submitter"


class ClauseVersionContributor(SQLModel, table=True):
    """Who wrote, edited or submitted a version: one row per user and kind of contribution.

    Rows are only ever added (never removed when a version goes back to draft), so a version
    keeps every person who shaped it; ``services.can_publish`` refuses all of them.
    """

    __tablename__ = "clause_version_contributors"

    version_id: int = Field(foreign_key="clause_versions.id", primary_key=True)
    user_id: int = Field(foreign_key="users.id", primary_key=True, index=True)
    kind: Contribution = Field(sa_type=enum_type(Contribution), primary_key=True)
    first_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClauseComment(SQLModel, table=True):
    """A remark on a version: a comment on a draft, a rejection or a retirement reason."""

    __tablename__ = "clause_comments"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="clause_versions.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="users.id")
    kind: CommentKind = Field(sa_type=enum_type(CommentKind), default=CommentKind.comment)
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClauseFeedback(SQLModel, table=True):
    """A buyer's feedback on a version, routed to the curators of the clause's family."""

    __tablename__ = "clause_feedback"
    __table_args__ = (sa.Index("ix_clause_feedback_status_family", "status", "family"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="clause_versions.id", index=True)
    #: Copied from the clause, so that the routing to curators is one indexed query.
    family: Family = Field(sa_type=enum_type(Family))
    author_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    kind: FeedbackKind = Field(sa_type=enum_type(FeedbackKind))
    body: str = Field(default="", sa_type=sa.Text)
    status: FeedbackStatus = Field(sa_type=enum_type(FeedbackStatus), default=FeedbackStatus.open)
    #: The draft (later the version) a curator started to answer this feedback.
    answered_by_version_id: int | None = Field(default=None, foreign_key="clause_versions.id")
    #: The curator's reply when closing the feedback without a new version.
    reply: str = Field(default="", sa_type=sa.Text)
    processed_by_id: int | None = Field(default=None, foreign_key="users.id")
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class MandatoryClause(SQLModel, table=True):
    """A clause the coordinator made a mandatory base criterion of a category (MPDI 7)."""

    __tablename__ = "clause_mandatory"
    __table_args__ = (
        sa.UniqueConstraint("clause_id", "category_id", name="uq_clause_mandatory_clause_category"),
        sa.Index("ix_clause_mandatory_category", "category_id", "applies_from"),
    )

    id: int | None = Field(default=None, primary_key=True)
    clause_id: int = Field(foreign_key="clauses.id")
    category_id: int = Field(foreign_key="procurement_categories.id")
    #: First day on which the tender builder must include the clause.
    applies_from: date
    #: Last day on which it applies; empty while the obligation stands.
    applies_until: date | None = None
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# ------------------------------------------------------------------------------------------------
# Immutability: once a version leaves the draft state its content never changes. The services
# check this with friendly messages; this guard catches any code path that forgets.

#: Columns that may still change after submission (workflow data, not content).
WORKFLOW_COLUMNS = frozenset(
    {
        "status",
        "number",
        "lock_version",
        "updated_at",
        "submitted_at",
        "published_at",
        "superseded_at",
        "retired_at",
        "reviewer_id",
    }
)


class ImmutableVersionError(RuntimeError):
    """Code tried to change the content of a submitted clause version."""


def _status_before(version: ClauseVersion) -> Any:
    history = sa.inspect(version).attrs.status.history
    return history.deleted[0] if history.deleted else version.status


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _guard_submitted_versions(session: Any, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if not isinstance(obj, ClauseVersion) or _status_before(obj) == VersionStatus.draft:
            continue
        state = sa.inspect(obj)
        changed = [
            attr.key
            for attr in state.attrs
            if attr.key not in WORKFLOW_COLUMNS and attr.history.has_changes()
        ]
        if changed:
            raise ImmutableVersionError(
                f"clause version {obj.id} is {obj.status}: {', '.join(changed)} cannot change"
            )
    with session.no_autoflush:
        for obj in [*session.new, *session.deleted]:
            if not isinstance(obj, ClauseVersionCategory | ClauseVersionCpv):
                continue
            version = session.identity_map.get(
                sa.orm.util.identity_key(ClauseVersion, obj.version_id)
            )
            if version is not None and _status_before(version) != VersionStatus.draft:
                raise ImmutableVersionError(
                    f"clause version {version.id} is {version.status}: its links cannot change"
                )
