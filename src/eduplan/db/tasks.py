"""Tasks (工作任务, the numbered items of a plan), their sub-items and responsible units.

Each version has its own `Task` rows, immutable like the version.  Tasks that are the same piece of
work across editions share one `TrackedTask` (台账条目): whatever later attaches to a task
(assignments, progress reports) attaches to the tracked task, so it follows a revision.  `change`
says how the task differs from its match in the previous version (added, changed, unchanged).
`has_target` is stored (set at import, never stale: versions are immutable) so that lists filter on
it without looking at `targets`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eduplan.db.base import Base
from eduplan.db.orgs import Unit
from eduplan.db.plans import Chapter, NumberedPassage, PlanVersion
from eduplan.db.targets import Target


class TrackedTask(Base):
    """A task across the versions of its plan (台账条目)."""

    __tablename__ = "tracked_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)


class Task(Base):
    """A numbered item of one plan version; `line` links it to its paragraph in the source lines."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id", ondelete="CASCADE"), index=True)
    tracked_id: Mapped[int] = mapped_column(ForeignKey("tracked_tasks.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int]
    number: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    units_text: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(index=True)
    line: Mapped[int | None]
    change: Mapped[str] = mapped_column(String(20))
    has_target: Mapped[bool] = mapped_column(default=False, server_default=false())
    """At least one target of kind ``target`` (量化目标); set by the import (revision 0004)."""
    kind: Mapped[str] = mapped_column(String(20), default="task", server_default="task")
    """``task``, or ``context`` for a background section (发展基础, 指导思想 …: 背景/说明) that the
    loop neither assigns nor reports on nor lights (revision 0011)."""

    version: Mapped[PlanVersion] = relationship()
    chapter: Mapped[Chapter] = relationship()
    tracked: Mapped[TrackedTask] = relationship()
    subitems: Mapped[list[SubItem]] = relationship(order_by="SubItem.position")
    unit_links: Mapped[list[TaskUnit]] = relationship(order_by="TaskUnit.position")
    targets: Mapped[list[Target]] = relationship(order_by="Target.position")


class SubItem(NumberedPassage, Base):
    """A numbered sub-point of a task: （1） ① …"""

    __tablename__ = "subitems"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)


class TaskUnit(Base):
    """A unit named by a task, as written (`name`) and as resolved (`unit_id`), in its role.

    Group words (局各科室, 各县区教育局 …) are kept as written with no unit (`unit_id` NULL, revision
    0011): they are never a row of the unit directory; the loop shows them as 待明确."""

    __tablename__ = "task_units"
    # The tasks of a unit from the index alone: `unit=` filters start from the unit's links.
    __table_args__ = (Index("ix_task_units_unit_id_task_id", "unit_id", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))

    unit: Mapped[Unit | None] = relationship()
