"""The statements behind the dashboard (`dashboard.org_dashboard`): per plan and per unit in the
actor's scope, aggregated by the database, each task's colour by the rules of `rules` computed in
SQL.  Neither the million reports nor their values are read.

- `rollup_statement`, for readers of whole organisations: the items in scope joined to their
  rollups (`item_rollups`), the unit × plan × organisation rollups (`unit_rollups`), supervision;
  a row per item and a row per unit-plan, nothing per slot.
- `statement`, for a unit's reporter (figures over its own slots only): the items, their report
  slots (task × assigned unit) joined to the per-slot report summary (`report_slots`), the latest
  counted reports' target values kept beside it (`report_slot_values`), supervision.

Both build each item's figures (`_figures`) and colours per plan (`_by_plan`) the same way; a task
handed down wears the worst light of its family in scope and is done when all of it is (`_families`,
which groups only the tasks with an item handed down in scope: the others are their own family).
Cycles differ by schedule, so the figures that depend on them (how many cycles are due, the last
due and the current cycle, the end of the last due day) are computed in Python once per distinct
schedule (`cycle_facts`) and joined as a table of one row per plan, read from parameters (so the
statement's text does not depend on the plans); the per-cycle strings and counts are read at
those cycles.  Day numbers, arrays and rounding differ between SQLite and PostgreSQL; both are
handled here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ARRAY,
    Date,
    Float,
    Integer,
    LargeBinary,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    or_,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from eduplan.config import Settings
from eduplan.db.life import Duty
from eduplan.db.orgs import Organisation
from eduplan.db.report_slots import EPOCH_WIDTH, ReportSlot, ReportSlotValue
from eduplan.db.rollups import COUNT_WIDTH, SUM_WIDTH, ItemRollup, UnitRollup
from eduplan.db.supervision import Rectification, Urge
from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking.measures import counted_items
from eduplan.services.tracking.rules import UPPER_BOUND
from eduplan.services.tracking.schedule import cycle_at, cycles, due_cycles
from eduplan.services.tracking.scope import orgs_within, visible_items

DAY_ZERO = date(2000, 1, 1)
_JULIAN_DAY_ZERO = 2451544.5
"""SQLite's julianday('2000-01-01')."""


@dataclass(frozen=True, kw_only=True)
class CycleFacts:
    n_due: int
    last_due: int
    last_due_on: date | None
    last_due_end: float
    """The first moment after the last due day, Unix seconds."""
    current: int
    current_due: date | None


def achievement_sql(comparator: Any, target: Any, actual: Any) -> Any:
    """`rules.achievement` as a SQL expression (the dashboard sums it in the database); a test holds
    the two equal on SQLite and PostgreSQL."""
    ratio = case(
        (
            comparator.in_(UPPER_BOUND),
            case(
                (actual <= target, 1.0),
                (actual == 0, 1.0),
                else_=target / actual,
            ),
        ),
        (target == 0, 1.0),
        else_=actual / target,
    )
    return case((ratio > 1.0, 1.0), (ratio < 0.0, 0.0), else_=ratio)


def cycle_facts(
    kind: str, due_day: int, starts_on: date, ends_on: date, today: date, zone: ZoneInfo
) -> CycleFacts:
    """The cycle figures of one schedule as of `today`."""
    every = cycles(kind, due_day, starts_on, ends_on)
    due = due_cycles(every, today)
    now = cycle_at(every, today)
    last = due[-1] if due else None
    end = datetime.combine(last.due + timedelta(days=1), time(0), zone).timestamp() if last else 0.0
    return CycleFacts(
        n_due=len(due),
        last_due=last.index if last else -1,
        last_due_on=last.due if last else None,
        last_due_end=end,
        current=now.index if now else -1,
        current_due=now.due if now else None,
    )


def _day(col: Any, dialect: str) -> Any:
    """A date column as a day number (days since 2000-01-01), computed by the database."""
    if dialect == "sqlite":
        return func.julianday(col) - _JULIAN_DAY_ZERO
    return type_coerce(col - literal(DAY_ZERO, Date), Integer)


def _given_on(dialect: str) -> Any:
    """The day a 交办事项 was given (a top-level item's `received_on`), else NULL."""
    return case((WorkItem.parent_id.is_(None), _day(WorkItem.received_on, dialect)), else_=None)


def owes_cycle_sql(due_day: Any, received_day: Any) -> Any:
    """`rules.owes_cycle` as a SQL condition over day numbers (`_day`): a cycle due on `due_day` is
    owed unless the item was received (`received_day`, NULL when never) after it.  A test holds the
    two equal on SQLite and PostgreSQL."""
    return or_(received_day.is_(None), due_day >= received_day)


def _later(start: Any, received: Any, dialect: str) -> Any:
    """`rules.progress_start` in SQL: the later of the schedule's start and the day given (if any)."""
    if dialect == "sqlite":
        return func.max(start, func.coalesce(received, start))  # the two-argument max is scalar
    return func.greatest(start, received)  # PostgreSQL's GREATEST skips NULL


def _round1(x: Any, dialect: str) -> Any:
    if dialect == "sqlite":
        return func.round(x, 1)
    return func.round(x * 10.0) / 10.0  # float arithmetic: numeric would cost more than the rest


NONE, GREEN, AMBER, RED = -1, 0, 1, 2
"""An item's light as the statement ranks it (a family wears its worst, the max)."""


def _any(condition: Any) -> Any:
    return func.max(case((condition, 1), else_=0))


def _count(condition: Any) -> Any:
    """How many rows meet `condition` (0 when none: an aggregate FILTER, cheaper than a sum of CASE)."""
    return func.count().filter(condition)


_CYCLE_COLUMNS = ("plan_id", "start", "end", "n_due", "last_due", "last_end", "cur", "last_on")
"""Per plan: its schedule's first and last day, how many cycles are due, the last due cycle, the end
of its due day (Unix seconds), the current cycle, and the last due cycle's due day (-1: none)."""


_TABLES = {"plan_cycles": "pc", "unit_cycles": "uc"}
"""The two tables of cycle figures a statement reads, and their parameters' prefix on PostgreSQL:
the plans whose rows are wanted, and the plans over which units' rows are summed."""


def plan_cycles_params(
    dialect: str, plan_rows: Sequence[tuple[Any, ...]], unit_rows: Sequence[tuple[Any, ...]] | None = None
) -> dict[str, Any]:
    """The values of the statement's parameters for these plans (the same statement is run for
    other plans with other values): on PostgreSQL one array per column, on SQLite one JSON text.
    `unit_rows`: the plans the units' rows of `rollup_statement` sum over (default: the same; none:
    no unit rows).  The unit rows of `statement` (a reporter's own) always follow `plan_rows`."""
    out = _cycles_params(dialect, "plan_cycles", plan_rows)
    out.update(_cycles_params(dialect, "unit_cycles", plan_rows if unit_rows is None else unit_rows))
    return out


def _cycles_params(dialect: str, table: str, plan_rows: Sequence[tuple[Any, ...]]) -> dict[str, Any]:
    # the end of the last due day as the summary stores a submission (ten digits of whole Unix
    # seconds), compared as bytes: `submitted >= ceil(end)` for whole seconds, without a cast per slot
    rows = [(*r[:5], str(math.ceil(r[5])).rjust(EPOCH_WIDTH, "0"), *r[6:]) for r in plan_rows]
    if dialect == "postgresql":
        # each column as the text of an array, cast by the statement (``{1,2}``: integers, and the
        # digits of `last_end` read as the bytes they are); the driver's array dumping of a
        # thousand values cost several milliseconds
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(_CYCLE_COLUMNS)
        return {
            f"{_TABLES[table]}_{c}": "{" + ",".join(map(str, values)) + "}"
            for c, values in zip(_CYCLE_COLUMNS, columns, strict=True)
        }
    return {table: json.dumps([list(r) for r in rows])}


def _plan_cycles(dialect: str, table: str = "plan_cycles") -> Any:
    """The per-plan cycle figures as a table read from parameters (`plan_cycles_params`): the
    statement's text then does not depend on the plans (rendering 1,000 rows as literals cost more
    to compile than most of the query, and no bind-parameter limit applies at any size).  On
    PostgreSQL, ``unnest`` of arrays: the planner sees how many plans there are (it guessed 100
    rows of a JSON record set, then probed 40,000 items by index instead of hashing them)."""
    params = _cycles_params(dialect, table, [])
    cols = [column(c, LargeBinary if c == "last_end" else Integer) for c in _CYCLE_COLUMNS]
    if dialect == "postgresql":
        prefix = _TABLES[table]
        arrays = ", ".join(
            f"CAST(:{prefix}_{c} AS {'bytea' if c == 'last_end' else 'int'}[])" for c in _CYCLE_COLUMNS
        )
        names = ", ".join(f'"{c}"' for c in _CYCLE_COLUMNS)
        sql = f"SELECT * FROM unnest({arrays}) AS p({names})"
    else:
        picks = ", ".join(
            (
                f"CAST(json_extract(value, '$[{i}]') AS BLOB)"
                if c == "last_end"
                else f"json_extract(value, '$[{i}]')"
            )
            + f' AS "{c}"'
            for i, c in enumerate(_CYCLE_COLUMNS)
        )
        sql = f"SELECT {picks} FROM json_each(:{table})"
    return text(sql).bindparams(**params).columns(*cols).subquery(table)


def _items(actor: Principal, dialect: str, params: Any) -> Any:
    """The active work items in scope with their plan's cycle figures (`params`, `_plan_cycles`)
    and deadline as a day."""
    return (
        select(
            WorkItem.id.label("item_id"),
            WorkItem.plan_id,
            WorkItem.tracked_id.label("tracked"),
            WorkItem.parent_id.label("parent"),
            func.coalesce(_day(WorkItem.deadline, dialect), params.c.end).label("dl"),
            _later(params.c.start, _given_on(dialect), dialect).label("start"),
            params.c.n_due,
            params.c.last_due,
            params.c.last_end,
            params.c.cur,
            # the last due cycle is owed unless the item was received after it fell due (rule 6)
            and_(
                params.c.last_due >= 0,
                owes_cycle_sql(params.c.last_on, _day(WorkItem.received_on, dialect)),
            ).label("owes_last"),
            counted_items(actor).label("counted"),
        )
        .join(params, params.c.plan_id == WorkItem.plan_id)
        .where(WorkItem.active.is_(True), visible_items(actor))
    )


def _supervision(today: date) -> tuple[Any, Any]:
    """Per item: open urges (how many, red, overdue) and open rectifications (how many, late); only
    left-joined to the items in scope, so they need no scope of their own."""
    u, rc = Urge, Rectification
    urges = (
        select(
            u.item_id,
            func.count().label("n"),
            _count(u.level == "red").label("red"),
            _count(and_(u.state == "open", u.due_on < today)).label("late"),
        )
        .where(u.state != "closed")
        .group_by(u.item_id)
    ).cte("urge_counts")
    fixes = (
        select(rc.item_id, func.count().label("n"), _count(rc.deadline < today).label("late"))
        .where(rc.state != "signed_off")
        .group_by(rc.item_id)
    ).cte("fix_counts")
    return urges, fixes


def _closed(actor: Principal) -> Any:
    """Per item in scope: how many of its units now on it have closed their part (办结, issue 14);
    when all have, the task is done (rule 5), as in `status`."""
    d, a = Duty, aliased(Assignment)  # aliased: a reporter's `visible_items` has its own Assignment
    query = (
        select(d.item_id, func.count().label("n"))
        .join(WorkItem, WorkItem.id == d.item_id)
        .join(a, and_(a.item_id == d.item_id, a.unit_id == d.unit_id, a.state == "assigned"))
        .where(d.state == "closed", WorkItem.active.is_(True), visible_items(actor))
        .group_by(d.item_id)
    )
    if actor.role == "reporter":
        query = query.where(d.unit_id == actor.unit_id)
    return query.cte("closed_counts")


def _figures(
    items: Any, source: Any, facts: Any, urges: Any, fixes: Any, today_day: int, dialect: str, closed: Any
) -> Any:
    """Each item's figures from its facts (`facts`: column expressions over `source`, which joins
    them to `items`) and its supervision: slots, done, reported and achieved percent, 序时进度
    (expected), past its deadline, flagged, the last due and the current cycle's counts."""
    n = facts.n
    done = and_(n > 0, or_(facts.n_done == n, func.coalesce(closed.c.n, 0) >= n))  # reported or 办结
    span = cast(items.c.dl - items.c.start, Float)
    missing_last = and_(items.c.owes_last, facts.last_filed < n)
    today_ = literal(today_day)
    return (
        (
            select(
                items.c.plan_id,
                items.c.item_id,
                items.c.tracked,
                items.c.parent,
                items.c.counted,
                n.label("n"),
                done.label("done"),
                case((n > 0, facts.percent_sum / cast(n, Float)), else_=0.0).label("reported"),
                facts.achieved.label("achieved"),
                case(
                    (today_ >= items.c.dl, 100.0),
                    (today_ <= items.c.start, 0.0),
                    else_=_round1(100.0 * (today_ - items.c.start) / span, dialect),
                ).label("expected"),
                (today_ > items.c.dl).label("past"),
                or_(
                    facts.blocked,
                    missing_last,
                    func.coalesce(urges.c.red, 0) > 0,
                    func.coalesce(urges.c.late, 0) > 0,
                    func.coalesce(fixes.c.late, 0) > 0,
                ).label("flagged"),
                facts.last_filed.label("last_filed"),
                facts.last_late.label("last_late"),
                facts.current_filed.label("current_filed"),
                func.coalesce(urges.c.n, 0).label("urges"),
                func.coalesce(urges.c.red, 0).label("red_urges"),
                func.coalesce(fixes.c.n, 0).label("fixes"),
                func.coalesce(fixes.c.late, 0).label("late_fixes"),
                facts.pending.label("pending"),
            ).select_from(
                source.outerjoin(urges, urges.c.item_id == items.c.item_id)
                .outerjoin(fixes, fixes.c.item_id == items.c.item_id)
                .outerjoin(closed, closed.c.item_id == items.c.item_id)
            )
        )
        .cte("figures")
        .prefix_with("MATERIALIZED")
    )


def _by_plan(figures: Any, settings: Settings, dialect: str) -> Any:
    """Each item's colour by the rules of `rules` from its figures, counted per plan."""
    f = figures.c
    progress = _round1(
        case((f.achieved.is_(None), f.reported), (f.achieved < f.reported, f.achieved), else_=f.reported),
        dialect,
    )
    lagged = select(figures, _round1(f.expected - progress, dialect).label("lag")).subquery("lagged")
    g = lagged.c
    # the light as a rank (2 red, 1 amber, 0 green, -1 none: no unit yet), so that a family's worst is its max
    light = case(
        (func.coalesce(g.n, 0) == 0, NONE),
        (g.done, GREEN),
        (g.past, RED),
        (g.lag >= settings.status_red_lag, RED),
        (g.lag >= settings.status_amber_lag, AMBER),
        (g.flagged, AMBER),
        else_=GREEN,
    )
    judged = select(
        lagged, light.label("light"), and_(g.past, ~g.done, func.coalesce(g.n, 0) > 0).label("overdue")
    ).cte("judged")
    j = judged.c
    family = _families(judged)
    fam = family.c
    # a task handed down wears the worst light of its own and of every item below it in scope (a
    # district's red shows on the city's task), and is done (办结 flows up) when its family is; a
    # task alone in scope (no family row) wears its own
    rolled_done = func.coalesce(fam.open == 0, j.done)
    worst = func.coalesce(fam.worst, j.light)
    green = or_(rolled_done, worst == GREEN)
    amber = and_(~rolled_done, worst == AMBER)
    red = and_(~rolled_done, worst == RED)
    # tasks, done, lights and average over the plan's own tasks (`measures.counted_items`: hand-down
    # children are their districts'); slots, reports and supervision over every item in scope
    mine = j.counted
    done = and_(mine, rolled_done)
    return (
        select(
            literal("plan").label("kind"),
            j.plan_id.label("key"),
            _count(mine).label("tasks"),
            _count(done).label("done"),
            func.avg(case((mine, j.reported))).label("percent"),
            _count(and_(mine, green)).label("green"),
            _count(and_(mine, amber)).label("amber"),
            _count(and_(mine, red)).label("red"),
            _count(and_(mine, j.overdue, ~rolled_done)).label("overdue"),
            _count(and_(mine, j.pending)).label("unspecified"),
            func.sum(j.n).label("slots"),
            func.sum(j.last_filed).label("last_filed"),
            func.sum(j.last_late).label("last_late"),
            func.sum(j.current_filed).label("current_filed"),
            func.sum(j.urges).label("urges"),
            func.sum(j.red_urges).label("red_urges"),
            func.sum(j.fixes).label("fixes"),
            func.sum(j.late_fixes).label("late_fixes"),
        )
        .select_from(judged.outerjoin(family, fam.tracked == j.tracked))
        .group_by(j.plan_id)
    )


def _families(judged: Any) -> Any:
    """Per tracked task with an item handed down in scope, over its items in scope (a task and the
    items handed down from it share it): the worst light (`RED` … `NONE`) and how many items keep
    it open — one not done that has units, or that has neither units nor items below it (待分工).
    The plan's own task in scope is done when none does (`levels`: the roll-up of `status`).  A
    task with nothing handed down in scope has no row (it is its own family: most tasks, so the
    roll-up costs only where there is one)."""
    j = judged.c
    parents = select(j.parent).where(j.parent.is_not(None)).distinct().cte("parents")
    handed = select(j.tracked).where(j.parent.is_not(None))
    has_kids = j.item_id.in_(select(parents.c.parent))
    keeps_open = case((j.done, 0), (func.coalesce(j.n, 0) > 0, 1), (has_kids, 0), else_=1)
    return (
        select(j.tracked, func.max(j.light).label("worst"), func.sum(keeps_open).label("open"))
        .where(j.tracked.in_(handed))
        .group_by(j.tracked)
        .cte("families")
    )


def statement(actor: Principal, settings: Settings, today: date, dialect: str) -> Any:
    """One SELECT: a row per plan (kind 'plan') and per unit (kind 'unit'), over shared CTEs."""
    today_day = (today - DAY_ZERO).days
    items = _items(actor, dialect, _plan_cycles(dialect)).cte("items")
    a = Assignment
    # every assignment of the items read once, with its plan's cycles: the report slots, and the
    # items still 待明确
    assigned = (
        select(
            a.item_id,
            a.unit_id,
            and_(a.state == "assigned", a.unit_id.is_not(None)).label("ok"),
            (a.state == "unspecified").label("waiting"),
            items.c.n_due,
            items.c.last_due,
            items.c.last_end,
            items.c.cur,
        ).join(items, items.c.item_id == a.item_id)
    ).cte("assigned")
    mine = [assigned.c.unit_id == actor.unit_id] if actor.role == "reporter" else []
    pending = select(assigned.c.item_id).where(assigned.c.waiting).distinct().cte("pending")
    # Each slot's figures from its summary row (`report_slots`: one character per cycle filed or
    # not, ten digits per cycle of first submission), with the cycles of its plan: filed in due
    # cycles = the 1s among the first n_due characters.  A slot without a row has filed nothing
    # (every expression below is then NULL, hence the coalesce).  The summary is joined to the
    # assignments directly, which already carry the cycles: one hash join, no second pass over
    # the items.
    rs = ReportSlot
    p = assigned.c

    def at(c: Any) -> Any:
        return func.substr(rs.filed, c + 1, 1) == "1"

    filed_last = and_(p.last_due >= 0, at(p.last_due))
    # bytes: read at the offset, compared bytewise (no collation)
    submitted_last = func.substr(rs.submitted, p.last_due * EPOCH_WIDTH + 1, EPOCH_WIDTH)
    slot = (
        select(
            p.item_id,
            p.unit_id,
            p.n_due,
            p.last_due,
            func.coalesce(func.length(func.replace(func.substr(rs.filed, 1, p.n_due), "0", "")), 0).label(
                "filed_due"
            ),
            case((filed_last, 1), else_=0).label("last_filed"),
            case((filed_last, case((submitted_last >= p.last_end, 1), else_=0)), else_=0).label("last_late"),
            # as before the summary: a current cycle that is also the last due one counts as last
            case((and_(p.cur >= 0, p.cur != p.last_due, at(p.cur)), 1), else_=0).label("current_filed"),
            func.coalesce(rs.latest_percent, 0.0).label("percent"),
            rs.latest_code.label("code"),
            rs.latest_report_id.label("report_id"),
        )
        .select_from(assigned)
        .outerjoin(rs, and_(rs.item_id == p.item_id, rs.unit_id == p.unit_id))
        .where(p.ok, *mine)
    ).cte("slot")
    # 目标达成: per target, the best actual among the slots' latest counted reports, read from the
    # summary's copy of those values (`report_slot_values`, with each target's comparator and value)
    sv = ReportSlotValue
    best = (
        select(sv.comparator, sv.value, slot.c.item_id, func.max(sv.actual).label("actual"))
        .join(sv, and_(sv.item_id == slot.c.item_id, sv.unit_id == slot.c.unit_id))
        .group_by(slot.c.item_id, sv.target_id, sv.comparator, sv.value)
    ).subquery("best")
    clamped = achievement_sql(best.c.comparator, best.c.value, best.c.actual)
    achieved = (
        select(best.c.item_id, (100.0 * func.min(clamped)).label("achieved")).group_by(best.c.item_id)
    ).cte("achieved")
    per_item = (
        select(
            slot.c.item_id,
            func.count().label("n"),
            func.sum(slot.c.percent).label("percent_sum"),
            _count(slot.c.code == 1).label("n_done"),
            _any(slot.c.code == 2).label("blocked"),
            _count(slot.c.last_filed == 1).label("last_filed"),
            _count(slot.c.last_late == 1).label("last_late"),
            _count(slot.c.current_filed == 1).label("current_filed"),
        ).group_by(slot.c.item_id)
    ).cte("per_item")
    urges, fixes = _supervision(today)
    closed = _closed(actor)
    facts = SimpleNamespace(
        n=func.coalesce(per_item.c.n, 0),
        n_done=per_item.c.n_done,
        percent_sum=per_item.c.percent_sum,
        blocked=per_item.c.blocked == 1,
        achieved=achieved.c.achieved,
        last_filed=func.coalesce(per_item.c.last_filed, 0),
        last_late=func.coalesce(per_item.c.last_late, 0),
        current_filed=func.coalesce(per_item.c.current_filed, 0),
        pending=pending.c.item_id.is_not(None),
    )
    source = (
        items.outerjoin(per_item, per_item.c.item_id == items.c.item_id)
        .outerjoin(achieved, achieved.c.item_id == items.c.item_id)
        .outerjoin(pending, pending.c.item_id == items.c.item_id)
    )
    figures = _figures(items, source, facts, urges, fixes, today_day, dialect, closed)
    by_plan = _by_plan(figures, settings, dialect)
    s = slot.c
    by_unit = _by_unit(
        s.unit_id,
        func.count(),
        func.sum(s.n_due),
        func.sum(s.filed_due),
        _count(and_(s.last_due >= 0, s.last_filed == 0)),
    ).group_by(s.unit_id)
    return union_all(by_plan, by_unit)


def _by_unit(unit_id: Any, tasks: Any, slots_due: Any, filed_due: Any, missing_last: Any) -> Any:
    """A unit's row in the columns of a plan's row (`_by_plan`), zero where a unit has no figure:
    `tasks` = its slots (one a task), `slots` = its report slots due, `last_filed` = filed of them,
    `last_late` = slots missing in the last due cycle."""
    zero = literal(0)
    return select(
        literal("unit"),
        unit_id,
        tasks,
        zero,
        cast(literal(0.0), Float),
        zero,
        zero,
        zero,
        zero,
        zero,
        slots_due,
        filed_due,
        missing_last,
        zero,
        zero,
        zero,
        zero,
        zero,
    )


def _count_at(col: Any, cycle: Any, width: int, dialect: str) -> Any:
    """The count a rollup (`CycleCounts`) keeps for `cycle`; 0 past its end."""
    if dialect == "postgresql":
        return func.coalesce(type_coerce(col, ARRAY(Integer))[cycle + 1], 0)
    return func.coalesce(cast(func.substr(col, cycle * width + 1, width), Integer), 0)


def _orgs_in_scope(actor: Principal, col: Any) -> Any:
    """The condition on an organisation id column that `visible_items` puts on items, for the
    readers of whole organisations (rollups are never read for a reporter)."""
    if actor.org_path is None:
        return literal(True) if actor.is_admin else literal(False)
    return col.in_(select(Organisation.id).where(orgs_within(actor.org_path)))


def rollup_statement(actor: Principal, settings: Settings, today: date, dialect: str) -> Any:
    """The rows of `statement` for a reader of whole organisations, from the rollups (`db.rollups`):
    one row per item in scope joined to its rollup, one per unit × plan × organisation; no slot,
    assignment or slot value is read."""
    today_day = (today - DAY_ZERO).days
    ir = ItemRollup
    params = _plan_cycles(dialect)
    p = params.c
    # the counts at the last due and the current cycle, read once per item (as `statement`: a
    # current cycle that is also the last due one counts as last)
    items = (
        _items(actor, dialect, params)
        .add_columns(
            ir.slots,
            ir.pending,
            ir.percent_sum,
            ir.done,
            ir.blocked,
            ir.achieved,
            case((p.last_due >= 0, _count_at(ir.filed, p.last_due, COUNT_WIDTH, dialect)), else_=0).label(
                "last_filed"
            ),
            case((p.last_due >= 0, _count_at(ir.late, p.last_due, COUNT_WIDTH, dialect)), else_=0).label(
                "last_late"
            ),
            case(
                (and_(p.cur >= 0, p.cur != p.last_due), _count_at(ir.filed, p.cur, COUNT_WIDTH, dialect)),
                else_=0,
            ).label("current_filed"),
        )
        .outerjoin(ir, ir.item_id == WorkItem.id)
    ).cte("items")
    i = items.c
    urges, fixes = _supervision(today)
    closed = _closed(actor)
    facts = SimpleNamespace(
        n=func.coalesce(i.slots, 0),
        n_done=i.done,
        percent_sum=i.percent_sum,
        blocked=i.blocked,
        achieved=i.achieved,
        last_filed=i.last_filed,
        last_late=i.last_late,
        current_filed=i.current_filed,
        pending=func.coalesce(i.pending, False),
    )
    figures = _figures(items, items, facts, urges, fixes, today_day, dialect, closed)
    by_plan = _by_plan(figures, settings, dialect)
    ur = UnitRollup
    units = _plan_cycles(dialect, "unit_cycles")  # the plans summed for units (`plan_cycles_params`)
    p = units.c
    filed_due = case((p.n_due > 0, _count_at(ur.filed_upto, p.n_due - 1, SUM_WIDTH, dialect)), else_=0)
    missing_last = case(
        (p.last_due >= 0, ur.slots - _count_at(ur.filed, p.last_due, COUNT_WIDTH, dialect)), else_=0
    )
    by_unit = (
        _by_unit(
            ur.unit_id,
            func.sum(ur.slots),
            func.sum(ur.slots * p.n_due),
            func.sum(filed_due),
            func.sum(missing_last),
        )
        .join(units, p.plan_id == ur.plan_id)
        .where(_orgs_in_scope(actor, ur.org_id))
        .group_by(ur.unit_id)
    )
    return union_all(by_plan, by_unit)
