"""The task's life as bureaus run it (issue 14): 签收, 退回/转办, 延期, 办结 — per unit of a work item.

A `Duty` (承办) is one assigned unit's part of a work item: it waits to be signed for (签收) by a time
limit, is signed, refused (退回：不属于本单位职责), asked to be closed (办结申请) and closed (办结).  Its
`deadline` is the unit's own approved deadline after an extension (延期).  A `DutyRequest` is one
request of the unit — a refusal, an extension or a closing — and the office's decision on it; the
requests are never deleted, so the history of a task is complete.  `version` guards concurrent
transitions (optimistic locking, as everywhere in the loop).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base
from eduplan.db.versioned import Versioned
from eduplan.db.work import ItemRow

DUTY_STATES = ("to_sign", "signed", "refused", "closing", "closed", "transferred")
REQUEST_KINDS = ("refuse", "extend", "close")
REQUEST_STATES = ("pending", "approved", "refused", "reassigned", "insisted", "returned")


class Duty(ItemRow, Versioned, Base):
    """One unit's part of a work item (承办) and where it stands in the task's life."""

    __tablename__ = "duties"
    __table_args__ = (UniqueConstraint("item_id", "unit_id"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime]
    """When the unit was given the task: the signing limit (a setting) counts from this day."""
    signed_by: Mapped[str | None] = mapped_column(String(200))
    """The signer's name (a person's name, not a login)."""
    signed_at: Mapped[datetime | None]
    deadline: Mapped[date | None]
    """The unit's approved deadline after an extension (None: the item's)."""
    closing_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]


class DutyRequest(Base):
    """A unit's refusal, extension or closing request and the office's decision on it."""

    __tablename__ = "duty_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(index=True)
    unit_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    new_deadline: Mapped[date | None]
    proposed_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    asked_by: Mapped[str] = mapped_column(String(200))
    asked_at: Mapped[datetime]
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
