"""The progress bulletin (进展通报) of one reporting cycle: what the docx and the exports page show.

`bulletin` picks a cycle (default: the latest whose due day has passed), computes the ledger with
progress as of the bulletin's day and sums it up: tasks, completed, 正常/滞后/严重滞后 counts,
overdue tasks, the cycle's reporting completeness, the red (严重滞后) and overdue lists and the
ranking of the responsible units.

The bulletin's day (`as_of`) is today for the latest due cycle and, for an earlier one, the day
after its due day (when that bulletin would have been written).  Limit: reports are taken as they
are now — for an earlier cycle a report filed since still counts towards progress.

Ranking (单位排名), explained on the bulletin itself: this cycle's reporting rate (报送率), then the
cumulative rate, then fewer 严重滞后 tasks, then the higher average percent reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import Invalid, NotFound
from eduplan.services.tracking.ledger_rows import LedgerRow, progress_ledger, units_text
from eduplan.services.tracking.levels import TIERS
from eduplan.services.tracking.measures import EXPLANATION
from eduplan.services.tracking.plans import get_schedule
from eduplan.services.tracking.views import CycleView, ItemRef, UnitCompleteness
from eduplan.services.view_rows import from_row

RANKING_RULE = "市局科室、直属单位、县区、学校各自排名；排名依据：本期报送率、累计报送率、严重滞后任务数（少者在前）、平均完成进度"
QUARTERS = "一二三四"


@dataclass(kw_only=True)
class BulletinCycle:
    """A reporting cycle as a bulletin names it: 第N期, 2024年4月."""

    index: int
    number: int
    label: str
    start: date
    end: date
    due: date


@dataclass(kw_only=True)
class Reporting:
    """Reporting completeness of the cycle: slots due, filed on time, late, missing, rate %."""

    expected: int
    on_time: int
    late: int
    missing: int
    rate: float


@dataclass(kw_only=True)
class RankedUnit:
    """A responsible unit in the ranking, with the figures it was ranked by."""

    rank: int
    unit_id: int
    unit_name: str
    tasks: int
    red: int
    amber: int
    average_percent: float
    cycle_expected: int
    cycle_filed: int
    cycle_rate: float
    total_rate: float
    tier: str = ""
    """The group it is ranked within (`levels.tier`): like with like."""


@dataclass(kw_only=True)
class ListedTask(ItemRef):
    """A task of the red or overdue list."""

    units: str
    deadline: date | None
    expected: float
    progress: float
    lag: float
    reasons: list[str]


@dataclass(kw_only=True)
class Bulletin:
    """Everything the 进展通报 says, for the docx and its HTML twin."""

    plan_id: int
    plan_title: str
    issuer: str
    doc_number: str | None
    """The plan's own 文号 (示教发〔2024〕3号), which the bulletin's number follows."""
    title: str
    cycle: BulletinCycle
    cycles: list[BulletinCycle]
    as_of: date
    tasks: int
    completed: int
    counts: dict[str, int]
    overdue: int
    reporting: Reporting
    red: list[ListedTask]
    overdue_items: list[ListedTask]
    ranking: list[RankedUnit]
    ranking_rule: str = RANKING_RULE
    average: float = 0.0
    """平均进度 of the plan's tasks (`loop.measures`); `tasks` and `completed` are its 任务 and 完成."""
    completion: float = 0.0
    """完成 as a share of 任务, in percent."""
    explanation: str = EXPLANATION
    chart_categories: list[str] = field(default_factory=list)
    chart_series: dict[str, list[float]] = field(default_factory=dict)


def period_label(kind: str, c: CycleView) -> str:
    """2024年4月 (月报), 2024年第二季度 (季报), 2024年4月1日至14日 (周报、双周报)."""
    if kind == "monthly":
        return f"{c.start.year}年{c.start.month}月"
    if kind == "quarterly":
        return f"{c.start.year}年第{QUARTERS[(c.start.month - 1) // 3]}季度"
    end = f"{c.end.month}月{c.end.day}日" if c.end.month != c.start.month else f"{c.end.day}日"
    return f"{c.start.year}年{c.start.month}月{c.start.day}日至{end}"


def bulletin_title(plan_title: str, cycle: BulletinCycle) -> str:
    """关于2024年4月（第4期）示例市教育局教育工作要点落实情况的通报 (the plan's year is already in
    the period, so it is not said twice)."""
    year = cycle.start.year
    name = re.sub(rf"{year}年(度)?", "", plan_title, count=1).strip() or plan_title
    return f"关于{cycle.label}（第{cycle.number}期）{name}落实情况的通报"


def reporting_of(sessions: SessionFactory, actor: Principal, plan_id: int) -> tuple[str, bool]:
    """A plan's title and whether it is open for reporting (`NotFound` when the actor may not
    follow it)."""
    from sqlalchemy import select

    from eduplan.db.work import ReportingSchedule
    from eduplan.services.tracking.plans import readable_plan

    with sessions() as session:
        plan = readable_plan(session, actor, plan_id)
        found = session.scalars(
            select(ReportingSchedule.id).where(ReportingSchedule.plan_id == plan.id)
        ).first()
        return plan.title, found is not None


def due_bulletin_cycles(
    sessions: SessionFactory, actor: Principal, plan_id: int, today: date
) -> list[BulletinCycle]:
    """The cycles a bulletin can be made of (due before `today`), latest first."""
    schedule = get_schedule(sessions, actor, plan_id)
    return [
        BulletinCycle(
            index=c.index,
            number=c.index + 1,
            label=period_label(schedule.cycle, c),
            start=c.start,
            end=c.end,
            due=c.due,
        )
        for c in reversed(schedule.cycles)
        if c.due < today
    ]


def _listed(row: LedgerRow) -> ListedTask:
    return from_row(ListedTask, row, units=units_text(row.units))


def bulletin(
    sessions: SessionFactory,
    settings: Settings,
    actor: Principal,
    plan_id: int,
    today: date,
    cycle: int | None = None,
) -> Bulletin:
    """The bulletin of `cycle` (an index from 0; default the latest due), as the actor may see it.

    `Invalid` when no cycle is due yet, `NotFound` for a cycle that is not due or does not exist."""
    cycles = due_bulletin_cycles(sessions, actor, plan_id, today)
    if not cycles:
        raise Invalid("还没有到期的报送周期，暂无可通报的内容")
    chosen = cycles[0] if cycle is None else next((c for c in cycles if c.index == cycle), None)
    if chosen is None:
        raise NotFound(f"第 {(cycle or 0) + 1} 期尚未到报送日，不能通报")
    as_of = today if chosen is cycles[0] else chosen.due + timedelta(days=1)
    ledger = progress_ledger(sessions, settings, actor, plan_id, as_of)
    rows = ledger.rows
    cells = [
        next((c for c in u.cycles if c.cycle == chosen.index), None) for u in ledger.units
    ]  # one per unit
    expected = sum(c.expected for c in cells if c)
    on_time, late = sum(c.on_time for c in cells if c), sum(c.late for c in cells if c)
    reporting = Reporting(
        expected=expected,
        on_time=on_time,
        late=late,
        missing=expected - on_time - late,
        rate=round(100.0 * (on_time + late) / expected, 1) if expected else 100.0,
    )
    ranking = _ranking(ledger.rows, ledger.units, chosen.index)
    return Bulletin(
        plan_id=ledger.plan_id,
        plan_title=ledger.title,
        issuer=ledger.issuer,
        doc_number=ledger.doc_number,
        title=bulletin_title(ledger.title, chosen),
        cycle=chosen,
        cycles=cycles,
        as_of=as_of,
        tasks=ledger.measures.tasks,
        completed=ledger.measures.done,
        average=ledger.measures.average,
        completion=ledger.measures.completion,
        counts=ledger.counts,
        overdue=sum(1 for r in rows if r.overdue),
        reporting=reporting,
        red=[_listed(r) for r in rows if r.colour == "red"],
        overdue_items=[_listed(r) for r in rows if r.overdue],
        ranking=ranking,
        chart_categories=[u.unit_name for u in ranking],
        chart_series={
            "本期报送率（%）": [u.cycle_rate for u in ranking],
            "平均完成进度（%）": [u.average_percent for u in ranking],
        },
    )


def _ranking(rows: list[LedgerRow], units: list[UnitCompleteness], cycle: int) -> list[RankedUnit]:
    per_unit: dict[int, list[LedgerRow]] = {}
    percents: dict[int, list[float]] = {}
    for row in rows:
        for report in row.reports:
            per_unit.setdefault(report.unit_id, []).append(row)
            percents.setdefault(report.unit_id, []).append(report.percent or 0.0)
    ranked = []
    for u in units:
        cell = next((c for c in u.cycles if c.cycle == cycle), None)
        filed = (cell.on_time + cell.late) if cell else 0
        expected = cell.expected if cell else 0
        tasks = per_unit.get(u.unit_id, [])
        shares = percents.get(u.unit_id, [])
        ranked.append(
            RankedUnit(
                rank=0,
                unit_id=u.unit_id,
                unit_name=u.unit_name,
                tasks=len(tasks),
                red=sum(1 for t in tasks if t.colour == "red"),
                amber=sum(1 for t in tasks if t.colour == "amber"),
                average_percent=round(sum(shares) / len(shares), 1) if shares else 0.0,
                cycle_expected=expected,
                cycle_filed=filed,
                cycle_rate=round(100.0 * filed / expected, 1) if expected else 100.0,
                total_rate=u.rate,
                tier=u.tier or "其他",
            )
        )
    # like with like: each group (市局科室, 直属单位, 县区, 学校) ranked among its own
    ranked.sort(
        key=lambda r: (
            TIERS.index(r.tier),
            -r.cycle_rate,
            -r.total_rate,
            r.red,
            -r.average_percent,
            r.unit_name,
        )
    )
    counters: dict[str, int] = {}
    for r in ranked:
        r.rank = counters[r.tier] = counters.get(r.tier, 0) + 1
    return ranked
