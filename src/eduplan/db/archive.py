"""Closed years (年度归档): a plan year of an organisation, archived by its office.

Once a row exists, every plan of that organisation and year is read-only: its work items, reports,
evidence, urges, rectifications and evaluation refuse changes (`services.archive`), while the
registry, search, comparison and the 台账/通报 exports read it as before.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base


class ArchivedYear(Base):
    """The plans of `org_id` for `year` are archived (只读)."""

    __tablename__ = "archived_years"
    __table_args__ = (UniqueConstraint("org_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    archived_by: Mapped[str] = mapped_column(String(100))
    archived_at: Mapped[datetime]
