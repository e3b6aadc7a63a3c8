"""最多报一次 (基层减负): a unit's new report starts from its last one, so only the change is typed.

For each item a unit owes a report on in some cycle and has not begun, the unit's latest report of an
earlier cycle (whatever its state: the unit's own words either way) gives the starting status,
percent, narrative and actual values.  Both the web form (/my/report) and the Excel template start
from it and mark it as carried over; nothing is saved until the unit saves or uploads.

Limit: read-only, one statement for all the items of a page or a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from eduplan.db.reports import ProgressReport


@dataclass(frozen=True)
class CarriedOver:
    """What a unit reported last for an item (in cycle `cycle`, before the one being filled)."""

    cycle: int
    state: str
    progress: str
    percent: float
    narrative: str
    values: dict[int, float] = field(default_factory=dict)


def carried_over(session: Session, unit_id: int, wanted: dict[int, int]) -> dict[int, CarriedOver]:
    """For each item id in `wanted` (item → the cycle being filled), the unit's latest report of an
    earlier cycle, if any."""
    if not wanted:
        return {}
    rows = session.scalars(
        select(ProgressReport)
        .where(ProgressReport.unit_id == unit_id, ProgressReport.item_id.in_(list(wanted)))
        .options(selectinload(ProgressReport.values))
        .order_by(ProgressReport.item_id, ProgressReport.cycle)
    ).all()
    out: dict[int, CarriedOver] = {}
    for r in rows:  # ordered by cycle: the last earlier one wins
        if r.cycle < wanted[r.item_id]:
            values = {x.target_id: x.actual for x in r.values}
            out[r.item_id] = CarriedOver(r.cycle, r.state, r.progress, r.percent, r.narrative, values)
    return out
