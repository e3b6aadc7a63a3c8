"""The implementation loop of a plan: its reporting schedule, work items, assignments and targets.

A `WorkItem` (落实条目) is a tracked task being carried out by one organisation: the plan's own
organisation for the plan's tasks, or a district for a task handed down (下发) from the city, which
becomes a child item with `parent_id`.  Assignments name the units responsible (lead, support, or
plain 责任单位); an assignment whose words name no single unit (局各科室, 各县区) is `unspecified`
(待明确) until office staff name the units.  `ItemTarget`s are the targets being reported on, copied
from the parsed task (or split per district from the parent's) so that they outlive plan versions.
`version` columns guard edits (optimistic locking).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eduplan.db.base import Base
from eduplan.db.orgs import Organisation, Unit
from eduplan.db.targets import TargetFigures
from eduplan.db.versioned import Versioned


class ReportingSchedule(Versioned, Base):
    """How often the units of a plan report (周报/双周报/月报/季报) and by which day."""

    __tablename__ = "reporting_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), unique=True)
    cycle: Mapped[str] = mapped_column(String(20))
    due_day: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]


class WorkItem(Versioned, Base):
    """A tracked task carried out by one organisation (a district's when handed down)."""

    __tablename__ = "work_items"
    __table_args__ = (UniqueConstraint("tracked_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tracked_id: Mapped[int] = mapped_column(ForeignKey("tracked_tasks.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("work_items.id", ondelete="CASCADE"), index=True)
    active: Mapped[bool]
    deadline: Mapped[date | None]
    deadline_source: Mapped[str | None] = mapped_column(String(20))
    deadline_text: Mapped[str | None] = mapped_column(String(200))
    received_on: Mapped[date | None]
    """The day a handed-down item reached its organisation: its report cycles count from there."""

    organisation: Mapped[Organisation] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        order_by="Assignment.position", cascade="all, delete-orphan"
    )
    targets: Mapped[list[ItemTarget]] = relationship(
        order_by="ItemTarget.position", cascade="all, delete-orphan"
    )


class ItemRow:
    """The key of a row that belongs to one work item and goes with it (an assignment, a target, a
    report, a comment, a 批示, a duty, an urge, a rectification).

    A mixin: its columns come first (`sort_order=-1`), where the migrations put them."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("work_items.id", ondelete="CASCADE"), index=True, sort_order=-1
    )


class Assignment(ItemRow, Base):
    """A unit responsible for a work item in a role, or words still to be specified (待明确)."""

    __tablename__ = "assignments"

    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]

    unit: Mapped[Unit | None] = relationship()


class ItemTarget(ItemRow, TargetFigures, Base):
    """A target a work item reports actual values for; `parent_id` links a district's share."""

    __tablename__ = "item_targets"

    parent_id: Mapped[int | None] = mapped_column(ForeignKey("item_targets.id", ondelete="SET NULL"))
    position: Mapped[int]
    parts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, sort_order=1)
    """The parsed 其中… shares ({label, value, unit}), which 下发 splits by district."""
    plausible_min: Mapped[float | None] = mapped_column(sort_order=1)
    plausible_max: Mapped[float | None] = mapped_column(sort_order=1)
    """The range the office expects an actual in (DHIS2's min–max); outside it, a warning."""
