"""The organisation dashboard (首页 驾驶舱): every plan open for reporting in the actor's scope, with
its completion, its 红黄绿 counts, overdue tasks, missing and late reports of the last due cycle,
the current cycle's deadline, open urges and rectifications; and every unit ranked by reporting
completeness (报送完成率), with its reviewed evaluation score (复核得分) where one exists — like with
like: city 科室, 直属单位, districts' and schools' units each ranked among their own (`levels.tier`).

Everything is computed by the database in one statement (`dashboard_query`; no per-task Python).
For a reader of whole organisations (leader, office, viewer, administrator) it reads the rollups
(`db.rollups`: a row per item, a row per unit × plan × organisation, kept by the services in the
same transaction as every change they sum); for a unit's reporter, whose figures are its own
slots only, it reads the per-slot summary (`report_slots`).  Aimed at 1,000 plans and 1,000,000
reports on PostgreSQL: the home page under 200 ms (benchmarks/bench_dashboard.py gives the
measured figures).  Both statements give the same figures (the tests compare them, and both with
`status.plan_status`): the colours follow `rules` as `status.plan_status` does (the same facts,
the same thresholds), with two deliberate simplifications:

- rounding to one decimal is the database's, not Python's `round`: on an exact tie at a threshold
  a task may differ by one colour;
- the units' score is the reviewer's (复核) mean over the plans that have one; the computed score
  with its explanation is the evaluation page's (`evaluation.evaluate`, one plan at a time).
- a task handed down (下发) counts once, by the reader's own organisation, wearing the worst light
  of its own and of every item below it in scope (a school's red shows on the city's task and in
  the city's 红灯 count) and done when every part at every level is (办结 flows up,
  `dashboard_query._families`); its progress is its own units' (the task page rolls progress up
  by the targets' parts, `status`).

Cycles are computed in Python once per distinct schedule (most plans share one) and handed to the
statement as a small table (parameters, the same statement for any plans: it is built once per
scope, day and thresholds).  On PostgreSQL, which runs the statement on one core, a scope of
`HALVES_FROM` plans or more is computed as two parts of its plans at once on two connections
sharing one snapshot (REPEATABLE READ, `pg_export_snapshot`), and merged (`_in_halves`; the first
part, which also sums the units over every plan, takes `FIRST_SHARE` percent of the plans); such a
view holds two pooled connections while it runs.  Completeness counts, per slot (task × assigned
unit), the due cycles with a filed report (submitted, returned or accepted), as in `status`.
"""

from __future__ import annotations

import operator
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ARRAY, Integer, any_, exists, func, literal, select

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.evaluation import UnitAssessment
from eduplan.db.orgs import Organisation, Unit
from eduplan.db.plans import Plan
from eduplan.db.work import ReportingSchedule, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking.dashboard_cache import cached
from eduplan.services.tracking.dashboard_query import (
    DAY_ZERO,
    cycle_facts,
    plan_cycles_params,
    rollup_statement,
    statement,
)
from eduplan.services.tracking.dashboard_receipt import not_owed
from eduplan.services.tracking.levels import TIERS, tier
from eduplan.services.tracking.rollups import stored_zone
from eduplan.services.tracking.scope import visible_items

HALVES_FROM = 200
"""Plans from which PostgreSQL computes the dashboard in two halves at once (two connections)."""
FIRST_SHARE = 35
"""Percent of the plans in the first of the two halves when it also sums the units (`_in_halves`)."""
_SNAPSHOT = re.compile(r"[0-9A-Fa-f-]+")
_STATEMENTS: dict[tuple[Any, ...], Any] = {}


@dataclass(kw_only=True)
class PlanSummary:
    """One plan on the dashboard: its tasks as the actor sees them, the last due cycle, supervision."""

    plan_id: int
    title: str
    org_name: str
    cycle_kind: str
    tasks: int
    done: int
    average_percent: float
    counts: dict[str, int]
    overdue: int
    unspecified: int
    current_cycle: int | None
    current_due: date | None
    current_expected: int
    current_filed: int
    last_cycle: int | None
    last_due: date | None
    expected: int
    """Report slots of the last due cycle (task × assigned unit)."""
    filed: int
    late: int
    missing: int
    open_urges: int
    red_urges: int
    open_rectifications: int
    overdue_rectifications: int
    completion: float = 0.0
    """Tasks done over tasks, in percent."""

    def __post_init__(self) -> None:
        self.completion = round(100.0 * self.done / self.tasks, 1) if self.tasks else 0.0


@dataclass(kw_only=True)
class UnitRank:
    """A unit's reporting completeness over every due cycle of every plan in scope."""

    rank: int
    unit_id: int
    unit_name: str
    org_name: str
    tasks: int
    expected: int
    filed: int
    rate: float
    missing_last: int
    score: float | None
    score_plans: int
    tier: str = ""
    """The group the unit is ranked in (`levels.tier`): 市局科室, 直属单位, 县区 or 学校."""


@dataclass(kw_only=True)
class Dashboard:
    """What the home page shows, as of `today`, for `actor`'s scope (a reporter: their unit)."""

    today: date
    scope: str
    unit_view: bool
    plans: list[PlanSummary]
    units: list[UnitRank]
    totals: dict[str, Any] = field(default_factory=dict)
    next_due: date | None = None
    """The nearest deadline of a current cycle, today or later."""

    def __post_init__(self) -> None:
        dues = [p.current_due for p in self.plans if p.current_due and p.current_due >= self.today]
        self.next_due = min(dues) if dues else None


def org_dashboard(
    sessions: SessionFactory, actor: Principal, settings: Settings, today: date, use_cache: bool = True
) -> Dashboard:
    """The dashboard of the actor's organisation (or unit, for a reporter) as of `today` — reused
    while nothing it is computed from has changed (`dashboard_cache`), unless `use_cache` is off."""
    if not use_cache:
        return compute_dashboard(sessions, actor, settings, today)
    extra = (settings.timezone, settings.status_amber_lag, settings.status_red_lag)
    return cached(sessions, actor, today, extra, lambda: compute_dashboard(sessions, actor, settings, today))


def compute_dashboard(
    sessions: SessionFactory,
    actor: Principal,
    settings: Settings,
    today: date,
    halves_from: int | None = HALVES_FROM,
    rollups: bool | None = None,
) -> Dashboard:
    """The dashboard computed afresh by the database (one statement; on PostgreSQL, from
    `halves_from` plans, in two halves at once — None: never; from the rollups as `uses_rollups`
    says, or as `rollups` forces)."""
    zone = ZoneInfo(settings.timezone)
    with sessions() as session:
        conn = session.connection()
        dialect = conn.dialect.name
        if dialect == "postgresql":  # one snapshot for every read, shared with the second half's
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # a plan is in scope when one of its active items is (a semi-join: each plan stops at its
        # first such item)
        in_scope = exists().where(
            WorkItem.plan_id == Plan.id, WorkItem.active.is_(True), visible_items(actor)
        )
        plans = [
            _PlanRow._make(r)
            for r in conn.execute(
                select(
                    Plan.id,
                    Plan.title,
                    Organisation.name,
                    ReportingSchedule.cycle,
                    ReportingSchedule.due_day,
                    ReportingSchedule.starts_on,
                    ReportingSchedule.ends_on,
                )
                .join(ReportingSchedule, ReportingSchedule.plan_id == Plan.id)
                .join(Organisation, Organisation.id == Plan.org_id)
                .where(in_scope)
                .order_by(Plan.id)
            )
        ]
        scope_name = _scope_name(session, actor)
        if not plans:
            return Dashboard(
                today=today,
                scope=scope_name,
                unit_view=actor.role == "reporter",
                plans=[],
                units=[],
                totals=_totals([]),
            )
        keys = {(p.cycle, p.due_day, p.starts_on, p.ends_on) for p in plans}
        facts = {k: cycle_facts(*k, today, zone) for k in keys}
        plan_rows = []
        for p in plans:
            f = facts[(p.cycle, p.due_day, p.starts_on, p.ends_on)]
            start, end = (p.starts_on - DAY_ZERO).days, (p.ends_on - DAY_ZERO).days
            last_on = (f.last_due_on - DAY_ZERO).days if f.last_due_on else -1
            plan_rows.append((p.id, start, end, f.n_due, f.last_due, f.last_due_end, f.current, last_on))
        split = dialect == "postgresql" and halves_from is not None and len(plan_rows) >= halves_from
        if rollups is None:
            rollups = uses_rollups(actor, settings, stored_zone(conn))
        stmt = _statement(actor, settings, today, dialect, rollups)
        if split:
            # the first part also sums the units over every plan (from the rollups: no unit row in
            # the second), so it takes fewer plans
            cut = max(1, len(plan_rows) * (FIRST_SHARE if rollups else 50) // 100)
            rows = _in_halves(
                sessions,
                conn,
                stmt,
                plan_cycles_params(dialect, plan_rows[:cut], plan_rows),
                plan_cycles_params(dialect, plan_rows[cut:], []),
            )
        else:
            _tune(conn)
            rows = _figures(conn.execute(stmt, plan_cycles_params(dialect, plan_rows)))
        unit_ids = [r.key for r in rows if r.kind == "unit"]
        unit_names = {
            unit_id: (name, org, tier(level, kind))
            for unit_id, name, org, level, kind in conn.execute(
                select(Unit.id, Unit.name, Organisation.name, Organisation.level, Unit.kind)
                .join(Organisation, Organisation.id == Unit.org_id)
                .where(_among(Unit.id, unit_ids, dialect))
            )
        }
        scores = _scores(conn, [p.id for p in plans], unit_ids, dialect)
        excused = not_owed(conn, actor, plans, today)  # received late: counted from that day
    by_plan = {r.key: r for r in rows if r.kind == "plan"}
    summaries = []
    for p in plans:
        r = by_plan.get(p.id)
        if r is None:
            continue
        f = facts[(p.cycle, p.due_day, p.starts_on, p.ends_on)]
        has_last = f.last_due >= 0
        last_slots = int(r.slots) - excused.plan_last[p.id]
        summaries.append(
            PlanSummary(
                plan_id=p.id,
                title=p.title,
                org_name=p.name,
                cycle_kind=p.cycle,
                tasks=int(r.tasks),
                done=int(r.done),
                average_percent=round(float(r.percent or 0), 1),
                counts={"green": int(r.green), "amber": int(r.amber), "red": int(r.red)},
                overdue=int(r.overdue),
                unspecified=int(r.unspecified),
                current_cycle=f.current if f.current >= 0 else None,
                current_due=f.current_due,
                current_expected=int(r.slots) if f.current >= 0 else 0,
                current_filed=int(r.current_filed),
                last_cycle=f.last_due if has_last else None,
                last_due=f.last_due_on,
                expected=last_slots if has_last else 0,
                filed=int(r.last_filed),
                late=int(r.last_late),
                missing=max(0, last_slots - int(r.last_filed)) if has_last else 0,
                open_urges=int(r.urges),
                red_urges=int(r.red_urges),
                open_rectifications=int(r.fixes),
                overdue_rectifications=int(r.late_fixes),
            )
        )
    units = []
    for r in rows:
        if r.kind != "unit":
            continue
        expected, filed = int(r.slots) - excused.unit_cycles[r.key], int(r.last_filed)
        name, org, group = unit_names.get(r.key, ("", "", "其他"))
        score, scored = scores.get(r.key, (None, 0))
        rate = min(100.0, round(100.0 * filed / expected, 1)) if expected else 100.0
        units.append(
            UnitRank(
                rank=0,
                unit_id=r.key,
                unit_name=name,
                org_name=org,
                tasks=int(r.tasks),
                expected=expected,
                filed=filed,
                rate=rate,
                missing_last=max(0, int(r.last_late) - excused.unit_last[r.key]),
                score=score,
                score_plans=scored,
                tier=group,
            )
        )
    # like with like: city 科室, 直属单位, districts' and schools' units each ranked among their own
    units.sort(
        key=lambda u: (
            TIERS.index(u.tier),
            -u.rate,
            -(u.score if u.score is not None else -1.0),
            u.unit_name,
            u.unit_id,
        )
    )
    counters: dict[str, int] = {}
    for u in units:
        u.rank = counters[u.tier] = counters.get(u.tier, 0) + 1
    return Dashboard(
        today=today,
        scope=scope_name,
        unit_view=actor.role == "reporter",
        plans=summaries,
        units=units,
        totals=_totals(summaries),
    )


def _tune(conn: Any) -> None:
    if conn.dialect.name == "postgresql":  # JIT compiling the statement costs more than running it
        conn.exec_driver_sql("SET LOCAL jit = off")
        conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")


def uses_rollups(actor: Principal, settings: Settings, zone: str | None) -> bool:
    """Whether the actor's dashboard is read from the rollups: a reader of whole organisations,
    and late counted in `zone` (the stored rollups', `rollups.stored_zone`) as the settings ask."""
    return (actor.is_admin or actor.reads_org) and settings.timezone == zone


def _statement(actor: Principal, settings: Settings, today: date, dialect: str, rollups: bool) -> Any:
    """The statement for this scope, day and thresholds, built once (building it costs ~8 ms); its
    parameters (the plans' cycles) are given at each execution.  From the rollups or, not
    `rollups`, from the report slots."""
    key = (actor, settings.status_amber_lag, settings.status_red_lag, today, dialect, rollups)
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        if len(_STATEMENTS) >= 64:
            _STATEMENTS.clear()
        build = rollup_statement if rollups else statement
        stmt = _STATEMENTS[key] = build(actor, settings, today, dialect)
    return stmt


def _in_halves(
    sessions: SessionFactory, conn: Any, stmt: Any, first_half: dict[str, Any], second_half: dict[str, Any]
) -> list[_Figures]:
    """The statement's rows computed as two parts of the plans at once (their ``plan_cycles``):
    the first on `conn`, the second on another connection sharing its snapshot (PostgreSQL runs
    the statement on one core: no parallel plan over its CTEs).  Plan rows are independent; a
    unit's row found in both parts is summed (every column of a unit row is a count or a sum: a
    reporter's statement gives its unit's row in each; from the rollups the first part alone sums
    the units, over every plan)."""
    snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
    if not _SNAPSHOT.fullmatch(snapshot):
        raise ValueError(f"unexpected snapshot id {snapshot!r}")

    def second() -> list[_Figures]:
        with sessions() as other:
            c = other.connection()
            c.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            c.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            _tune(c)
            return _figures(c.execute(stmt, second_half))

    with ThreadPoolExecutor(max_workers=1) as pool:
        later = pool.submit(second)
        _tune(conn)
        rows = _figures(conn.execute(stmt, first_half))
        rows += later.result()
    merged = [r for r in rows if r.kind == "plan"]
    units: dict[int, _Figures] = {}
    for r in rows:
        if r.kind != "unit":
            continue
        kept = units.setdefault(r.key, r)
        if kept is not r:  # every column of a unit row but its kind and key is a count or a sum
            units[r.key] = _Figures._make((r.kind, r.key, *map(operator.add, kept[2:], r[2:])))
    return merged + list(units.values())


class _PlanRow(NamedTuple):
    """A plan in scope with its schedule (plain tuples: a thousand rows are read field by field)."""

    id: int
    title: str
    name: str
    """Its organisation's name."""
    cycle: str
    due_day: int
    starts_on: date
    ends_on: date


class _Figures(NamedTuple):
    """A row of the dashboard's statement (`dashboard_query`): a plan's (kind 'plan') or a unit's."""

    kind: str
    key: int
    tasks: int
    done: int
    percent: float | None
    green: int
    amber: int
    red: int
    overdue: int
    unspecified: int
    slots: int
    last_filed: int
    last_late: int
    current_filed: int
    urges: int
    red_urges: int
    fixes: int
    late_fixes: int


def _figures(result: Any) -> list[_Figures]:
    return [_Figures._make(r) for r in result]


def _scope_name(session: Any, actor: Principal) -> str:
    if actor.unit_id is not None and actor.role == "reporter":
        unit = session.get(Unit, actor.unit_id)
        return unit.name if unit else ""
    if actor.org_id is not None:
        org = session.get(Organisation, actor.org_id)
        return org.name if org else ""
    return "全部机构"


def _totals(plans: list[PlanSummary]) -> dict[str, Any]:
    tasks = sum(p.tasks for p in plans)
    done = sum(p.done for p in plans)
    expected = sum(p.expected for p in plans)
    filed = sum(p.filed for p in plans)
    return {
        "plans": len(plans),
        "tasks": tasks,
        "done": done,
        "completion": round(100.0 * done / tasks, 1) if tasks else 0.0,
        "average_percent": round(sum(p.average_percent * p.tasks for p in plans) / tasks, 1)
        if tasks
        else 0.0,
        "green": sum(p.counts["green"] for p in plans),
        "amber": sum(p.counts["amber"] for p in plans),
        "red": sum(p.counts["red"] for p in plans),
        "overdue": sum(p.overdue for p in plans),
        "expected": expected,
        "filed": filed,
        "late": sum(p.late for p in plans),
        "missing": sum(p.missing for p in plans),
        "filed_rate": round(100.0 * filed / expected, 1) if expected else 100.0,
        "current_expected": sum(p.current_expected for p in plans),
        "current_filed": sum(p.current_filed for p in plans),
        "open_urges": sum(p.open_urges for p in plans),
        "red_urges": sum(p.red_urges for p in plans),
        "open_rectifications": sum(p.open_rectifications for p in plans),
        "overdue_rectifications": sum(p.overdue_rectifications for p in plans),
        "unspecified": sum(p.unspecified for p in plans),
    }


def _among(col: Any, ids: list[int], dialect: str) -> Any:
    """`col IN ids`; on PostgreSQL one array parameter (``= ANY``), not one parameter per id: a
    thousand placeholders cost the driver more to render than the database to read."""
    if dialect == "postgresql":
        return col == any_(literal(ids, ARRAY(Integer)))
    return col.in_(ids)


def _scores(
    conn: Any, plan_ids: list[int], unit_ids: list[int], dialect: str
) -> dict[int, tuple[float, int]]:
    """Unit → (mean reviewer score, how many plans) over the plans in scope."""
    if not unit_ids:
        return {}
    rows = conn.execute(
        select(UnitAssessment.unit_id, func.avg(UnitAssessment.reviewer_score), func.count())
        .where(
            _among(UnitAssessment.plan_id, plan_ids, dialect),
            _among(UnitAssessment.unit_id, unit_ids, dialect),
            UnitAssessment.reviewer_score.is_not(None),
        )
        .group_by(UnitAssessment.unit_id)
    ).all()
    return {u: (round(float(s), 1), int(n)) for u, s, n in rows}


__all__ = ["Dashboard", "PlanSummary", "UnitRank", "org_dashboard"]
