"""Quantitative targets (量化目标) of tasks and their 其中… parts.

`kind` separates the targets a task commits to from the figures a five-year plan quotes in its
narrative (`Task.figures` in the domain); both are read the same way and kept in one table.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eduplan.db.base import Base


class TargetFigures:
    """The columns of a target as read from a span of text: the span, subject, comparator, value(s)
    and unit — a parsed task's, and the work item's copy that is reported on (`work.ItemTarget`).

    A mixin: its columns follow the class's own; a class's columns after them (`sort_order=1`) keep
    the place the migrations gave them."""

    text: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    comparator: Mapped[str] = mapped_column(String(10))
    value: Mapped[float]
    value_max: Mapped[float | None]
    unit: Mapped[str] = mapped_column(String(40))


class Target(TargetFigures, Base):
    """A target read from a span of a task's text: subject, comparator, value(s), unit."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    position: Mapped[int]
    per: Mapped[str | None] = mapped_column(String(100), sort_order=1)

    parts: Mapped[list[TargetPart]] = relationship(order_by="TargetPart.position")


class TargetPart(Base):
    """One share of a target's breakdown (其中幼儿园6030个)."""

    __tablename__ = "target_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[float]
    unit: Mapped[str | None] = mapped_column(String(40))
