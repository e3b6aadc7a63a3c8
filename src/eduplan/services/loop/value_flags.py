"""The office's side of the value rules: a plausible range per target (DHIS2's min–max) and the
flagged values of a cycle in one list (what `value_rules` finds in every report of a plan's cycle:
warnings, and errors in values stored before the rules existed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.db.reports import ProgressReport, ReportValue
from eduplan.db.work import ItemTarget, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.errors import Invalid, NotFound
from eduplan.services.tracking.reports import Accepted, facts, previous_values
from eduplan.services.tracking.scope import managed_item, visible_items
from eduplan.services.tracking.value_rules import check_values


@dataclass(frozen=True)
class TargetRange:
    """A target's plausible range as set (either end may be open)."""

    target_id: int
    plausible_min: float | None
    plausible_max: float | None


@dataclass(frozen=True)
class FlaggedValue:
    """One value the rules flag in a cycle: which report, unit and target, and why."""

    report_id: int
    item_id: int
    unit_id: int
    unit_name: str
    state: str
    target_id: int
    actual: float
    level: str
    message: str


def set_target_range(
    sessions: SessionFactory, actor: Principal, target_id: int, low: float | None, high: float | None
) -> TargetRange:
    """Set (or clear, with None) the range a target's actuals are expected in (office staff)."""
    for bound in (low, high):
        if bound is not None and not math.isfinite(bound):
            raise Invalid("合理范围须为有限的数字", fields={"range": "合理范围须为有限的数字"})
    if low is not None and high is not None and low > high:
        message = f"合理范围的下限 {low:g} 不能大于上限 {high:g}"
        raise Invalid(message, fields={"range": message})
    with sessions.begin() as session:
        target = session.get(ItemTarget, target_id)
        if target is None:
            raise NotFound(f"找不到目标 {target_id}")
        item = managed_item(session, actor, target.item_id)
        before = {"plausible_min": target.plausible_min, "plausible_max": target.plausible_max}
        target.plausible_min, target.plausible_max = low, high
        after = {"plausible_min": low, "plausible_max": high}
        record(session, actor, "range", "target", target.id, item.id, item.org_id, before, after)
        return TargetRange(target.id, low, high)


def flagged_values(
    sessions: SessionFactory, actor: Principal, plan_id: int, cycle: int
) -> list[FlaggedValue]:
    """Every value of a plan's reports for one cycle that the rules flag (office staff; drafts left
    out: a draft is its unit's own until submitted)."""
    actor.require_manager()
    with sessions() as session:
        items = session.scalars(
            select(WorkItem)
            .where(WorkItem.plan_id == plan_id, visible_items(actor))
            .options(selectinload(WorkItem.targets))
            .order_by(WorkItem.id)
        ).all()
        reports = session.scalars(
            select(ProgressReport)
            .where(
                ProgressReport.item_id.in_([i.id for i in items]),
                ProgressReport.cycle == cycle,
                ProgressReport.state != "draft",
            )
            .options(selectinload(ProgressReport.values))
            .order_by(ProgressReport.item_id, ProgressReport.unit_id)
        ).all()
        units = select(Unit.id, Unit.name).where(Unit.id.in_({r.unit_id for r in reports}))
        names = {unit_id: name for unit_id, name in session.execute(units)}
        by_item = {i.id: i for i in items}
        accepted: dict[int, Accepted] = {}
        for item_id, unit_id, c, target_id, actual in session.execute(
            select(
                ProgressReport.item_id,
                ProgressReport.unit_id,
                ProgressReport.cycle,
                ReportValue.target_id,
                ReportValue.actual,
            )
            .join(ReportValue, ReportValue.report_id == ProgressReport.id)
            .where(
                ProgressReport.item_id.in_(by_item),
                ProgressReport.state == "accepted",
                ProgressReport.cycle < cycle,
            )
            .order_by(ProgressReport.cycle)
        ):
            accepted.setdefault(item_id, []).append((unit_id, c, target_id, actual))
        out = []
        for r in reports:
            values = {x.target_id: x.actual for x in r.values}
            previous = previous_values(accepted.get(r.item_id, []), r.unit_id, r.cycle)
            for f in check_values(facts(by_item[r.item_id]), values, previous, r.narrative):
                out.append(
                    FlaggedValue(
                        r.id,
                        r.item_id,
                        r.unit_id,
                        names.get(r.unit_id, ""),
                        r.state,
                        f.target_id,
                        values[f.target_id],
                        f.level,
                        f.message,
                    )
                )
        return out
