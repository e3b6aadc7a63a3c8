"""The per-slot summary of progress reports (报送汇总): one row per work item × unit that has filed
a report, kept in step with `progress_reports` by `services.loop.report_slots` in the same
transaction as every save, submission and review, so that the organisation dashboard reads ~66,000
summary rows instead of a million reports.

What is stored does not depend on the day the dashboard is viewed, on the schedule or on the zone:
- `filed`: one character per cycle index, ``1`` when that cycle's report is filed (submitted,
  accepted or returned, with a first submission), else ``0``;
- `submitted`: ten ASCII digits per cycle index, the first submission in Unix seconds (zeros when
  none), as bytes (bytea / BLOB): a substring of bytes is read at its offset, where a UTF-8 text
  substring walks every character before it;
- the latest counted (submitted or accepted) report's cycle, percent, progress code (0 in progress
  or not started, 1 done, 2 blocked) and id.
And `report_slot_values` (`ReportSlotValue`): that latest counted report's actual value of each
target, with the target's comparator and value copied, so that the dashboard's 目标达成 needs
neither the report values nor the targets.
Limits: the strings grow with the cycle count (a weekly plan over a year: ~580 characters); the
copied comparator and value assume a target is not edited once reported on (nothing edits one).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base

EPOCH_WIDTH = 10
"""Digits per cycle in `ReportSlot.submitted` (Unix seconds up to the year 2286)."""


class ReportSlot(Base):
    """What the dashboard needs of one slot's reports (task × responsible unit)."""

    __tablename__ = "report_slots"

    item_id: Mapped[int] = mapped_column(ForeignKey("work_items.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    filed: Mapped[str] = mapped_column(Text)
    submitted: Mapped[bytes] = mapped_column(LargeBinary)
    latest_cycle: Mapped[int | None]
    latest_percent: Mapped[float | None]
    latest_code: Mapped[int | None]
    latest_report_id: Mapped[int | None]


class ReportSlotValue(Base):
    """One target's actual value in a slot's latest counted report, with the target's rule."""

    __tablename__ = "report_slot_values"

    item_id: Mapped[int] = mapped_column(ForeignKey("work_items.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("item_targets.id", ondelete="CASCADE"), primary_key=True
    )
    actual: Mapped[float | None]
    comparator: Mapped[str] = mapped_column(String(10))
    value: Mapped[float]
