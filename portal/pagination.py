"""Pagination of SQL queries for list pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session


@dataclass
class Page:
    items: list[Any]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw: Any) -> int:
    """Parse a page number from the query string; anything odd means page 1."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 100_000)


def paginate(session: Session, stmt: Any, raw_page: Any, size: int) -> Page:
    number = page_number(raw_page)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(session.exec(stmt.limit(size).offset((number - 1) * size)))
    return Page(items=items, number=number, size=size, total=int(total))
