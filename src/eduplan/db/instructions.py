"""领导批示 (issue 14): a leader's (or the office's) written instruction on a work item, shown at the
top of the task and addressed to the units on it, each of which acknowledges it (已阅/办理).

An `Instruction` belongs to its item (deleted with it).  Its author is kept by name (the person's,
not the login) and by user id (NULL once the account is gone); `deadline` is the 办理期限 given,
with the words typed (`deadline_text`: 12月15日前, 下周五).  Instructions are kept as written: no
editing or deleting here, the audit log holds each one.

Whom it is addressed to is read, not stored: the units assigned to the item now (a unit that takes
the task over later sees it too).  An `InstructionAck` is one unit's acknowledgement, once per unit.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base
from eduplan.db.work import ItemRow

MAX_INSTRUCTION = 2000
"""Characters a 批示 may have."""


class Instruction(ItemRow, Base):
    """One 批示 on a work item."""

    __tablename__ = "instructions"

    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(100))
    author: Mapped[str] = mapped_column(String(200))
    """The author's name as people know it (姓名)."""
    role: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date | None]
    """办理期限 (None: none given)."""
    deadline_text: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]


class InstructionAck(Base):
    """A unit's acknowledgement of a 批示 (已阅/办理): who, when."""

    __tablename__ = "instruction_acks"
    __table_args__ = (UniqueConstraint("instruction_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instruction_id: Mapped[int] = mapped_column(ForeignKey("instructions.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acked_by: Mapped[str] = mapped_column(String(200))
    """The acknowledging person's name."""
    note: Mapped[str | None] = mapped_column(Text)
    """What the unit says it did (办理情况), if anything."""
    acked_at: Mapped[datetime]
