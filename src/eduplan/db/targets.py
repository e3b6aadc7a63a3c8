"""Quantitative targets (量化目标) of tasks and their 其中… parts.

`kind` separates the targets a task commits to from the figures a five-year plan quotes in its
narrative (`Task.figures` in the domain); both are read the same way and kept in one table.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eduplan.db.base import Base


class Target(Base):
    """A target read from a span of a task's text: subject, comparator, value(s), unit."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    comparator: Mapped[str] = mapped_column(String(10))
    value: Mapped[float] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    per: Mapped[str | None] = mapped_column(String(100))

    parts: Mapped[list[TargetPart]] = relationship(order_by="TargetPart.position")


class TargetPart(Base):
    """One share of a target's breakdown (其中幼儿园6030个)."""

    __tablename__ = "target_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(40))
