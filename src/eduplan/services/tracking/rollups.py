"""Keeping the dashboard's rollups (`db.rollups`) in step with the slots and assignments they sum.

A rollup group is one plan's items of one organisation (a plan handed down to a district has a
group per district): `refresh_group` recomputes every item row and every unit row of the group from
its assignments, report slots and slot values (a few dozen rows each), inside the caller's
transaction.  It is called by every change those depend on: a report saved, submitted or reviewed
(`report_slots.refresh_slot`: only the item's row and the unit's, `refresh_slot_rollups`),
assignments changed (`assign`), an item handed down (`handdown`),
a plan opened or re-opened with its schedule (`plans.open_plan`: `rebuild` of the plan).  On
PostgreSQL the group is locked first (a transaction-level advisory lock on the plan), so two
transactions refreshing one plan recompute one after the other, the second seeing the first's
rows (READ COMMITTED reads anew at each statement).

`rebuild` recomputes every group (or one plan's) in one pass: the migration's backfill, bulk
loaders that write reports directly (benchmarks), and the tests that prove stored == recomputed.
Both paths build rows with the same pure function, `summarise_group`.

Late counts compare each first submission with the end of its cycle's due day in one zone, recorded
with the rollups (`RollupZone`: the deployment's ``EDUPLAN_TIMEZONE`` when they were built;
`ensure_zone` rebuilds them when the deployment's changes).  A dashboard asked for another zone
does not use the rollups (`dashboard.uses_rollups`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, delete, insert, or_, select, text, true, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from eduplan.config import Settings
from eduplan.db.report_slots import EPOCH_WIDTH, ReportSlot, ReportSlotValue
from eduplan.db.rollups import ItemRollup, RollupZone, UnitRollup
from eduplan.db.work import Assignment, ReportingSchedule, WorkItem
from eduplan.services.tracking.rules import achievement
from eduplan.services.tracking.schedule import cycles, due_end

_LOCK_CLASS = 0x4544  # "ED": the advisory-lock namespace of the rollups (plan id is the object)


def stored_zone(conn: Connection) -> str | None:
    """The zone the stored rollups counted late reports in (`RollupZone`), None before any."""
    return conn.execute(select(RollupZone.zone)).scalar()


def _zone(conn: Connection) -> ZoneInfo:
    """The stored rollups' zone; a database without one (new, or emptied) records the
    deployment's before its first rollup is written."""
    zone = stored_zone(conn)
    if zone is None:
        zone = Settings().timezone
        if conn.dialect.name == "postgresql":
            conn.execute(pg_insert(RollupZone).values(zone=zone).on_conflict_do_nothing())
        else:
            conn.execute(sqlite_insert(RollupZone).values(zone=zone).on_conflict_do_nothing())
    return ZoneInfo(zone)


def ensure_zone(conn: Connection, zone: str) -> bool:
    """Rebuild every rollup in `zone` unless they were counted in it (a deployment whose
    ``EDUPLAN_TIMEZONE`` changed: `services.database.prepare_database` calls this on every start);
    returns whether it rebuilt."""
    if stored_zone(conn) == zone:
        return False
    rebuild(conn, zone=zone)
    return True


@dataclass(kw_only=True)
class GroupData:
    """What one group's rollups are computed from."""

    items: dict[int, bool] = field(default_factory=dict)
    """item id → active"""
    assignments: dict[int, list[tuple[int | None, str]]] = field(default_factory=lambda: defaultdict(list))
    """item id → (unit id, state) per assignment row"""
    slots: dict[tuple[int, int], tuple[str, bytes, float | None, int | None]] = field(default_factory=dict)
    """(item, unit) → filed, submitted, latest percent, latest code"""
    values: dict[tuple[int, int], list[tuple[int, float | None, str, float]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    """(item, unit) → (target id, actual, comparator, value)"""


def summarise_group(
    data: GroupData, due_ends: Sequence[float]
) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """The item rows and the unit rows (by unit id, without plan and organisation) of one group.
    `due_ends`: per cycle of the plan's schedule, the end of its due day (Unix seconds)."""
    # as many cycles as the schedule has (a report beyond a shortened schedule counts nowhere);
    # without a schedule, as many as were filed
    width = len(due_ends) or max([0] + [len(s[0]) for s in data.slots.values()])
    limits = [math.ceil(e) for e in due_ends]
    item_rows = []
    units: dict[int, dict[str, Any]] = {}
    for item_id, active in data.items.items():
        rows = data.assignments.get(item_id, [])
        ok = [u for u, state in rows if state == "assigned" and u is not None]
        filed, late = [0] * width, [0] * width
        percent_sum, done, blocked = 0.0, 0, False
        best: dict[tuple[int, str, float], float | None] = {}
        for unit_id in ok:
            slot = data.slots.get((item_id, unit_id))
            unit = None
            if active:
                unit = units.setdefault(unit_id, {"slots": 0, "filed": [0] * width})
                unit["slots"] += 1
            if slot is None:
                continue
            marks, submitted, percent, code = slot
            percent_sum += percent or 0.0
            done += code == 1
            blocked |= code == 2
            for c, mark in enumerate(marks[:width]):
                if mark != "1":
                    continue
                at = int(submitted[c * EPOCH_WIDTH : (c + 1) * EPOCH_WIDTH])
                was_late = c < len(limits) and at >= limits[c]
                filed[c] += 1
                late[c] += was_late
                if unit is not None:
                    unit["filed"][c] += 1
            for target_id, actual, comparator, value in data.values.get((item_id, unit_id), []):
                key = (target_id, comparator, value)
                kept = best.get(key)
                best[key] = actual if kept is None else (kept if actual is None else max(kept, actual))
        ratios = [achievement(c, v, a) for (_t, c, v), a in best.items() if a is not None]
        item_rows.append(
            {
                "item_id": item_id,
                "slots": len(ok),
                "pending": any(state == "unspecified" for _u, state in rows),
                "percent_sum": percent_sum,
                "done": done,
                "blocked": blocked,
                "achieved": 100.0 * min(ratios) if ratios else None,
                "filed": filed,
                "late": late,
            }
        )
    unit_rows = {}
    for unit_id, u in units.items():
        upto, running = [], 0
        for n in u["filed"]:
            running += n
            upto.append(running)
        unit_rows[unit_id] = {
            "unit_id": unit_id,
            "slots": u["slots"],
            "filed": u["filed"],
            "filed_upto": upto,
        }
    return item_rows, unit_rows


def _due_ends(conn: Connection, plan_ids: Iterable[int], zone: ZoneInfo) -> dict[int, list[float]]:
    s = ReportingSchedule
    out = {}
    for plan_id, kind, due_day, starts_on, ends_on in conn.execute(
        select(s.plan_id, s.cycle, s.due_day, s.starts_on, s.ends_on).where(s.plan_id.in_(list(plan_ids)))
    ):
        out[plan_id] = [due_end(c, zone) for c in cycles(kind, due_day, starts_on, ends_on)]
    return out


def _load(conn: Connection, where_items: Any) -> dict[tuple[int, int], GroupData]:
    """Every group's data among the items selected by `where_items` (a condition on WorkItem)."""
    groups: dict[tuple[int, int], GroupData] = {}
    group_of: dict[int, GroupData] = {}
    for item_id, plan_id, org_id, active in conn.execute(
        select(WorkItem.id, WorkItem.plan_id, WorkItem.org_id, WorkItem.active)
        .where(where_items)
        .order_by(WorkItem.id)
    ):
        g = groups.setdefault((plan_id, org_id), GroupData())
        g.items[item_id] = bool(active)
        group_of[item_id] = g
    ids = select(WorkItem.id).where(where_items)
    a = Assignment
    for item_id, unit_id, state in conn.execute(
        select(a.item_id, a.unit_id, a.state).where(a.item_id.in_(ids)).order_by(a.item_id, a.position, a.id)
    ):
        group_of[item_id].assignments[item_id].append((unit_id, state))
    rs = ReportSlot
    for item_id, unit_id, filed, submitted, percent, code in conn.execute(
        select(rs.item_id, rs.unit_id, rs.filed, rs.submitted, rs.latest_percent, rs.latest_code).where(
            rs.item_id.in_(ids)
        )
    ):
        group_of[item_id].slots[(item_id, unit_id)] = (filed, bytes(submitted), percent, code)
    sv = ReportSlotValue
    for item_id, unit_id, target_id, actual, comparator, value in conn.execute(
        select(sv.item_id, sv.unit_id, sv.target_id, sv.actual, sv.comparator, sv.value)
        .where(sv.item_id.in_(ids))
        .order_by(sv.item_id, sv.unit_id, sv.target_id)
    ):
        group_of[item_id].values[(item_id, unit_id)].append((target_id, actual, comparator, value))
    return groups


def recomputed_rows(
    conn: Connection, where_items: Any, zone: ZoneInfo | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The item rows and unit rows of every group among the items selected by `where_items`, late
    counted in `zone` (by default the stored rollups' zone)."""
    groups = _load(conn, where_items)
    ends = _due_ends(conn, {p for p, _o in groups}, zone or _zone(conn))
    item_rows: list[dict[str, Any]] = []
    unit_rows: list[dict[str, Any]] = []
    for (plan_id, org_id), data in groups.items():
        items, units = summarise_group(data, ends.get(plan_id, []))
        item_rows += items
        unit_rows += [u | {"plan_id": plan_id, "org_id": org_id} for u in units.values()]
    return item_rows, unit_rows


def _insert(conn: Connection, item_rows: list[dict[str, Any]], unit_rows: list[dict[str, Any]]) -> None:
    for rows, table in ((item_rows, ItemRollup), (unit_rows, UnitRollup)):
        for start in range(0, len(rows), 5_000):
            conn.execute(insert(table), rows[start : start + 5_000])


def _write(conn: Connection, where_items: Any, groups: Sequence[tuple[int, int]]) -> int:
    """Replace the rows of the items selected by `where_items` and the unit rows of `groups` (their
    groups; none when the caller has deleted them)."""
    item_rows, unit_rows = recomputed_rows(conn, where_items)
    conn.execute(delete(ItemRollup).where(ItemRollup.item_id.in_(select(WorkItem.id).where(where_items))))
    if groups:
        conn.execute(delete(UnitRollup).where(tuple_(UnitRollup.plan_id, UnitRollup.org_id).in_(groups)))
    _insert(conn, item_rows, unit_rows)
    return len(item_rows)


def lock_plan(conn: Connection, plan_id: int) -> None:
    """Take the plan's rollup lock for the rest of the transaction (PostgreSQL: an advisory lock;
    SQLite: the database's one write lock).  A service that changes what a plan's rollups sum takes it before its first write, so
    that every transaction takes it first (or, reporting, after only its slot's row) and two never
    wait on each other in opposite orders; taking it again is free."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:c, :p)"), {"c": _LOCK_CLASS, "p": plan_id})
    elif conn.dialect.name == "sqlite":
        # pysqlite begins a transaction only at the first write, so what was read before it may be
        # stale by then (two hand-downs both found no district and both created it): take the one
        # writer's lock now, waiting for the other writer, so that what is read next is current
        raw = conn.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def refresh_group(conn: Connection, plan_id: int, org_id: int) -> None:
    """Recompute the rollups of one plan's items of one organisation, in the caller's transaction."""
    lock_plan(conn, plan_id)
    _write(conn, and_(WorkItem.plan_id == plan_id, WorkItem.org_id == org_id), [(plan_id, org_id)])


def refresh_slot_rollups(conn: Connection, item_id: int, unit_id: int) -> None:
    """Recompute what one slot's reports change: the item's row and the unit's row of the item's
    group (read from the item and the group's items the unit is assigned to), not the whole group."""
    row = conn.execute(select(WorkItem.plan_id, WorkItem.org_id).where(WorkItem.id == item_id)).first()
    if row is None:
        return
    plan_id, org_id = row
    lock_plan(conn, plan_id)
    of_unit = select(Assignment.item_id).where(Assignment.unit_id == unit_id)
    where = and_(
        WorkItem.plan_id == plan_id,
        WorkItem.org_id == org_id,
        or_(WorkItem.id == item_id, WorkItem.id.in_(of_unit)),
    )
    item_rows, unit_rows = recomputed_rows(conn, where)
    conn.execute(delete(ItemRollup).where(ItemRollup.item_id == item_id))
    u = UnitRollup
    conn.execute(delete(u).where(u.unit_id == unit_id, u.plan_id == plan_id, u.org_id == org_id))
    _insert(
        conn,
        [r for r in item_rows if r["item_id"] == item_id],
        [r for r in unit_rows if r["unit_id"] == unit_id],
    )


def rebuild(conn: Connection, plan_id: int | None = None, zone: str | None = None) -> int:
    """Recompute every group's rollups (or one plan's groups); returns the number of item rows.
    A whole rebuild counts late in `zone` (default: the stored zone, else the deployment's) and
    records it; it holds the rollup tables against refreshes until the caller commits."""
    if plan_id is None:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("LOCK TABLE item_rollups, unit_rollups, rollup_zone IN SHARE ROW EXCLUSIVE MODE")
            )
        name = zone or stored_zone(conn) or Settings().timezone
        conn.execute(delete(UnitRollup))
        conn.execute(delete(ItemRollup))
        conn.execute(delete(RollupZone))
        conn.execute(insert(RollupZone).values(zone=name))
        item_rows, unit_rows = recomputed_rows(conn, true(), ZoneInfo(name))
        _insert(conn, item_rows, unit_rows)
        return len(item_rows)
    lock_plan(conn, plan_id)
    # every unit row of the plan goes (an organisation left without items keeps none), then the
    # plan's groups are written afresh
    conn.execute(delete(UnitRollup).where(UnitRollup.plan_id == plan_id))
    return _write(conn, WorkItem.plan_id == plan_id, [])


def stored(conn: Connection) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every stored rollup row (item rows by item, unit rows by unit, plan, organisation)."""
    items = [dict(m) for m in conn.execute(select(ItemRollup).order_by(ItemRollup.item_id)).mappings()]
    u = UnitRollup
    units = [dict(m) for m in conn.execute(select(u).order_by(u.unit_id, u.plan_id, u.org_id)).mappings()]
    return items, units


def recomputed(conn: Connection) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every rollup row computed afresh, ordered as `stored` gives them (for checks)."""
    items, units = recomputed_rows(conn, true())
    items.sort(key=lambda r: r["item_id"])
    units.sort(key=lambda r: (r["unit_id"], r["plan_id"], r["org_id"]))
    return items, units


__all__ = [
    "ensure_zone",
    "lock_plan",
    "rebuild",
    "recomputed",
    "refresh_group",
    "refresh_slot_rollups",
    "stored",
    "stored_zone",
    "summarise_group",
]
