"""Clause library services: curation workflow, feedback, mandatory base criteria, search, and
the API the tender builder uses.

Services are plain functions over a session. They check permissions themselves, write an audit
row for every change, flush but never commit (the view or the CLI command commits).

Workflow (``TRANSITIONS`` is the only source of allowed status changes)::

    draft --submit--> in_review --publish--> published --supersede--> superseded
      ^                   |                      |
      +------reject-------+                      +--retire--> retired

Who may do what, on top of the role permissions of :mod:`portal.accounts.permissions`:

- curators act on the families of their themes (``vocabulary.FAMILY_THEMES``); experts propose
  drafts, edit their own drafts and comment in their themes, but never submit, review or publish;
  coordinators act on every family;
- nobody publishes a version they wrote, edited or submitted (four eyes), coordinators
  included: ``clause_version_contributors`` records every author, editor and submitter;
- publishing and sending back carry the ``lock_version`` the reviewer read: a version changed
  since (sent back, edited, submitted again) raises :class:`~portal.errors.Conflict`;
- a draft is the only editable state; an edit carries the ``lock_version`` the editor started
  from, and a stale one raises :class:`~portal.errors.Conflict`.

Tender builder API
==================

All functions take the request's session; versions are :class:`ClauseVersion` rows (read-only
for the builder: pin ``version.id`` or ``(version.code, version.number)``).

``proposed_versions(session, *, category: str, cpv_codes: Sequence[str] = ()) ->
dict[Placement, list[ClauseVersion]]``
    Published versions for a category code and CPV codes (a CPV code matches clauses attached to
    it or its ancestors, and clauses of the categories that cover it), grouped by placement in
    tender order (every placement is a key), each list ordered by ambition then code.
    :raises NotFound: unknown category. :raises ValidationError: malformed or unknown CPV code.

``mandatory_versions(session, *, category: str, on: date) -> list[ClauseVersion]``
    The versions that are mandatory base criteria of the category on that date: for each rule
    in force on the date, the version of the clause that was in force at the end of that day
    (the current published version for today or a future date). Retired clauses drop out.

``latest_published(session, code: str) -> ClauseVersion | None``
    The newest published version of a clause (compare its ``number`` with a pinned version to
    offer an upgrade); None when the clause is retired or was never published.

``diff_versions(session, old: ClauseVersion, new: ClauseVersion) -> list[FieldDiff]``
    Every field that differs or not, per language, with word-level segments
    (:class:`portal.clauses.diff.FieldDiff`; ``.changed``, ``.label``, ``.as_dict()``).

``version_document(session, version, values: dict | None = None, langs=("fr", "nl", "en"))
-> dict``
    A plain dict for document generation: code, number, family/placement/ambition (values and
    titles per language), titles, the text rendered with the parameter values (defaults for
    missing ones) per language and as paragraphs, parameters with their formatted values, award
    weight and scoring, verification (evidence, stage, what, how, with titles), guidance, legal
    basis with the official titles of ``LEGAL_INSTRUMENTS``, categories, CPV codes, permalink.
    :raises ValidationError: invalid parameter values (messages per parameter name).

``parameter_values(version, raw: Mapping) -> dict``
    Check and convert raw values (form strings or JSON) against the version's parameter types.
    :raises ValidationError: messages per parameter name.

``get_version(session, code: str, number: int) -> ClauseVersion`` and
``get_version_by_id(session, version_id: int) -> ClauseVersion``
    Look-ups (public versions only for the first). :raises NotFound:
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from portal.accounts.models import Role, User
from portal.accounts.permissions import Permission, can, require
from portal.audit.services import record
from portal.clauses import content, search
from portal.clauses.diff import FieldDiff, diff_data
from portal.clauses.models import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    Clause,
    ClauseComment,
    ClauseFeedback,
    ClauseVersion,
    ClauseVersionCategory,
    ClauseVersionContributor,
    ClauseVersionCpv,
    CommentKind,
    Contribution,
    FeedbackKind,
    FeedbackStatus,
    MandatoryClause,
    VersionStatus,
)
from portal.clauses.rendering import (
    ParameterError,
    coerce_values,
    format_value,
    join_list,
    paragraphs,
)
from portal.clauses.rendering import render_text as _render_text
from portal.clauses.schema import CATEGORY_PREFIXES, GENERIC_PREFIX, MAX_TEXT
from portal.clauses.vocabulary import (
    FAMILY_THEMES,
    FAMILY_TITLES,
    Ambition,
    Evidence,
    Family,
    Placement,
    Stage,
    families_for_themes,
)
from portal.db import utcnow
from portal.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationError
from portal.i18n import _l, current_lang
from portal.reference import services as reference
from portal.reference.models import ProcurementCategory

LANGS = content.LANGS
MAX_COMMENT = 4000
MAX_FEEDBACK = MAX_TEXT

#: The only allowed status changes, with the name of the action that makes each.
TRANSITIONS: dict[tuple[VersionStatus, VersionStatus], str] = {
    (VersionStatus.draft, VersionStatus.in_review): "submit",
    (VersionStatus.in_review, VersionStatus.draft): "reject",
    (VersionStatus.in_review, VersionStatus.published): "publish",
    (VersionStatus.published, VersionStatus.superseded): "supersede",
    (VersionStatus.published, VersionStatus.retired): "retire",
}


def check_transition(version: ClauseVersion, to: VersionStatus) -> str:
    """Return the action name of ``version.status -> to``.

    :raises InvalidTransition: the change is not in TRANSITIONS.
    """
    action = TRANSITIONS.get((version.status, to))
    if action is None:
        raise InvalidTransition(
            _l(
                "A version that is “%(current)s” cannot become “%(target)s”.",
                current=version.status.title,
                target=to.title,
            )
        )
    return action


# ------------------------------------------------------------------------------------------------
# Who may do what


def is_coordinator(actor: Any) -> bool:
    return getattr(actor, "role", None) == Role.coordinator and bool(
        getattr(actor, "is_active", False)
    )


def in_theme(actor: Any, family: Family) -> bool:
    """True when the actor works on the theme of ``family`` (coordinators work on all)."""
    if is_coordinator(actor):
        return True
    themes = getattr(actor, "theme_set", frozenset())
    return FAMILY_THEMES[Family(family)] in themes


def _require_theme(actor: Any, family: Family) -> None:
    if not in_theme(actor, family):
        raise PermissionDenied(
            _l(
                "Only the helpdesk members of the “%(family)s” theme may do this.",
                family=FAMILY_TITLES[Family(family)],
            )
        )


def actor_families(actor: Any) -> frozenset[Family]:
    """The families whose drafts and feedback the actor sees in the workspace."""
    if is_coordinator(actor):
        return frozenset(Family)
    return families_for_themes(getattr(actor, "theme_set", frozenset()))


def can_read(actor: Any, version: ClauseVersion) -> bool:
    """Public versions are for everyone; drafts for the helpdesk of the family."""
    if version.status in PUBLIC_STATUSES:
        return True
    if not can(actor, Permission.use_helpdesk_workspace):
        return False
    return in_theme(actor, version.family)


def can_edit(actor: Any, version: ClauseVersion) -> bool:
    """Curators of the family edit drafts; an expert edits the drafts they wrote."""
    if version.status != VersionStatus.draft or not in_theme(actor, version.family):
        return False
    if can(actor, Permission.edit_clause):
        return True
    return can(actor, Permission.propose_clause) and version.author_id == getattr(actor, "id", -1)


def can_publish(actor: Any, version: ClauseVersion) -> bool:
    """A curator of the family who neither wrote, edited nor submitted the version."""
    return (
        version.status == VersionStatus.in_review
        and can(actor, Permission.publish_clause)
        and can(actor, Permission.review_clause)
        and in_theme(actor, version.family)
        and not is_contributor(actor, version)
    )


def is_contributor(actor: Any, version: ClauseVersion) -> bool:
    """True when the actor wrote, edited or submitted the version (four eyes)."""
    user_id = getattr(actor, "id", None)
    if user_id is None:
        return False
    if version.author_id == user_id:
        return True
    session = sa.orm.object_session(version)
    if session is None or version.id is None:  # pragma: no cover - versions come from a session
        return False
    return user_id in contributor_ids(session, version.id)


def contributor_ids(session: Session, version_id: int) -> set[int]:
    """Everyone who wrote, edited or submitted a version."""
    rows = session.exec(
        select(ClauseVersionContributor.user_id).where(
            ClauseVersionContributor.version_id == version_id
        )
    )
    ids = set(rows)
    version = session.get(ClauseVersion, version_id)
    if version is not None and version.author_id:
        ids.add(version.author_id)
    return ids


def contributors(session: Session, version_id: int) -> dict[Contribution, list[int]]:
    """The user ids of each kind of contribution to a version, in the order they first came."""
    result: dict[Contribution, list[int]] = {kind: [] for kind in Contribution}
    rows = session.exec(
        select(ClauseVersionContributor)
        .where(ClauseVersionContributor.version_id == version_id)
        .order_by(ClauseVersionContributor.first_at, ClauseVersionContributor.user_id)
    )
    for row in rows:
        if row.user_id not in result[row.kind]:
            result[row.kind].append(row.user_id)
    return result


def _contribute(
    session: Session, version: ClauseVersion, actor: Any, kind: Contribution, now: datetime
) -> None:
    """Remember that the actor took part in the version (rows are never removed)."""
    user_id = getattr(actor, "id", None)
    if user_id is None or version.id is None:
        return
    row = session.get(ClauseVersionContributor, (version.id, user_id, kind))
    if row is None:
        session.add(
            ClauseVersionContributor(
                version_id=version.id, user_id=user_id, kind=kind, first_at=now, last_at=now
            )
        )
    else:
        row.last_at = now


# ------------------------------------------------------------------------------------------------
# Look-ups


def get_clause(session: Session, code: str) -> Clause:
    """:raises NotFound: no clause has this code."""
    clause = session.exec(select(Clause).where(Clause.code == (code or "")[:20].upper())).first()
    if clause is None:
        raise NotFound(_l("There is no clause “%(code)s”.", code=(code or "")[:20]))
    return clause


def get_version(session: Session, code: str, number: int) -> ClauseVersion:
    """A public version by clause code and number.

    :raises NotFound: no such clause or version.
    """
    clause = get_clause(session, code)
    version = session.exec(
        select(ClauseVersion).where(
            ClauseVersion.clause_id == clause.id, ClauseVersion.number == number
        )
    ).first()
    if version is None or version.status not in PUBLIC_STATUSES:
        raise NotFound(
            _l("Clause %(code)s has no version %(number)s.", code=clause.code, number=number)
        )
    return version


def get_version_by_id(session: Session, version_id: int) -> ClauseVersion:
    """:raises NotFound: no such version."""
    version = session.get(ClauseVersion, version_id)
    if version is None:
        raise NotFound(_l("This clause version does not exist."))
    return version


def current_version(session: Session, clause: Clause) -> ClauseVersion | None:
    """The clause's current public version (published or retired), if any."""
    if clause.current_version_id is None:
        return None
    return session.get(ClauseVersion, clause.current_version_id)


def latest_published(session: Session, code: str) -> ClauseVersion | None:
    """The newest published version of a clause; None if it is retired or never published."""
    return session.exec(
        select(ClauseVersion).where(
            ClauseVersion.code == (code or "").upper(),
            ClauseVersion.status == VersionStatus.published,
        )
    ).first()


def open_draft(session: Session, clause_id: int) -> ClauseVersion | None:
    """The clause's draft or version in review, if it has one."""
    return session.exec(
        select(ClauseVersion).where(
            ClauseVersion.clause_id == clause_id, ClauseVersion.status.in_(OPEN_STATUSES)
        )
    ).first()


def history(session: Session, clause: Clause) -> list[ClauseVersion]:
    """The public versions of a clause, newest first."""
    return list(
        session.exec(
            select(ClauseVersion)
            .where(
                ClauseVersion.clause_id == clause.id,
                ClauseVersion.status.in_(PUBLIC_STATUSES),
            )
            .order_by(sa.desc(ClauseVersion.number))
        )
    )


def version_categories(session: Session, version_id: int) -> list[ProcurementCategory]:
    return list(
        session.exec(
            select(ProcurementCategory)
            .join(
                ClauseVersionCategory,
                ClauseVersionCategory.category_id == ProcurementCategory.id,
            )
            .where(ClauseVersionCategory.version_id == version_id)
            .order_by(ClauseVersionCategory.position)
        )
    )


def version_cpv(session: Session, version_id: int) -> list[str]:
    return list(
        session.exec(
            select(ClauseVersionCpv.cpv_code)
            .where(ClauseVersionCpv.version_id == version_id)
            .order_by(ClauseVersionCpv.position)
        )
    )


def categories_by_version(
    session: Session, version_ids: Iterable[int]
) -> dict[int, list[ProcurementCategory]]:
    """The categories of many versions in one query (list pages)."""
    ids = list(version_ids)
    result: dict[int, list[ProcurementCategory]] = {i: [] for i in ids}
    if not ids:
        return result
    rows = session.exec(
        select(ClauseVersionCategory.version_id, ProcurementCategory)
        .join(ProcurementCategory, ProcurementCategory.id == ClauseVersionCategory.category_id)
        .where(ClauseVersionCategory.version_id.in_(ids))
        .order_by(ClauseVersionCategory.version_id, ClauseVersionCategory.position)
    )
    for version_id, category in rows:
        result[version_id].append(category)
    return result


def data_of(session: Session, version: ClauseVersion) -> dict[str, Any]:
    """The version's content in the shape of a clause file."""
    codes = [c.code for c in version_categories(session, version.id)]
    return content.version_data(version, codes, version_cpv(session, version.id))


def users_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(wanted)))}


# ------------------------------------------------------------------------------------------------
# Writing content


def _category_ids(session: Session, codes: Sequence[str]) -> list[int]:
    found = dict(
        session.exec(
            select(ProcurementCategory.code, ProcurementCategory.id).where(
                ProcurementCategory.code.in_(list(codes))
            )
        ).all()
    )
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError.single(
            "categories", _l("Unknown categories: %(codes)s.", codes=", ".join(missing))
        )
    return [found[c] for c in codes]


def _write_links(session: Session, version: ClauseVersion, canonical: dict[str, Any]) -> None:
    category_ids = _category_ids(session, canonical["categories"])
    for link in session.exec(
        select(ClauseVersionCategory).where(ClauseVersionCategory.version_id == version.id)
    ):
        session.delete(link)
    for link in session.exec(
        select(ClauseVersionCpv).where(ClauseVersionCpv.version_id == version.id)
    ):
        session.delete(link)
    session.flush()
    for position, category_id in enumerate(category_ids):
        session.add(
            ClauseVersionCategory(version_id=version.id, category_id=category_id, position=position)
        )
    for position, code in enumerate(canonical.get("cpv", [])):
        session.add(ClauseVersionCpv(version_id=version.id, cpv_code=code, position=position))


def _touch_languages(
    version: ClauseVersion, old: dict[str, Any] | None, new: dict[str, Any], now: datetime
) -> None:
    """Stamp each language whose texts changed (translation tracking)."""
    for lang in LANGS:
        before = content.language_texts(old, lang) if old is not None else None
        after = content.language_texts(new, lang)
        if before != after and any(after):
            setattr(version, f"{lang}_changed_at", now)


STALE_MESSAGE = _l(
    "Someone else saved this draft while you were editing it. Your changes were "
    "not saved: reload the draft, then make them again."
)
F = TypeVar("F", bound=Callable[..., Any])


def stale_as_conflict(func: F) -> F:
    """Turn SQLAlchemy's optimistic-locking failure (at any flush) into a Conflict."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StaleDataError:
            raise Conflict(STALE_MESSAGE) from None

    return wrapper  # type: ignore[return-value]


def _flush(session: Session) -> None:
    session.flush()


def next_code(session: Session, family: Family, categories: Sequence[str]) -> str:
    """A new clause code: the first category's prefix (or GEN for several categories)."""
    family = Family(family)
    if not categories:
        raise ValidationError.single("categories", _l("Choose at least one category."))
    if categories[0] not in CATEGORY_PREFIXES:
        raise ValidationError.single(
            "categories", _l("Unknown categories: %(codes)s.", codes=categories[0])
        )
    prefix = CATEGORY_PREFIXES[categories[0]] if len(categories) == 1 else GENERIC_PREFIX
    stem = f"{prefix}-{family.code_suffix}-"
    codes = session.exec(select(Clause.code).where(Clause.code.startswith(stem))).all()
    numbers = [int(c[len(stem) :]) for c in codes if c[len(stem) :].isdigit()]
    number = max(numbers, default=0) + 1
    if number > 999:
        raise ValidationError.single("categories", _l("No clause code is left for this family."))
    return f"{stem}{number:03d}"


def create_clause(session: Session, *, actor: Any, data: dict[str, Any]) -> ClauseVersion:
    """Create a new clause and its first draft from file-shaped data (code chosen here).

    :raises PermissionDenied: the actor may not propose clauses of this family.
    :raises ValidationError: invalid content (messages per field path).
    """
    require(actor, Permission.propose_clause)
    try:
        family = Family(data.get("family"))
    except ValueError:
        raise ValidationError.single("family", _l("Not one of the allowed values.")) from None
    _require_theme(actor, family)
    try:
        code = next_code(session, family, list(data.get("categories") or []))
    except ValidationError as exc:
        # Show every mistake at once, not the category first and the rest after a new try.
        try:
            content.validate_content(data, code=f"{GENERIC_PREFIX}-{family.code_suffix}-000")
        except ValidationError as others:
            others.errors.pop("categories", None)
            raise ValidationError({**exc.errors, **others.errors}) from None
        raise
    canonical = content.validate_content(data, code=code)
    now = utcnow()
    clause = Clause(code=code, family=family, created_at=now)
    session.add(clause)
    session.flush()
    version = _new_version(session, clause, canonical, author=actor, now=now)
    _touch_languages(version, None, canonical, now)
    record(
        session,
        actor=actor,
        action="clause.created",
        entity_type="clause",
        entity_id=clause.id,
        data={"code": code, "version_id": version.id, "family": family},
    )
    _flush(session)
    return version


def _new_version(
    session: Session,
    clause: Clause,
    canonical: dict[str, Any],
    *,
    author: Any,
    now: datetime,
    based_on: ClauseVersion | None = None,
) -> ClauseVersion:
    version = ClauseVersion(
        clause_id=clause.id,
        code=clause.code,
        status=VersionStatus.draft,
        based_on_id=based_on.id if based_on else None,
        author_id=getattr(author, "id", None),
        created_at=now,
        updated_at=now,
        guidance_reviewed_on=date.today(),
    )
    content.apply_to_version(version, canonical)
    session.add(version)
    session.flush()
    _write_links(session, version, canonical)
    _contribute(session, version, author, Contribution.author, now)
    return version


@stale_as_conflict
def start_draft(
    session: Session, *, actor: Any, code: str, feedback_id: int | None = None
) -> ClauseVersion:
    """Start a new draft of a clause from its current version (change note left to write).

    :raises PermissionDenied: the actor may not propose clauses of this family.
    :raises Conflict: the clause already has a draft or a version in review.
    :raises InvalidTransition: the clause has no public version to start from.
    """
    require(actor, Permission.propose_clause)
    clause = get_clause(session, code)
    _require_theme(actor, clause.family)
    existing = open_draft(session, clause.id)
    if existing is not None:
        raise Conflict(
            _l(
                "Clause %(code)s already has a version being prepared (%(status)s). "
                "Continue that one.",
                code=clause.code,
                status=existing.status.title,
            )
        )
    base = current_version(session, clause)
    if base is None:
        raise InvalidTransition(_l("This clause has no published version to start from."))
    data = data_of(session, base)
    data.pop("retired", None)
    now = utcnow()
    version = _new_version(session, clause, data, author=actor, now=now, based_on=base)
    for lang in LANGS:
        setattr(version, f"{lang}_changed_at", getattr(base, f"{lang}_changed_at"))
        setattr(version, f"change_note_{lang}", "")
    record(
        session,
        actor=actor,
        action="clause.draft.started",
        entity_type="clause",
        entity_id=clause.id,
        data={"version_id": version.id, "based_on": base.number, "feedback_id": feedback_id},
    )
    _flush(session)
    return version


@stale_as_conflict
def update_draft(
    session: Session, *, actor: Any, version_id: int, data: dict[str, Any], lock_version: int
) -> ClauseVersion:
    """Save a draft's content. ``lock_version`` is the one the editor loaded.

    :raises PermissionDenied: the actor may not edit this draft.
    :raises InvalidTransition: the version is no longer a draft.
    :raises Conflict: someone saved the draft since the editor loaded it.
    :raises ValidationError: invalid content (messages per field path); nothing is stored.
    """
    version = get_version_by_id(session, version_id)
    if version.status != VersionStatus.draft:
        raise InvalidTransition(
            _l(
                "Only drafts can be changed; this version is “%(status)s”.",
                status=version.status.title,
            )
        )
    if not can_edit(actor, version):
        raise PermissionDenied(_l("You may not edit this draft."))
    if int(lock_version) != version.lock_version:
        raise Conflict(STALE_MESSAGE)
    if str(data.get("family") or version.family.value) != version.family.value:
        raise ValidationError.single("family", _l("The family of a clause cannot change."))
    old = data_of(session, version)
    # A form lists categories in its own order; keep the clause's order (its first category
    # gives the code's prefix) and add new ones after it.
    chosen = list(data.get("categories") or [])
    ordered = [c for c in old["categories"] if c in chosen] + [
        c for c in chosen if c not in old["categories"]
    ]
    data = {**data, "family": version.family.value, "categories": ordered}
    canonical = content.validate_content(data, code=version.code)
    now = utcnow()
    content.apply_to_version(version, canonical)
    _write_links(session, version, canonical)
    _touch_languages(version, old, canonical, now)
    version.updated_at = now
    changed = sorted(
        k for k in set(old) | set(canonical) if old.get(k) != canonical.get(k) and k != "code"
    )
    if changed:
        _contribute(session, version, actor, Contribution.editor, now)
    record(
        session,
        actor=actor,
        action="clause.draft.saved",
        entity_type="clause",
        entity_id=version.clause_id,
        data={"version_id": version.id, "fields": changed},
    )
    _flush(session)
    return version


@stale_as_conflict
def submit_version(session: Session, *, actor: Any, version_id: int) -> ClauseVersion:
    """Send a draft to review (curators only); FR and NL must be complete.

    :raises PermissionDenied: the actor is not a curator of this family.
    :raises InvalidTransition: the version is not a draft.
    :raises ValidationError: incomplete content, an unchanged change note or no change at all.
    """
    version = get_version_by_id(session, version_id)
    check_transition(version, VersionStatus.in_review)
    require(actor, Permission.edit_clause, _l("Only curators send drafts to review."))
    _require_theme(actor, version.family)
    data = data_of(session, version)
    content.validate_content(data, code=version.code, required_langs=content.PUBLISH_LANGS)
    base = session.get(ClauseVersion, version.based_on_id) if version.based_on_id else None
    if base is not None:
        base_data = data_of(session, base)
        if content.content_key(base_data) == content.content_key(data):
            raise ValidationError.single("", _l("This draft does not change anything yet."))
        if base_data["change_note"]["fr"] == data["change_note"]["fr"]:
            raise ValidationError.single(
                "change_note.fr", _l("Write a new change note for this version.")
            )
    now = utcnow()
    _set_status(session, version, VersionStatus.in_review, actor)
    version.submitted_at = now
    _contribute(session, version, actor, Contribution.submitter, now)
    _flush(session)
    return version


def _check_review_lock(version: ClauseVersion, lock_version: int | None, action: str) -> None:
    """Refuse a review decision taken on a page older than the version (optimistic lock)."""
    if lock_version is None or int(lock_version) == version.lock_version:
        return
    from flask import has_app_context

    when: str = version.updated_at.isoformat(timespec="minutes")
    if has_app_context():
        from flask_babel import format_datetime

        when = format_datetime(version.updated_at, "short")
    if action == "publish":
        message = _l(
            "This version changed after you opened it (it is now “%(status)s”, last changed "
            "%(when)s). Nothing was published: read it again, then decide.",
            status=version.status.title,
            when=when,
        )
    else:
        message = _l(
            "This version changed after you opened it (it is now “%(status)s”, last changed "
            "%(when)s). It was not sent back: read it again, then decide.",
            status=version.status.title,
            when=when,
        )
    raise Conflict(message)


@stale_as_conflict
def publish_version(
    session: Session, *, actor: Any, version_id: int, lock_version: int | None = None
) -> ClauseVersion:
    """Publish a version in review; the previous version becomes superseded.

    ``lock_version`` is the one the reviewer read (the page's hidden field); None skips the
    check (command-line and demo callers that read the version themselves).

    :raises PermissionDenied: not a curator of the family, or the actor wrote, edited or
        submitted it (four eyes).
    :raises InvalidTransition: the version is not in review.
    :raises Conflict: the version changed since the reviewer read it, or another version was
        published since this draft started.
    """
    version = get_version_by_id(session, version_id)
    require(actor, Permission.review_clause, _l("Only curators review clauses."))
    require(actor, Permission.publish_clause, _l("Only curators publish clauses."))
    _require_theme(actor, version.family)
    _check_review_lock(version, lock_version, "publish")
    check_transition(version, VersionStatus.published)
    if is_contributor(actor, version):
        raise PermissionDenied(
            _l(
                "You wrote, edited or sent this version to review: another curator of the "
                "theme must publish it."
            )
        )
    _publish(session, version, actor)
    _flush(session)
    return version


def _publish(session: Session, version: ClauseVersion, actor: Any) -> None:
    clause = session.get(Clause, version.clause_id)
    current = current_version(session, clause)
    if (
        version.based_on_id is not None
        and current is not None
        and current.id != version.based_on_id
    ):
        raise Conflict(
            _l(
                "Version %(number)s was published after this draft was started. Start a new "
                "draft from it.",
                number=current.number,
            )
        )
    now = utcnow()
    last = session.exec(
        select(sa.func.max(ClauseVersion.number)).where(ClauseVersion.clause_id == clause.id)
    ).one()
    if current is not None and current.status == VersionStatus.published:
        _set_status(session, current, VersionStatus.superseded, actor, by=version.id)
        current.superseded_at = now
        search.unindex_version(session, current.id)
    _set_status(session, version, VersionStatus.published, actor, number=(last or 0) + 1)
    version.number = (last or 0) + 1
    version.published_at = now
    version.reviewer_id = getattr(actor, "id", None)
    clause.current_version_id = version.id
    session.flush()
    search.index_version(session, version)
    for fb in session.exec(
        select(ClauseFeedback).where(
            ClauseFeedback.answered_by_version_id == version.id,
            ClauseFeedback.status != FeedbackStatus.closed,
        )
    ):
        fb.status = FeedbackStatus.resolved
        fb.processed_at = now
        record(
            session,
            actor=actor,
            action="clause.feedback.resolved",
            entity_type="clause_feedback",
            entity_id=fb.id,
            data={"version_id": version.id, "number": version.number},
        )


def _set_status(
    session: Session, version: ClauseVersion, to: VersionStatus, actor: Any, **data: Any
) -> None:
    action = check_transition(version, to)
    old = version.status
    version.status = to
    version.updated_at = utcnow()
    record(
        session,
        actor=actor,
        action=f"clause.version.{action}",
        entity_type="clause",
        entity_id=version.clause_id,
        data={"version_id": version.id, "from": old, "to": to, **data},
    )


@stale_as_conflict
def reject_version(
    session: Session,
    *,
    actor: Any,
    version_id: int,
    comment: str,
    lock_version: int | None = None,
) -> ClauseVersion:
    """Send a version in review back to draft, with the reason.

    ``lock_version`` as for :func:`publish_version`.

    :raises PermissionDenied: the actor is not a curator of this family.
    :raises InvalidTransition: the version is not in review.
    :raises Conflict: the version changed since the reviewer read it.
    :raises ValidationError: no reason given.
    """
    version = get_version_by_id(session, version_id)
    require(actor, Permission.review_clause, _l("Only curators review clauses."))
    _require_theme(actor, version.family)
    _check_review_lock(version, lock_version, "reject")
    check_transition(version, VersionStatus.draft)
    body = _comment_text(comment, "comment")
    _set_status(session, version, VersionStatus.draft, actor, comment=body)
    version.submitted_at = None
    session.add(
        ClauseComment(
            version_id=version.id, author_id=actor.id, kind=CommentKind.rejection, body=body
        )
    )
    _flush(session)
    return version


@stale_as_conflict
def retire_clause(
    session: Session, *, actor: Any, code: str, reason: str, today: date | None = None
) -> ClauseVersion:
    """Withdraw a clause: its published version becomes retired (readable, not proposed).

    :raises PermissionDenied: the actor is not a curator of this family.
    :raises InvalidTransition: the clause has no published version, or it is a mandatory base
        criterion of a category on ``today`` or later (the coordinator lifts that rule first).
    :raises ValidationError: no reason given.
    """
    require(actor, Permission.retire_clause)
    clause = get_clause(session, code)
    _require_theme(actor, clause.family)
    version = current_version(session, clause)
    if version is None:
        raise InvalidTransition(_l("This clause has no published version to retire."))
    check_transition(version, VersionStatus.retired)
    binding = mandatory_rules_standing(session, clause.id, on=today or date.today())
    if binding:
        # A mandatory rule would point at a withdrawn clause: the coordinator decides first.
        raise InvalidTransition(
            _l(
                "Clause %(code)s is a mandatory base criterion of %(categories)s. It cannot be "
                "retired while that rule stands: ask the coordinator to lift the mandatory rule "
                "first, then retire the clause.",
                code=clause.code,
                categories=CategoryNames([category for _rule, category in binding]),
            )
        )
    body = _comment_text(reason, "reason")
    _set_status(session, version, VersionStatus.retired, actor, reason=body)
    version.retired_at = utcnow()
    session.add(
        ClauseComment(
            version_id=version.id, author_id=actor.id, kind=CommentKind.retirement, body=body
        )
    )
    search.unindex_version(session, version.id)
    _flush(session)
    return version


def _comment_text(raw: str, field: str, limit: int = MAX_COMMENT) -> str:
    text = (raw or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError.single(field, _l("This field is required."))
    if len(text) > limit:
        raise ValidationError.single(field, _l("Use at most %(n)s characters.", n=limit))
    return text


@stale_as_conflict
def add_comment(session: Session, *, actor: Any, version_id: int, body: str) -> ClauseComment:
    """Comment on a draft or a version in review (experts and curators of the family).

    :raises PermissionDenied: not an expert or curator of this family.
    :raises InvalidTransition: the version is already published.
    :raises ValidationError: empty or too long.
    """
    version = get_version_by_id(session, version_id)
    require(actor, Permission.comment_clause)
    if version.status not in OPEN_STATUSES:
        raise InvalidTransition(_l("Comments are for drafts and versions in review."))
    _require_theme(actor, version.family)
    comment = ClauseComment(
        version_id=version.id,
        author_id=actor.id,
        kind=CommentKind.comment,
        body=_comment_text(body, "body"),
    )
    session.add(comment)
    session.flush()
    record(
        session,
        actor=actor,
        action="clause.comment.added",
        entity_type="clause",
        entity_id=version.clause_id,
        data={"version_id": version.id, "comment_id": comment.id},
    )
    return comment


def comments(session: Session, version_id: int) -> list[ClauseComment]:
    return list(
        session.exec(
            select(ClauseComment)
            .where(ClauseComment.version_id == version_id)
            .order_by(ClauseComment.created_at, ClauseComment.id)
        )
    )


# ------------------------------------------------------------------------------------------------
# Feedback


def give_feedback(
    session: Session, *, actor: Any, version_id: int, kind: str, body: str
) -> ClauseFeedback:
    """Record a buyer's feedback on a public version; it goes to the family's curators.

    :raises PermissionDenied: the actor may not give feedback.
    :raises NotFound: the version is not public.
    :raises ValidationError: unknown kind, missing text (needed for all but "used without
        problems"), markup or text too long.
    """
    require(actor, Permission.give_feedback)
    version = get_version_by_id(session, version_id)
    if version.status not in PUBLIC_STATUSES:
        raise NotFound(_l("This clause version does not exist."))
    try:
        feedback_kind = FeedbackKind(kind)
    except ValueError:
        raise ValidationError.single("kind", _l("Not one of the allowed values.")) from None
    text = (body or "").replace("\r\n", "\n").strip()
    if feedback_kind != FeedbackKind.used_ok and not text:
        raise ValidationError.single("body", _l("Tell the helpdesk what happened."))
    if len(text) > MAX_FEEDBACK:
        raise ValidationError.single("body", _l("Use at most %(n)s characters.", n=MAX_FEEDBACK))
    from portal.clauses.schema import FORBIDDEN_MARKUP

    if FORBIDDEN_MARKUP.search(text):
        raise ValidationError.single(
            "body", _l("HTML, script or template tags are not allowed: write plain text.")
        )
    feedback = ClauseFeedback(
        version_id=version.id,
        family=version.family,
        author_id=actor.id,
        kind=feedback_kind,
        body=text,
    )
    session.add(feedback)
    session.flush()
    record(
        session,
        actor=actor,
        action="clause.feedback.given",
        entity_type="clause_feedback",
        entity_id=feedback.id,
        data={"code": version.code, "number": version.number, "kind": feedback_kind},
    )
    return feedback


def get_feedback(session: Session, feedback_id: int) -> ClauseFeedback:
    feedback = session.get(ClauseFeedback, feedback_id)
    if feedback is None:
        raise NotFound(_l("This feedback does not exist."))
    return feedback


def _require_feedback_curator(actor: Any, feedback: ClauseFeedback) -> None:
    require(actor, Permission.process_feedback)
    _require_theme(actor, feedback.family)


@stale_as_conflict
def close_feedback(session: Session, *, actor: Any, feedback_id: int, reply: str) -> ClauseFeedback:
    """Close feedback without a new version, with a reply the buyer sees.

    :raises PermissionDenied: not a curator of the family.
    :raises InvalidTransition: the feedback is already resolved or closed.
    :raises ValidationError: no reply.
    """
    feedback = get_feedback(session, feedback_id)
    _require_feedback_curator(actor, feedback)
    if feedback.status not in (FeedbackStatus.open, FeedbackStatus.in_progress):
        raise InvalidTransition(_l("This feedback is already processed."))
    feedback.reply = _comment_text(reply, "reply")
    feedback.status = FeedbackStatus.closed
    feedback.processed_by_id = actor.id
    feedback.processed_at = utcnow()
    record(
        session,
        actor=actor,
        action="clause.feedback.closed",
        entity_type="clause_feedback",
        entity_id=feedback.id,
        data={"reply": feedback.reply},
    )
    session.flush()
    return feedback


@stale_as_conflict
def start_draft_from_feedback(session: Session, *, actor: Any, feedback_id: int) -> ClauseVersion:
    """Answer feedback with a new draft of its clause (or the draft already open).

    The feedback is linked to that draft, and resolved when the draft is published.

    :raises PermissionDenied: not a curator of the family.
    :raises InvalidTransition: the feedback is already processed.
    """
    feedback = get_feedback(session, feedback_id)
    _require_feedback_curator(actor, feedback)
    if feedback.status != FeedbackStatus.open:
        raise InvalidTransition(_l("This feedback is already processed."))
    version = session.get(ClauseVersion, feedback.version_id)
    draft = open_draft(session, version.clause_id)
    if draft is None:
        draft = start_draft(session, actor=actor, code=version.code, feedback_id=feedback.id)
    feedback.answered_by_version_id = draft.id
    feedback.status = FeedbackStatus.in_progress
    feedback.processed_by_id = actor.id
    feedback.processed_at = utcnow()
    record(
        session,
        actor=actor,
        action="clause.feedback.answered",
        entity_type="clause_feedback",
        entity_id=feedback.id,
        data={"version_id": draft.id},
    )
    session.flush()
    return draft


def feedback_for_version(session: Session, version_ids: Iterable[int]) -> list[ClauseFeedback]:
    ids = list(version_ids)
    if not ids:
        return []
    return list(
        session.exec(
            select(ClauseFeedback)
            .where(ClauseFeedback.version_id.in_(ids))
            .order_by(sa.desc(ClauseFeedback.created_at), sa.desc(ClauseFeedback.id))
        )
    )


def feedback_by_author(session: Session, actor: Any, clause_id: int) -> list[ClauseFeedback]:
    """The actor's own feedback on any version of a clause, newest first."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(
        session.exec(
            select(ClauseFeedback)
            .join(ClauseVersion, ClauseVersion.id == ClauseFeedback.version_id)
            .where(ClauseVersion.clause_id == clause_id, ClauseFeedback.author_id == actor.id)
            .order_by(sa.desc(ClauseFeedback.created_at), sa.desc(ClauseFeedback.id))
        )
    )


# ------------------------------------------------------------------------------------------------
# Mandatory base criteria


def mark_mandatory(
    session: Session, *, actor: Any, code: str, category: str, applies_from: date
) -> MandatoryClause:
    """Make a published clause a mandatory base criterion of a category from a date.

    A clause has one rule per category: marking it again is refused while the rule applies on
    ``applies_from`` or later (end it first); after a rule ended, marking it again starts a new
    period (the audit trail keeps the old one).

    :raises PermissionDenied: the actor is not the coordinator.
    :raises ValidationError: the clause is not published or not written for the category, or
        it is already mandatory for the category on or after ``applies_from``.
    """
    require(actor, Permission.mark_mandatory)
    clause = get_clause(session, code)
    current = current_version(session, clause)
    if current is None or current.status != VersionStatus.published:
        raise ValidationError.single("clause", _l("Only a published clause can be mandatory."))
    try:
        cat = reference.get_category(session, category)
    except NotFound:
        raise ValidationError.single("category", _l("Choose a category.")) from None
    if cat.id not in {c.id for c in version_categories(session, current.id)}:
        raise ValidationError.single(
            "category", _l("This clause is not written for this category.")
        )
    rule = session.exec(
        select(MandatoryClause).where(
            MandatoryClause.clause_id == clause.id, MandatoryClause.category_id == cat.id
        )
    ).first()
    now = utcnow()
    previous = None
    if rule is None:
        rule = MandatoryClause(
            clause_id=clause.id,
            category_id=cat.id,
            applies_from=applies_from,
            created_by_id=actor.id,
            created_at=now,
            updated_at=now,
        )
        session.add(rule)
    elif rule.applies_until is None or rule.applies_until >= applies_from:
        if rule.applies_until is None:
            message = _l(
                "Clause %(code)s is already a mandatory base criterion of this category, from "
                "%(start)s. To change the date, end that criterion in the list below, then mark "
                "the clause again from a later day.",
                code=clause.code,
                start=LocalDate(rule.applies_from),
            )
        else:
            message = _l(
                "Clause %(code)s is already a mandatory base criterion of this category from "
                "%(start)s to %(end)s. Choose a first day after %(end)s.",
                code=clause.code,
                start=LocalDate(rule.applies_from),
                end=LocalDate(rule.applies_until),
            )
        raise ValidationError.single("applies_from", message)
    else:
        previous = {"from": rule.applies_from, "until": rule.applies_until}
        rule.applies_from = applies_from
        rule.applies_until = None
        rule.updated_at = now
    session.flush()
    record(
        session,
        actor=actor,
        action="clause.mandatory.marked",
        entity_type="clause_mandatory",
        entity_id=rule.id,
        data={
            "code": clause.code,
            "category": cat.code,
            "from": applies_from,
            **({"previous": previous} if previous else {}),
        },
    )
    return rule


def lift_mandatory(
    session: Session, *, actor: Any, mandatory_id: int, last_day: date
) -> MandatoryClause:
    """End a mandatory base criterion after ``last_day``.

    :raises PermissionDenied: the actor is not the coordinator.
    :raises ValidationError: the last day is before the first day.
    """
    require(actor, Permission.mark_mandatory)
    rule = session.get(MandatoryClause, mandatory_id)
    if rule is None:
        raise NotFound(_l("This mandatory criterion does not exist."))
    if last_day < rule.applies_from:
        raise ValidationError.single(
            "last_day", _l("The last day cannot be before the first day it applies.")
        )
    rule.applies_until = last_day
    rule.updated_at = utcnow()
    record(
        session,
        actor=actor,
        action="clause.mandatory.lifted",
        entity_type="clause_mandatory",
        entity_id=rule.id,
        data={"until": last_day},
    )
    session.flush()
    return rule


def list_mandatory(session: Session) -> list[tuple[MandatoryClause, Clause, ProcurementCategory]]:
    return list(
        session.exec(
            select(MandatoryClause, Clause, ProcurementCategory)
            .join(Clause, Clause.id == MandatoryClause.clause_id)
            .join(ProcurementCategory, ProcurementCategory.id == MandatoryClause.category_id)
            .order_by(ProcurementCategory.position, Clause.code)
        )
    )


def retired_clause_ids(session: Session, clause_ids: Iterable[int]) -> set[int]:
    """The clauses among ``clause_ids`` whose current version is retired."""
    ids = set(clause_ids)
    if not ids:
        return set()
    return set(
        session.exec(
            select(Clause.id)
            .join(ClauseVersion, ClauseVersion.id == Clause.current_version_id)
            .where(Clause.id.in_(ids), ClauseVersion.status == VersionStatus.retired)
        )
    )


def _end_of_day(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def version_in_force(session: Session, clause_id: int, on: date) -> ClauseVersion | None:
    """The version of a clause that was in force at the end of ``on`` (UTC)."""
    end = _end_of_day(on)
    ended = sa.func.coalesce(ClauseVersion.superseded_at, ClauseVersion.retired_at)
    return session.exec(
        select(ClauseVersion)
        .where(
            ClauseVersion.clause_id == clause_id,
            ClauseVersion.status.in_(PUBLIC_STATUSES),
            ClauseVersion.published_at < end,
            sa.or_(ended.is_(None), ended >= end),
        )
        .order_by(sa.desc(ClauseVersion.number))
    ).first()


def mandatory_versions(session: Session, *, category: str, on: date) -> list[ClauseVersion]:
    """The mandatory base criteria of a category on a date (see the module docstring)."""
    cat = reference.get_category(session, category)
    rules = session.exec(
        select(MandatoryClause).where(
            MandatoryClause.category_id == cat.id,
            MandatoryClause.applies_from <= on,
            sa.or_(MandatoryClause.applies_until.is_(None), MandatoryClause.applies_until >= on),
        )
    ).all()
    versions = []
    for rule in rules:
        # A retired clause drops out from the day it was retired (version_in_force knows).
        version = version_in_force(session, rule.clause_id, on)
        if version is not None:
            versions.append(version)
    return sorted(versions, key=lambda v: (list(Placement).index(v.placement), v.code))


def mandatory_codes(session: Session, category_id: int, on: date) -> set[str]:
    rows = session.exec(
        select(Clause.code)
        .join(MandatoryClause, MandatoryClause.clause_id == Clause.id)
        .where(
            MandatoryClause.category_id == category_id,
            MandatoryClause.applies_from <= on,
            sa.or_(MandatoryClause.applies_until.is_(None), MandatoryClause.applies_until >= on),
        )
    )
    return set(rows)


def mandatory_rules_standing(
    session: Session, clause_id: int, *, on: date
) -> list[tuple[MandatoryClause, ProcurementCategory]]:
    """The mandatory rules of a clause that apply on ``on`` or will apply later."""
    return list(
        session.exec(
            select(MandatoryClause, ProcurementCategory)
            .join(ProcurementCategory, ProcurementCategory.id == MandatoryClause.category_id)
            .where(
                MandatoryClause.clause_id == clause_id,
                sa.or_(
                    MandatoryClause.applies_until.is_(None), MandatoryClause.applies_until >= on
                ),
            )
            .order_by(ProcurementCategory.position)
        )
    )


class LocalDate:
    """A date written in the language of the page that shows the message (lazy messages)."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __str__(self) -> str:
        from flask import has_request_context
        from flask_babel import format_date

        return format_date(self.day) if has_request_context() else self.day.isoformat()


class CategoryNames:
    """Category names joined as a list ("A, B and C") in the language of the page that shows
    the message, for lazy messages raised by the services."""

    def __init__(self, categories: Sequence[ProcurementCategory]) -> None:
        self.names = [{lang: getattr(c, f"name_{lang}") for lang in LANGS} for c in categories]

    def __str__(self) -> str:
        from flask import has_app_context

        lang = current_lang() if has_app_context() else "en"
        return join_list([n.get(lang) or n["fr"] for n in self.names], lang)


def mandatory_for_clause(
    session: Session, clause_id: int
) -> list[tuple[MandatoryClause, ProcurementCategory]]:
    return list(
        session.exec(
            select(MandatoryClause, ProcurementCategory)
            .join(ProcurementCategory, ProcurementCategory.id == MandatoryClause.category_id)
            .where(MandatoryClause.clause_id == clause_id)
            .order_by(ProcurementCategory.position)
        )
    )


# ------------------------------------------------------------------------------------------------
# Catalogue search


@dataclass
class SearchQuery:
    q: str = ""
    category: str = ""
    cpv: str = ""
    family: Family | None = None
    placement: Placement | None = None
    ambition: Ambition | None = None

    @property
    def is_empty(self) -> bool:
        return not any(
            [self.q, self.category, self.cpv, self.family, self.placement, self.ambition]
        )


@dataclass
class SearchResult:
    items: list[ClauseVersion]
    total: int
    page: int
    per_page: int
    categories: dict[int, list[ProcurementCategory]] = field(default_factory=dict)
    #: False when more than ``total`` versions match (see ``search.COUNT_LIMIT``).
    exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def number(self) -> int:  # the name the ``pager`` macro reads
        return self.page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


MAX_QUERY = 200


def parse_search(args: Mapping[str, Any]) -> tuple[SearchQuery, dict[str, list[Any]]]:
    """Read catalogue filters from query-string arguments; return the query and field errors.

    Invalid filters are left out of the query and reported (the API answers 400, the page
    shows the message).
    """
    errors: dict[str, list[Any]] = {}
    query = SearchQuery()
    q = str(args.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        errors["q"] = [_l("Use at most %(n)s characters.", n=MAX_QUERY)]
    else:
        query.q = q
    for name, enum_cls in (("family", Family), ("placement", Placement), ("ambition", Ambition)):
        raw = str(args.get(name) or "").strip()
        if raw:
            try:
                setattr(query, name, enum_cls(raw))
            except ValueError:
                errors[name] = [_l("Not one of the allowed values.")]
    category = str(args.get("category") or "").strip()
    if category:
        from portal.clauses.schema import category_codes

        if category in category_codes():
            query.category = category
        else:
            errors["category"] = [
                _l("There is no procurement category “%(code)s”.", code=category[:40])
            ]
    cpv = str(args.get("cpv") or "").strip()
    if cpv:
        try:
            query.cpv = reference.validate_cpv(cpv, field="cpv")
        except ValidationError as exc:
            errors.update(exc.errors)
    return query, errors


def _filtered(session: Session, query: SearchQuery) -> Any:
    v = ClauseVersion
    conditions: list[Any] = [v.status == VersionStatus.published]
    if query.family:
        conditions.append(v.family == query.family)
    if query.placement:
        conditions.append(v.placement == query.placement)
    if query.ambition:
        conditions.append(v.ambition == query.ambition)
    if query.category:
        cat_id = session.exec(
            select(ProcurementCategory.id).where(ProcurementCategory.code == query.category)
        ).first()
        conditions.append(
            sa.exists().where(
                ClauseVersionCategory.version_id == v.id,
                ClauseVersionCategory.category_id == (cat_id or -1),
            )
        )
    if query.cpv:
        conditions.append(_cpv_condition(session, [query.cpv], descendants=True))
    return conditions


def _cpv_scope(
    session: Session, codes: Sequence[str], *, descendants: bool = False
) -> tuple[list[str], list[str]]:
    """For CPV codes: the codes and their ancestors, and the categories that cover them.

    With ``descendants`` (the catalogue's CPV filter) the categories whose CPV roots lie below a
    code count too: a buyer filtering by a CPV group expects what is written for its parts.
    """
    ancestors: set[str] = set()
    category_codes: set[str] = set()
    cpv_map = reference.category_cpv_map(session)
    for code in codes:
        ancestors.update(reference.cpv_ancestors(code))
        category_codes.update(
            cat
            for cat, roots in cpv_map.items()
            if any(
                reference.cpv_is_within(code, r)
                or (descendants and reference.cpv_is_within(r, code))
                for r in roots
            )
        )
    return sorted(ancestors), sorted(category_codes)


def _cpv_prefixes(codes: Sequence[str]) -> list[str]:
    """The significant digits of CPV codes: every code below one starts with them."""
    return sorted({reference.cpv_significant(code[:8]) for code in codes})


def _cpv_condition(session: Session, codes: Sequence[str], *, descendants: bool = False) -> Any:
    """Versions attached to a code or its ancestors, or written for a category covering it;
    with ``descendants``, also versions attached to a code below it (see :func:`_cpv_scope`)."""
    v = ClauseVersion
    ancestors, category_codes = _cpv_scope(session, codes, descendants=descendants)
    attached = [ClauseVersionCpv.cpv_code.in_(ancestors)]
    if descendants:
        attached += [ClauseVersionCpv.cpv_code.startswith(p) for p in _cpv_prefixes(codes)]
    options = [sa.exists().where(ClauseVersionCpv.version_id == v.id, sa.or_(*attached))]
    if category_codes:
        options.append(
            sa.exists().where(
                ClauseVersionCategory.version_id == v.id,
                ClauseVersionCategory.category_id.in_(
                    select(ProcurementCategory.id).where(
                        ProcurementCategory.code.in_(category_codes)
                    )
                ),
            )
        )
    return sa.or_(*options)


def _facet_groups(session: Session, query: SearchQuery) -> list[list[str]]:
    """The catalogue filters as groups of index tokens (one of each group must be present)."""
    groups = []
    if query.family:
        groups.append([search.family_token(query.family)])
    if query.placement:
        groups.append([search.placement_token(query.placement)])
    if query.ambition:
        groups.append([search.ambition_token(query.ambition)])
    if query.category:
        groups.append([search.category_token(query.category)])
    if query.cpv:
        ancestors, category_codes = _cpv_scope(session, [query.cpv], descendants=True)
        groups.append(
            [search.cpv_token(c) for c in ancestors]
            + [search.cpv_prefix_token(p) for p in _cpv_prefixes([query.cpv])]
            + [search.category_token(c) for c in category_codes]
        )
    return groups


def search_versions(
    session: Session, query: SearchQuery, *, page: int = 1, per_page: int = 20
) -> SearchResult:
    """Published versions matching a catalogue query, best matches first (code order without q).

    With words, the full-text index answers alone (words and filters intersect in it, see
    :mod:`portal.clauses.search`) and only the page of versions is read. Without words, the
    filters are indexed queries on the versions and their link tables. A query without
    searchable words (only punctuation) matches nothing.
    """
    page = min(max(int(page), 1), 100_000)
    offset = (page - 1) * per_page
    v = ClauseVersion
    page_ids: list[int] = []
    exact = True
    if query.q:
        found = search.search_page(
            session, query.q, _facet_groups(session, query), offset=offset, limit=per_page
        )
        total, exact, page_ids = found.total, found.exact, found.ids
    else:
        conditions = _filtered(session, query)
        total = session.exec(select(sa.func.count()).select_from(v).where(*conditions)).one()
        if total > offset:
            page_ids = list(
                session.exec(
                    select(v.id).where(*conditions).order_by(v.code).limit(per_page).offset(offset)
                )
            )
    items: list[ClauseVersion] = []
    if page_ids:
        loaded = {x.id: x for x in session.exec(select(v).where(v.id.in_(page_ids)))}
        items = [loaded[i] for i in page_ids if i in loaded]
    cats = categories_by_version(session, [x.id for x in items])
    return SearchResult(items, int(total), page, per_page, cats, exact)


def category_panel(session: Session, category: ProcurementCategory) -> dict[str, Any]:
    """The published clauses of a category grouped by placement, with the mandatory ones."""
    stmt = (
        select(ClauseVersion)
        .join(ClauseVersionCategory, ClauseVersionCategory.version_id == ClauseVersion.id)
        .where(
            ClauseVersionCategory.category_id == category.id,
            ClauseVersion.status == VersionStatus.published,
        )
    )
    versions = list(session.exec(stmt))
    groups = _group_by_placement(versions)
    return {
        "groups": groups,
        "total": len(versions),
        "mandatory": mandatory_codes(session, category.id, date.today()),
        "category": category,
    }


def _group_by_placement(versions: Iterable[ClauseVersion]) -> dict[Placement, list[ClauseVersion]]:
    groups: dict[Placement, list[ClauseVersion]] = {p: [] for p in Placement}
    for version in versions:
        groups[version.placement].append(version)
    for items in groups.values():
        items.sort(key=lambda v: (v.ambition.rank, v.code))
    return groups


# ------------------------------------------------------------------------------------------------
# Helpdesk workspace


@dataclass
class TranslationGap:
    version: ClauseVersion
    #: Languages with empty texts.
    missing: list[str]
    #: Languages whose texts are older than the French ones.
    outdated: list[str]


@dataclass
class Workspace:
    in_review: list[ClauseVersion]
    drafts: list[ClauseVersion]
    feedback: list[ClauseFeedback]
    stale_guidance: list[ClauseVersion]
    translations: list[TranslationGap]
    versions: dict[int, ClauseVersion]
    users: dict[int, User]
    overview: LibraryOverview


@dataclass(frozen=True)
class CoverageRow:
    """Published clauses of one category in the families looked at, per ambition level."""

    category: ProcurementCategory
    counts: dict[Ambition, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class LibraryOverview:
    """The library at a glance for a helpdesk member: coverage per category and the feedback
    of the last twelve months by kind (the workspace's charts)."""

    rows: list[CoverageRow]
    feedback: dict[FeedbackKind, int]

    @property
    def widest(self) -> int:
        return max((row.total for row in self.rows), default=0) or 1

    @property
    def feedback_widest(self) -> int:
        return max(self.feedback.values(), default=0) or 1

    @property
    def empty_categories(self) -> list[ProcurementCategory]:
        return [row.category for row in self.rows if row.total == 0]


FEEDBACK_WINDOW = timedelta(days=365)


def library_overview(
    session: Session, families: Sequence[Family], *, today: date | None = None
) -> LibraryOverview:
    """Published clauses per category and ambition, and feedback per kind over the last year,
    for these families (two grouped queries)."""
    today = today or date.today()
    v = ClauseVersion
    counted = session.exec(
        select(ClauseVersionCategory.category_id, v.ambition, sa.func.count())
        .join(v, v.id == ClauseVersionCategory.version_id)
        .where(v.status == VersionStatus.published, v.family.in_(families))
        .group_by(ClauseVersionCategory.category_id, v.ambition)
    ).all()
    by_category: dict[int, dict[Ambition, int]] = {}
    for category_id, ambition, count in counted:
        by_category.setdefault(category_id, {})[Ambition(ambition)] = int(count)
    categories = session.exec(
        select(ProcurementCategory).order_by(ProcurementCategory.position, ProcurementCategory.code)
    ).all()
    rows = [
        CoverageRow(c, {a: by_category.get(c.id, {}).get(a, 0) for a in Ambition})
        for c in categories
    ]
    since = datetime.combine(today - FEEDBACK_WINDOW, time.min, tzinfo=UTC)
    kinds = dict(
        session.exec(
            select(ClauseFeedback.kind, sa.func.count())
            .where(ClauseFeedback.family.in_(families), ClauseFeedback.created_at >= since)
            .group_by(ClauseFeedback.kind)
        ).all()
    )
    feedback = {k: int(kinds.get(k, 0)) for k in FeedbackKind}
    return LibraryOverview(rows, feedback)


GUIDANCE_MAX_AGE = timedelta(days=365)


def workspace(session: Session, *, actor: Any, today: date | None = None) -> Workspace:
    """What waits for the helpdesk member in their themes (coordinators: everything).

    :raises PermissionDenied: the actor has no access to the workspace.
    """
    require(actor, Permission.use_helpdesk_workspace)
    today = today or date.today()
    families = sorted(actor_families(actor))
    v = ClauseVersion
    open_versions = list(
        session.exec(
            select(v)
            .where(v.status.in_(OPEN_STATUSES), v.family.in_(families))
            .order_by(sa.desc(v.updated_at))
        )
    )
    in_review = [x for x in open_versions if x.status == VersionStatus.in_review]
    drafts = [x for x in open_versions if x.status == VersionStatus.draft]
    feedback = list(
        session.exec(
            select(ClauseFeedback)
            .where(
                ClauseFeedback.status.in_([FeedbackStatus.open, FeedbackStatus.in_progress]),
                ClauseFeedback.family.in_(families),
            )
            .order_by(ClauseFeedback.created_at, ClauseFeedback.id)
        )
    )
    stale = list(
        session.exec(
            select(v)
            .where(
                v.status == VersionStatus.published,
                v.family.in_(families),
                v.guidance_reviewed_on < today - GUIDANCE_MAX_AGE,
            )
            .order_by(v.guidance_reviewed_on, v.code)
        )
    )
    gaps = []
    candidates = list(
        session.exec(
            select(v)
            .where(
                v.status.in_([VersionStatus.published, *OPEN_STATUSES]),
                v.family.in_(families),
                _translation_suspects(),
            )
            .order_by(v.code)
        )
    )
    for version in candidates:
        gap = translation_gap(session, version)
        if gap.missing or gap.outdated:
            gaps.append(gap)
    wanted = {f.version_id for f in feedback} | {
        f.answered_by_version_id for f in feedback if f.answered_by_version_id
    }
    versions = {x.id: x for x in session.exec(select(v).where(v.id.in_(wanted)))} if wanted else {}
    user_ids = {x.author_id for x in open_versions} | {f.author_id for f in feedback}
    return Workspace(
        in_review=in_review,
        drafts=drafts,
        feedback=feedback,
        stale_guidance=stale,
        translations=gaps,
        versions=versions,
        users=users_by_id(session, user_ids),
        overview=library_overview(session, families, today=today),
    )


def _translation_suspects() -> Any:
    """Versions that may lack a translation or have one older than French (one SQL pass; the
    exact languages are then worked out in Python for these few)."""
    v = ClauseVersion
    conditions: list[Any] = [v.fr_changed_at.is_(None)]
    for lang in LANGS:
        for name in ("title", "text", "change_note"):
            conditions.append(getattr(v, f"{name}_{lang}") == "")
        conditions.append(
            sa.and_(
                v.award_weight_suggested.is_not(None), getattr(v, f"award_scoring_{lang}") == ""
            )
        )
        # An empty text in the JSON fields, as the JSON type writes it on both databases.
        for column in (v.parameters, v.verification, v.guidance):
            conditions.append(sa.cast(column, sa.Text).contains(f'"{lang}": ""'))
    for lang in ("nl", "en"):
        stamp = getattr(v, f"{lang}_changed_at")
        conditions.append(sa.or_(stamp.is_(None), stamp < v.fr_changed_at))
    return sa.or_(*conditions)


def translation_gap(session: Session, version: ClauseVersion) -> TranslationGap:
    """Which languages of a version are missing, and which are older than French."""
    data = content.version_data(version, [], [])
    missing = content.missing_languages(content.content_key(data))
    outdated = []
    fr = version.fr_changed_at
    for lang in ("nl", "en"):
        stamp = getattr(version, f"{lang}_changed_at")
        if lang not in missing and fr and stamp and stamp < fr:
            outdated.append(lang)
    return TranslationGap(version, missing, outdated)


# ------------------------------------------------------------------------------------------------
# Tender builder API (documented in the module docstring)


def proposed_versions(
    session: Session, *, category: str, cpv_codes: Sequence[str] = ()
) -> dict[Placement, list[ClauseVersion]]:
    """Published versions for a category and CPV codes, grouped by placement."""
    cat = reference.get_category(session, category)
    codes = [reference.validate_cpv(c, field=f"cpv_codes.{i}") for i, c in enumerate(cpv_codes)]
    v = ClauseVersion
    options = [
        sa.exists().where(
            ClauseVersionCategory.version_id == v.id, ClauseVersionCategory.category_id == cat.id
        )
    ]
    if codes:
        options.append(_cpv_condition(session, codes))
    versions = session.exec(
        select(v).where(v.status == VersionStatus.published, sa.or_(*options))
    ).all()
    return _group_by_placement(versions)


def diff_versions(session: Session, old: ClauseVersion, new: ClauseVersion) -> list[FieldDiff]:
    """Per-field, per-language differences between two versions of the same clause."""
    return diff_data(data_of(session, old), data_of(session, new))


def parameter_values(version: ClauseVersion, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check and convert parameter values against the version's parameter types.

    :raises ValidationError: messages per parameter name.
    """
    try:
        return coerce_values(version.parameters or [], dict(raw))
    except ParameterError as exc:
        raise ValidationError(
            {name: [parameter_message(key, params)] for name, (key, params) in exc.messages.items()}
        ) from None


def parameter_message(key: str, params: dict[str, Any]) -> Any:
    messages = {
        "not_a_number": _l("Enter a number."),
        "not_whole": _l("Enter a whole number."),
        "out_of_range": _l(
            "Enter a value between %(min)s and %(max)s.",
            min=params.get("min"),
            max=params.get("max"),
        ),
        "too_long": _l("Use at most %(n)s characters.", n=params.get("max")),
        "forbidden_characters": _l("Do not use {{, }} or < in a value."),
        "not_an_option": _l("Not one of the allowed values."),
    }
    return messages.get(key, _l("Invalid value."))


def render_texts(
    version: ClauseVersion, values: Mapping[str, Any] | None = None, langs: Sequence[str] = LANGS
) -> dict[str, str]:
    """The version's text in each language with the values (defaults for missing ones)."""
    checked = parameter_values(version, values or {})
    return {
        lang: _render_text(version.text("text", lang), version.parameters or [], checked, lang)
        for lang in langs
    }


def _titles(enum_member: Any, langs: Sequence[str]) -> dict[str, str]:
    from flask import has_app_context
    from flask_babel import force_locale

    result = {}
    for lang in langs:
        ctx = force_locale(lang) if has_app_context() else contextlib.nullcontext()
        with ctx:
            result[lang] = str(enum_member.title)
    return result


def version_document(
    session: Session,
    version: ClauseVersion,
    values: Mapping[str, Any] | None = None,
    langs: Sequence[str] = LANGS,
) -> dict[str, Any]:
    """A plain dict of a version for document generation (see the module docstring).

    :raises ValidationError: invalid parameter values.
    """
    checked = parameter_values(version, values or {})
    data = data_of(session, version)
    texts = {
        lang: _render_text(version.text("text", lang), version.parameters or [], checked, lang)
        for lang in langs
    }
    award = data.get("award")
    return {
        "code": version.code,
        "number": version.number,
        "status": version.status.value,
        "reference": f"{version.code} v{version.number}" if version.number else version.code,
        "permalink": f"/clauses/{version.code}/v/{version.number}" if version.number else None,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "family": {"value": version.family.value, "titles": _titles(version.family, langs)},
        "placement": {
            "value": version.placement.value,
            "titles": _titles(version.placement, langs),
        },
        "ambition": {"value": version.ambition.value, "titles": _titles(version.ambition, langs)},
        "facilitator": {
            "value": version.facilitator.value,
            "titles": _titles(version.facilitator, langs),
        },
        "categories": data["categories"],
        "cpv": data.get("cpv", []),
        "titles": {lang: version.text("title", lang) for lang in langs},
        "texts": texts,
        "paragraphs": {lang: paragraphs(texts[lang]) for lang in langs},
        "parameters": [
            {
                "name": p["name"],
                "type": p["type"],
                "label": {lang: p["label"].get(lang, "") for lang in langs},
                "value": checked.get(p["name"]),
                "formatted": {
                    lang: format_value(
                        p,
                        checked.get(p["name"])
                        if not isinstance(checked.get(p["name"]), dict)
                        else checked[p["name"]].get(lang),
                        lang,
                    )
                    for lang in langs
                },
            }
            for p in version.parameters or []
        ],
        "award": (
            {
                "weight": dict(award["weight"]),
                "scoring": {lang: award["scoring"][lang] for lang in langs},
            }
            if award
            else None
        ),
        "verification": [
            {
                "evidence": v["evidence"],
                "evidence_titles": _titles(Evidence(v["evidence"]), langs),
                "stage": v["stage"],
                "stage_titles": _titles(Stage(v["stage"]), langs),
                "what": {lang: v["what"][lang] for lang in langs},
                "how": {lang: v["how"][lang] for lang in langs},
            }
            for v in data["verification"]
        ],
        "guidance": {
            key: ({lang: value[lang] for lang in langs} if content.is_localized(value) else value)
            for key, value in data["guidance"].items()
        },
        "legal_basis": [
            {
                "instrument": b["instrument"],
                "article": b["article"],
                "titles": {lang: content.legal_title(b["instrument"], lang) for lang in langs},
                #: The article with its connecting words in each language ("art. 53 et 54").
                "articles": {lang: content.legal_article(b["article"], lang) for lang in langs},
                #: Title and article as one line in each language.
                "lines": {lang: content.legal_reference(b, lang) for lang in langs},
            }
            for b in data["legal_basis"]
        ],
        "change_note": {lang: version.text("change_note", lang) for lang in langs},
    }
