"""交办事项: the work items staff create by hand rather than read from a plan (issue 14).

A 批示件, a 会议议定事项, a task 上级交办, a 人大建议 or 政协提案, and the 常态化 duties that recur
without an end (a monthly safety inspection) are ordinary `WorkItem`s of a register plan of their
organisation (`services.loop.adhoc`), so that assignment, the task's life, reports, lights, 督办, 整改
and evaluation work on them unchanged.  This row keeps what the plan's rows cannot say: where the
item came from (`source`, 来文文号, 提出人), how often it recurs (`recurrence`, a cycle code of
`choices.RECURRENCE_LABELS`, None for a one-off item) and the scanned file it was created from (its
bytes a blob, `services.blobs`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base


class AdhocItem(Base):
    """The source, recurrence and attachment of a work item created by hand (交办事项)."""

    __tablename__ = "adhoc_items"

    item_id: Mapped[int] = mapped_column(ForeignKey("work_items.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(200))
    """来文文号 (or the meeting's 纪要 number)."""
    proposer: Mapped[str | None] = mapped_column(String(200))
    """提出人: the leader who wrote the 批示, the deputy who made the 建议 …"""
    recurrence: Mapped[str | None] = mapped_column(String(20))
    starts_on: Mapped[date]
    """The day the item was given (交办日期); a recurring duty's occurrences count from here."""
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))
    attachment_name: Mapped[str | None] = mapped_column(String(500))
    attachment_type: Mapped[str | None] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
