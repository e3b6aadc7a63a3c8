"""A unit's reports on a set of items, as the Excel 填报模板 is made and read back: the reports of
one cycle (with their values), and each target's value last accepted before that cycle.

One home for both queries, so that the template prefills exactly what the upload then checks
against.  Read-only; one statement each, whatever the number of items.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from eduplan.db.reports import ProgressReport, ReportValue


def cycle_reports(
    session: Session, item_ids: list[int], unit_id: int, cycle: int
) -> dict[int, ProgressReport]:
    """The unit's reports of `cycle` on `item_ids`, with their values, by item."""
    return {
        r.item_id: r
        for r in session.scalars(
            select(ProgressReport)
            .where(
                ProgressReport.item_id.in_(item_ids),
                ProgressReport.unit_id == unit_id,
                ProgressReport.cycle == cycle,
            )
            .options(selectinload(ProgressReport.values))
        )
    }


def accepted_before(
    session: Session, item_ids: list[int], unit_id: int, cycle: int
) -> dict[int, dict[int, float]]:
    """item → target → the unit's value in its last accepted report before `cycle`."""
    found: dict[int, dict[int, float]] = {}
    for item_id, target_id, actual in session.execute(
        select(ProgressReport.item_id, ReportValue.target_id, ReportValue.actual)
        .join(ReportValue, ReportValue.report_id == ProgressReport.id)
        .where(
            ProgressReport.item_id.in_(item_ids),
            ProgressReport.unit_id == unit_id,
            ProgressReport.state == "accepted",
            ProgressReport.cycle < cycle,
        )
        .order_by(ProgressReport.cycle)
    ):
        found.setdefault(item_id, {})[target_id] = actual  # oldest first: the last accepted wins
    return found
