"""Supervision (督查督办): urges on a work item or one of its units, and rectification items (整改).

An `Urge` is 催办 (``yellow``) or 督办 (``red``), with a date by which the unit must answer; an
unanswered yellow urge past its date escalates to red.  A `Rectification` is a finding a unit must
put right by a deadline, with the measures taken and evidence, until office staff sign it off (销号).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base
from eduplan.db.versioned import Versioned
from eduplan.db.work import ItemRow


class Urge(ItemRow, Versioned, Base):
    """催办/督办 of an item (or of one unit of it) with an answer date."""

    __tablename__ = "urges"

    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    level: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    response: Mapped[str | None] = mapped_column(Text)
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[datetime]
    escalated_at: Mapped[datetime | None]
    signed_by: Mapped[str | None] = mapped_column(String(200))
    """Who of the unit signed for the urge (签收, a person's name); None: not yet."""
    signed_at: Mapped[datetime | None]


class Rectification(ItemRow, Versioned, Base):
    """整改: a finding a unit must put right by a deadline, signed off (销号) by office staff."""

    __tablename__ = "rectifications"

    urge_id: Mapped[int | None] = mapped_column(ForeignKey("urges.id", ondelete="SET NULL"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    finding: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date]
    state: Mapped[str] = mapped_column(String(20))
    measures: Mapped[str] = mapped_column(Text)
    review_note: Mapped[str | None] = mapped_column(Text)
    signed_off_by: Mapped[str | None] = mapped_column(String(100))
    signed_off_at: Mapped[datetime | None]
