"""What a plan's status and evaluation are computed from, read in one go: the visible active items,
their assigned units, targets, every filed report (as plain tuples: thousands of them), each
unit's latest counted report, the actual values of those, supervision flags and unit names.

Read with a handful of plain column queries, no ORM objects: a plan of 40 tasks, 5 units and 26
cycles (5,200 reports) loads in about ten milliseconds (benchmarks/bench_loop.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Float, and_, func, select
from sqlalchemy.orm import Session

from eduplan.choices import unit_with_org
from eduplan.db.life import Duty
from eduplan.db.orgs import Organisation, Unit
from eduplan.db.reports import ProgressReport, ReportValue
from eduplan.db.work import Assignment, ItemTarget, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking.items import latest_tasks
from eduplan.services.tracking.levels import tier
from eduplan.services.tracking.plans import readable_plan, schedule_of
from eduplan.services.tracking.schedule import Cycle, cycles
from eduplan.services.tracking.scope import visible_items
from eduplan.services.tracking.supervision import supervision_flags

COUNTED = ("submitted", "accepted")
FILED = ("submitted", "accepted", "returned")
REPORT_COLUMNS = (
    ProgressReport.id,
    ProgressReport.item_id,
    ProgressReport.unit_id,
    ProgressReport.cycle,
    ProgressReport.state,
    ProgressReport.progress,
    ProgressReport.percent,
)
"""What the status rules and the ledger read of each filed report (plain rows, no ORM objects)."""


@dataclass(kw_only=True)
class PlanFacts:
    """Everything `status` and `evaluation` need about a plan, as the actor may see it."""

    plan_id: int
    starts_on: date
    ends_on: date
    cycles: list[Cycle]
    items: list[Any]
    """Rows (id, tracked_id, org_id, deadline, parent_id, received_on) in document order."""
    texts: dict[int, Any]
    units: dict[int, list[int]]
    """Item → its assigned units (a reporter: only its own)."""
    pending: set[int]
    """Items with words still to be specified (待明确)."""
    targets: dict[int, list[Any]]
    latest: dict[tuple[int, int], Any]
    """(item, unit) → its latest submitted or accepted report (id, item, unit, cycle, state,
    progress, percent, filed_at)."""
    filed: dict[tuple[int, int, int], float]
    """(item, unit, cycle) → first submission, Unix seconds."""
    actuals: dict[tuple[int, int], float] = field(default_factory=dict)
    """(unit, target) → the actual value in that unit's latest report."""
    flags: dict[int, tuple[bool, bool, int]] = field(default_factory=dict)
    unit_names: dict[int, str] = field(default_factory=dict)
    closed: set[tuple[int, int]] = field(default_factory=set)
    """(item, unit) whose part is 办结 (issue 14): a task all of whose units are closed is done."""
    unit_tiers: dict[int, str] = field(default_factory=dict)
    """Unit → its ranking group (`levels.tier`: 市局科室, 县区, 学校 …)."""
    waiting: set[int] = field(default_factory=set)
    """Items handed down whose organisation has not yet named its units (待分工)."""

    def children(self) -> dict[int, list[Any]]:
        """Item → the rows of the visible items handed down from it."""
        out: dict[int, list[Any]] = defaultdict(list)
        for i in self.items:
            if i.parent_id is not None:
                out[i.parent_id].append(i)
        return out

    def best_actuals(self) -> dict[int, float]:
        """Target → the highest actual value any unit reported."""
        best: dict[int, float] = {}
        for (_unit, target), actual in self.actuals.items():
            best[target] = max(actual, best.get(target, actual))
        return best


def _epoch(column: Any, dialect: str) -> Any:
    """A UTC timestamp column as Unix seconds, computed by the database: parsing thousands of
    datetimes in Python would cost more than the whole status."""
    if dialect == "sqlite":
        return func.cast(func.strftime("%s", column), Float)
    return func.extract("epoch", column)


def load_facts(session: Session, actor: Principal, plan_id: int, today: date) -> PlanFacts:
    """The facts of a plan the actor may follow (`NotFound` otherwise; `Invalid` when not open)."""
    plan = readable_plan(session, actor, plan_id)
    schedule = schedule_of(session, plan.id)
    starts_on, ends_on = schedule.starts_on, schedule.ends_on
    all_cycles = cycles(schedule.cycle, schedule.due_day, starts_on, ends_on)
    conn = session.connection()
    items = conn.execute(
        select(
            WorkItem.id,
            WorkItem.tracked_id,
            WorkItem.org_id,
            WorkItem.deadline,
            WorkItem.parent_id,
            WorkItem.received_on,
        )
        .where(WorkItem.plan_id == plan.id, WorkItem.active.is_(True), visible_items(actor))
        .order_by(WorkItem.tracked_id, WorkItem.id)
    ).all()
    ids = [i.id for i in items]
    texts = latest_tasks(session, {i.tracked_id for i in items})
    units: dict[int, list[int]] = defaultdict(list)
    pending: set[int] = set()
    closed: set[tuple[int, int]] = set()
    waiting: set[int] = set()
    for item_id, unit_id, state, duty_state in conn.execute(
        select(Assignment.item_id, Assignment.unit_id, Assignment.state, Duty.state)
        .outerjoin(Duty, and_(Duty.item_id == Assignment.item_id, Duty.unit_id == Assignment.unit_id))
        .where(Assignment.item_id.in_(ids))
        .order_by(Assignment.item_id, Assignment.position)
    ):
        if state == "assigned" and unit_id is not None:
            if actor.role != "reporter" or unit_id == actor.unit_id:
                units[item_id].append(unit_id)
                if duty_state == "closed":
                    closed.add((item_id, unit_id))
        elif state == "unspecified":  # handed down (`handed_down`) or 待分工 (`received`) is not 待明确
            pending.add(item_id)
        elif state == "received":
            waiting.add(item_id)
    targets: dict[int, list[Any]] = defaultdict(list)
    for t in conn.execute(
        select(
            ItemTarget.id,
            ItemTarget.item_id,
            ItemTarget.comparator,
            ItemTarget.value,
            ItemTarget.parent_id,
            ItemTarget.parts,
        ).where(ItemTarget.item_id.in_(ids))
    ):
        targets[t.item_id].append(t)
    reports = conn.execute(
        select(
            *REPORT_COLUMNS, _epoch(ProgressReport.first_submitted_at, conn.dialect.name).label("filed_at")
        ).where(ProgressReport.item_id.in_(ids), ProgressReport.state.in_(FILED))
    ).all()
    latest: dict[tuple[int, int], Any] = {}
    filed: dict[tuple[int, int, int], float] = {}
    for r in reports:  # plain tuples: attribute access on thousands of rows adds up
        _id, item_id, unit_id, cycle, state, _progress, _percent, filed_at = r
        if filed_at is not None:
            filed[(item_id, unit_id, cycle)] = float(filed_at)
        if state in COUNTED:
            key = (item_id, unit_id)
            if key not in latest or latest[key].cycle < cycle:
                latest[key] = r
    actuals: dict[tuple[int, int], float] = {}
    unit_of = {r.id: r.unit_id for r in latest.values()}
    if unit_of:
        for report_id, target_id, actual in conn.execute(
            select(ReportValue.report_id, ReportValue.target_id, ReportValue.actual).where(
                ReportValue.report_id.in_(list(unit_of))
            )
        ):
            actuals[(unit_of[report_id], target_id)] = actual
    flags = supervision_flags(session, ids, today)
    unit_names: dict[int, str] = {}
    unit_tiers: dict[int, str] = {}
    rows = conn.execute(
        select(
            Unit.id,
            Unit.name,
            Unit.kind,
            Organisation.level,
            Organisation.id,
            Organisation.name,
            Organisation.path,
        )
        .join(Organisation, Organisation.id == Unit.org_id)
        .where(Unit.id.in_({u for us in units.values() for u in us}))
    ).all()
    # where levels mix (the city's 科室 beside a district's or a school's units), every unit of
    # another organisation than the highest shown is named with it (甲区基础教育科, 甲区实验小学教务处)
    home = min(rows, key=lambda r: len(r[6]))[4] if rows else None
    for uid, name, kind, level, org_id, org_name, _path in rows:
        shown = name if org_id == home else unit_with_org(org_name, name)
        unit_names[uid], unit_tiers[uid] = shown, tier(level, kind)
    return PlanFacts(
        plan_id=plan.id,
        starts_on=starts_on,
        ends_on=ends_on,
        cycles=all_cycles,
        items=list(items),
        texts=texts,
        units=units,
        pending=pending,
        targets=targets,
        latest=latest,
        filed=filed,
        actuals=actuals,
        flags=flags,
        unit_names=unit_names,
        closed=closed,
        unit_tiers=unit_tiers,
        waiting=waiting,
    )
