"""The one statement behind the dashboard (`dashboard.org_dashboard`): per plan and per unit in the
actor's scope, aggregated by the database over CTEs — the items, their report slots (task ×
assigned unit) joined to the per-slot report summary (`report_slots`, kept by the report service in
the same transaction as every save), the latest counted reports' target values kept beside it
(`report_slot_values`), supervision — and each task's colour by the rules of `rules` computed in
SQL.  Neither the million reports nor their values are read.

Cycles differ by schedule, so the figures that depend on them (how many cycles are due, the last
due and the current cycle, the end of the last due day) are computed in Python once per distinct
schedule (`cycle_facts`) and joined as a table of one row per plan, read from one JSON parameter
(so the statement's text does not depend on the plans); the summary's per-cycle
strings are read at those cycles.  Day numbers and rounding differ between SQLite and PostgreSQL;
both are handled here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
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

from eduplan.config import Settings
from eduplan.db.report_slots import EPOCH_WIDTH, ReportSlot, ReportSlotValue
from eduplan.db.supervision import Rectification, Urge
from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.loop.rules import UPPER_BOUND
from eduplan.services.loop.schedule import cycle_at, cycles, due_cycles
from eduplan.services.loop.scope import visible_items

DAY_ZERO = date(2000, 1, 1)
_JULIAN_DAY_ZERO = 2451544.5
"""SQLite's julianday('2000-01-01')."""


@dataclass(frozen=True)
class CycleFacts:
    n_due: int
    last_due: int
    last_due_on: date | None
    last_due_end: float
    """The first moment after the last due day, Unix seconds."""
    current: int
    current_due: date | None


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
        len(due), last.index if last else -1, last.due if last else None, end,
        now.index if now else -1, now.due if now else None,
    )  # fmt: skip


def _day(col: Any, dialect: str) -> Any:
    """A date column as a day number (days since 2000-01-01), computed by the database."""
    if dialect == "sqlite":
        return func.julianday(col) - _JULIAN_DAY_ZERO
    return type_coerce(col - literal(DAY_ZERO, Date), Integer)


def _round1(x: Any, dialect: str) -> Any:
    if dialect == "sqlite":
        return func.round(x, 1)
    return func.round(x * 10.0) / 10.0  # float arithmetic: numeric would cost more than the rest


def _any(condition: Any) -> Any:
    return func.max(case((condition, 1), else_=0))


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


_CYCLE_COLUMNS = ("plan_id", "start", "end", "n_due", "last_due", "last_end", "cur")


def plan_cycles_data(dialect: str, plan_rows: Sequence[tuple[Any, ...]]) -> str:
    """The value of the statement's one parameter, ``plan_cycles``, for these plans: the same
    statement is run for other plans with another value."""
    # the end of the last due day as the summary stores a submission (ten digits of whole Unix
    # seconds), compared as bytes: `submitted >= ceil(end)` for whole seconds, without a cast per slot
    rows = [(*r[:5], str(math.ceil(r[5])).rjust(EPOCH_WIDTH, "0"), *r[6:]) for r in plan_rows]
    if dialect == "postgresql":
        return json.dumps([dict(zip(_CYCLE_COLUMNS, r, strict=True)) for r in rows])
    return json.dumps([list(r) for r in rows])


def _plan_cycles(dialect: str, plan_rows: Sequence[tuple[Any, ...]]) -> Any:
    """The per-plan cycle figures as a table read from one JSON parameter: the statement's text
    then does not depend on the plans (rendering 1,000 rows as literals cost more to compile than
    most of the query, and no bind-parameter limit applies at any size)."""
    data = plan_cycles_data(dialect, plan_rows)
    cols = [column(c, LargeBinary if c == "last_end" else Integer) for c in _CYCLE_COLUMNS]
    if dialect == "postgresql":
        # digits read as bytea input are their own bytes
        shape = ", ".join(f'"{c}" {"bytea" if c == "last_end" else "int"}' for c in _CYCLE_COLUMNS)
        sql = f"SELECT * FROM json_to_recordset(CAST(:plan_cycles AS json)) AS p({shape})"
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
        sql = f"SELECT {picks} FROM json_each(:plan_cycles)"
    return text(sql).bindparams(plan_cycles=data).columns(*cols).subquery("plan_cycles")


def statement(
    actor: Principal,
    settings: Settings,
    today: date,
    dialect: str,
    plan_rows: Sequence[tuple[Any, ...]],
) -> Any:
    """One SELECT: a row per plan (kind 'plan') and per unit (kind 'unit'), over shared CTEs."""
    today_day = (today - DAY_ZERO).days
    params = _plan_cycles(dialect, plan_rows)
    items = (
        select(
            WorkItem.id.label("item_id"), WorkItem.plan_id,
            func.coalesce(_day(WorkItem.deadline, dialect), params.c.end).label("dl"), params.c.start,
            params.c.n_due, params.c.last_due, params.c.last_end, params.c.cur,
        )
        .join(params, params.c.plan_id == WorkItem.plan_id)
        .where(WorkItem.active.is_(True), visible_items(actor))
    ).cte("items")  # fmt: skip
    a = Assignment
    # every assignment of the items read once, with its plan's cycles: the report slots, and the
    # items still 待明确
    assigned = (
        select(
            a.item_id, a.unit_id,
            and_(a.state == "assigned", a.unit_id.is_not(None)).label("ok"),
            items.c.n_due, items.c.last_due, items.c.last_end, items.c.cur,
        ).join(items, items.c.item_id == a.item_id)
    ).cte("assigned")  # fmt: skip
    mine = [assigned.c.unit_id == actor.unit_id] if actor.role == "reporter" else []
    pending = select(assigned.c.item_id).where(~assigned.c.ok).distinct().cte("pending")
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
            p.item_id, p.unit_id, p.n_due, p.last_due,
            func.coalesce(func.length(func.replace(func.substr(rs.filed, 1, p.n_due), "0", "")), 0)
            .label("filed_due"),
            case((filed_last, 1), else_=0).label("last_filed"),
            case((filed_last, case((submitted_last >= p.last_end, 1), else_=0)), else_=0).label("last_late"),
            # as before the summary: a current cycle that is also the last due one counts as last
            case((and_(p.cur >= 0, p.cur != p.last_due, at(p.cur)), 1), else_=0).label("current_filed"),
            func.coalesce(rs.latest_percent, 0.0).label("percent"), rs.latest_code.label("code"),
            rs.latest_report_id.label("report_id"),
        )
        .select_from(assigned)
        .outerjoin(rs, and_(rs.item_id == p.item_id, rs.unit_id == p.unit_id))
        .where(p.ok, *mine)
    ).cte("slot")  # fmt: skip
    # 目标达成: per target, the best actual among the slots' latest counted reports, read from the
    # summary's copy of those values (`report_slot_values`, with each target's comparator and value)
    sv = ReportSlotValue
    best = (
        select(sv.comparator, sv.value, slot.c.item_id, func.max(sv.actual).label("actual"))
        .join(sv, and_(sv.item_id == slot.c.item_id, sv.unit_id == slot.c.unit_id))
        .group_by(slot.c.item_id, sv.target_id, sv.comparator, sv.value)
    ).subquery("best")
    ratio = case(
        (best.c.comparator.in_(UPPER_BOUND), case(
            (best.c.actual <= best.c.value, 1.0), (best.c.actual == 0, 1.0), else_=best.c.value / best.c.actual,
        )),
        (best.c.value == 0, 1.0),
        else_=best.c.actual / best.c.value,
    )  # fmt: skip
    clamped = case((ratio > 1.0, 1.0), (ratio < 0.0, 0.0), else_=ratio)
    achieved = (
        select(best.c.item_id, (100.0 * func.min(clamped)).label("achieved")).group_by(best.c.item_id)
    ).cte("achieved")
    per_item = (
        select(
            slot.c.item_id, func.count().label("n"), func.sum(slot.c.percent).label("percent_sum"),
            _count(slot.c.code == 1).label("n_done"), _any(slot.c.code == 2).label("blocked"),
            _count(slot.c.last_filed == 1).label("last_filed"), _count(slot.c.last_late == 1).label("last_late"),
            _count(slot.c.current_filed == 1).label("current_filed"),
        ).group_by(slot.c.item_id)
    ).cte("per_item")  # fmt: skip
    u, rc = Urge, Rectification
    urges = (
        select(
            u.item_id, func.count().label("n"), _count(u.level == "red").label("red"),
            _count(and_(u.state == "open", u.due_on < today)).label("late"),
        )
        .join(WorkItem, WorkItem.id == u.item_id)
        .where(u.state != "closed", WorkItem.active.is_(True), visible_items(actor))
        .group_by(u.item_id)
    ).cte("urge_counts")  # fmt: skip
    fixes = (
        select(rc.item_id, func.count().label("n"), _count(rc.deadline < today).label("late"))
        .join(WorkItem, WorkItem.id == rc.item_id)
        .where(rc.state != "signed_off", WorkItem.active.is_(True), visible_items(actor))
        .group_by(rc.item_id)
    ).cte("fix_counts")
    n = func.coalesce(per_item.c.n, 0)
    done = and_(n > 0, per_item.c.n_done == n)
    span = items.c.dl - items.c.start
    missing_last = and_(items.c.last_due >= 0, func.coalesce(per_item.c.last_filed, 0) < n)
    figures = (
        select(
            items.c.plan_id, items.c.item_id, n.label("n"), done.label("done"),
            case((n > 0, per_item.c.percent_sum / n), else_=0.0).label("reported"), achieved.c.achieved,
            case(
                (literal(today_day) >= items.c.dl, 100.0), (literal(today_day) <= items.c.start, 0.0),
                else_=_round1(100.0 * (literal(today_day) - items.c.start) / span, dialect),
            ).label("expected"),
            (literal(today_day) > items.c.dl).label("past"),
            or_(
                per_item.c.blocked == 1, missing_last, func.coalesce(urges.c.red, 0) > 0,
                func.coalesce(urges.c.late, 0) > 0, func.coalesce(fixes.c.late, 0) > 0,
            ).label("flagged"),
            func.coalesce(per_item.c.last_filed, 0).label("last_filed"),
            func.coalesce(per_item.c.last_late, 0).label("last_late"),
            func.coalesce(per_item.c.current_filed, 0).label("current_filed"),
            func.coalesce(urges.c.n, 0).label("urges"), func.coalesce(urges.c.red, 0).label("red_urges"),
            func.coalesce(fixes.c.n, 0).label("fixes"), func.coalesce(fixes.c.late, 0).label("late_fixes"),
            (pending.c.item_id.is_not(None)).label("pending"),
        )
        .select_from(items)
        .outerjoin(per_item, per_item.c.item_id == items.c.item_id)
        .outerjoin(achieved, achieved.c.item_id == items.c.item_id)
        .outerjoin(urges, urges.c.item_id == items.c.item_id)
        .outerjoin(fixes, fixes.c.item_id == items.c.item_id)
        .outerjoin(pending, pending.c.item_id == items.c.item_id)
    ).cte("figures").prefix_with("MATERIALIZED")  # fmt: skip
    f = figures.c
    progress = _round1(
        case((f.achieved.is_(None), f.reported), (f.achieved < f.reported, f.achieved), else_=f.reported),
        dialect,
    )
    lagged = (
        select(figures, _round1(f.expected - progress, dialect).label("lag"))
        .cte("lagged")
        .prefix_with("MATERIALIZED")
    )
    g = lagged.c
    colour = case(
        (g.done, "green"), (g.past, "red"), (g.lag >= settings.status_red_lag, "red"),
        (g.lag >= settings.status_amber_lag, "amber"), (g.flagged, "amber"), else_="green",
    )  # fmt: skip
    judged = select(lagged, colour.label("colour"), and_(g.past, ~g.done).label("overdue")).cte("judged")
    j = judged.c
    by_plan = select(
        literal("plan").label("kind"), j.plan_id.label("key"), func.count().label("tasks"),
        _count(j.done).label("done"), func.avg(j.reported).label("percent"),
        _count(j.colour == "green").label("green"), _count(j.colour == "amber").label("amber"),
        _count(j.colour == "red").label("red"), _count(j.overdue).label("overdue"),
        _count(j.pending).label("unspecified"), func.sum(j.n).label("slots"),
        func.sum(j.last_filed).label("last_filed"), func.sum(j.last_late).label("last_late"),
        func.sum(j.current_filed).label("current_filed"), func.sum(j.urges).label("urges"),
        func.sum(j.red_urges).label("red_urges"), func.sum(j.fixes).label("fixes"),
        func.sum(j.late_fixes).label("late_fixes"),
    ).group_by(j.plan_id)  # fmt: skip
    s = slot.c
    zero = literal(0)
    # A unit's row reuses the plan row's columns: slots = report slots due, last_filed = filed of
    # them, last_late = slots missing in the last due cycle.
    by_unit = (
        select(
            literal("unit"), s.unit_id, func.count(), zero, cast(literal(0.0), Float), zero, zero, zero, zero,
            zero, func.sum(s.n_due), func.sum(s.filed_due),
            _count(and_(s.last_due >= 0, s.last_filed == 0)), zero, zero, zero, zero, zero,
        )
        .group_by(s.unit_id)
    )  # fmt: skip
    return union_all(by_plan, by_unit)
