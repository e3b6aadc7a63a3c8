"""The audit log (操作留痕): an append-only record of every change, who made it, when, before/after.

No foreign keys on purpose: an entry outlives the user, item or report it names, and deleting
those must never rewrite history.  Migration 0003 adds triggers that refuse UPDATE and DELETE.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base


class AuditEntry(Base):
    """One change: `entity` (report, item, assignment, schedule, user…) and its id, before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    user_id: Mapped[int | None]
    username: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    item_id: Mapped[int | None] = mapped_column(index=True)
    org_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
