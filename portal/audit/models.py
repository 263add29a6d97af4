"""The audit trail: one append-only row per change made through a service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from portal.db import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    #: The user who made the change; empty for changes made by the system or the CLI.
    actor_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    #: A dotted verb, for example ``clause.version.published`` or ``user.created``.
    action: str = Field(max_length=80, index=True)
    #: The kind of thing changed (``clause``, ``user``, ``dossier``...) and its id.
    entity_type: str = Field(max_length=40)
    entity_id: str = Field(max_length=64)
    #: What changed, as plain data (field names, old and new values, comments).
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
