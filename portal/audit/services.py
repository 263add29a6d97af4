"""Write and read the audit trail. Services call :func:`record` for every change they make."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.audit.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "value") and isinstance(value.value, str):  # enums
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record(
    session: Session,
    *,
    actor: Any,
    action: str,
    entity_type: str,
    entity_id: Any,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row for a change (the caller's transaction commits it)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        data=_jsonable(data or {}),
    )
    session.add(event)
    return event


def events_for(session: Session, entity_type: str, entity_id: Any) -> list[AuditEvent]:
    """Return the audit rows of one entity, newest first."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id))
        .order_by(sa.desc(AuditEvent.occurred_at), sa.desc(AuditEvent.id))
    )
    return list(session.exec(stmt))
