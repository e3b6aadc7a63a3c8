"""Keeping the per-slot report summary (`db.report_slots`, 报送汇总) in step with the reports.

`refresh_slot` recomputes one slot's row from that slot's reports (a few dozen rows, read through
the unique (item, unit, cycle) index), then the dashboard's rollups of the item and the unit
(`rollups.refresh_slot_rollups`); the report service calls it in the same transaction as every save,
submission and review, so neither can drift from `progress_reports`.  On PostgreSQL
the row is locked first (inserted if missing, then ``FOR UPDATE``), so two transactions writing
reports of the same slot recompute one after the other, the second seeing the first's reports.

`rebuild` recomputes every row (or those of some items) from the reports in one pass: the
migration's backfill, bulk loaders that write reports directly (benchmarks), and the tests that
prove summary == recomputed.  It reads the reports ordered by slot, so memory stays small; about
1,000,000 reports take ~10 s.  The same `summarise` function builds each row in both paths.

Both paths also rewrite the slot's rows of `report_slot_values` (the latest counted report's target
values, with each target's comparator and value) from the report the summary names as latest, by
the same `_values_of` select.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from eduplan.db.report_slots import EPOCH_WIDTH, ReportSlot, ReportSlotValue
from eduplan.db.reports import ProgressReport, ReportValue
from eduplan.db.work import ItemTarget
from eduplan.services.clock import as_utc
from eduplan.services.loop.rollups import refresh_slot_rollups

COUNTED = ("submitted", "accepted")
FILED = ("submitted", "accepted", "returned")
"""As `facts.COUNTED` and `facts.FILED` (not imported: `facts` imports the report service)."""
PROGRESS_CODES = {"done": 1, "blocked": 2}
"""Progress code of the latest counted report: 1 done, 2 blocked, 0 otherwise (as the dashboard)."""
_NONE = "0" * EPOCH_WIDTH

_r = ProgressReport
_COLUMNS = (_r.id, _r.item_id, _r.unit_id, _r.cycle, _r.state, _r.progress, _r.percent, _r.first_submitted_at)
_FILED_ONLY = (_r.state.in_(FILED), _r.first_submitted_at.is_not(None))
_SV = ReportSlotValue
_VALUE_COLUMNS = (_SV.item_id, _SV.unit_id, _SV.target_id, _SV.actual, _SV.comparator, _SV.value)


def _values_of(*where: Any) -> Any:
    """The target values of the reports selected by `where`, as `report_slot_values` rows (only
    targets of the report's own item, as the dashboard always read them)."""
    v, t = ReportValue, ItemTarget
    return (
        select(_r.item_id, _r.unit_id, v.target_id, v.actual, t.comparator, t.value)
        .join(v, v.report_id == _r.id)
        .join(t, and_(t.id == v.target_id, t.item_id == _r.item_id))
        .where(*where)
    )


def summarise(item_id: int, unit_id: int, reports: Iterable[Sequence[Any]]) -> dict[str, Any] | None:
    """The summary row of one slot from its reports (id, item, unit, cycle, state, progress, percent,
    first submission), or None when none of them is filed."""
    filed: dict[int, int] = {}
    latest: Sequence[Any] | None = None
    for r in reports:
        _id, _item, _unit, cycle, state, _progress, _percent, first = r
        if state not in FILED or first is None:
            continue
        filed[cycle] = int(as_utc(first).timestamp() // 1)
        if state in COUNTED and (latest is None or latest[3] < cycle):
            latest = r
    if not filed:
        return None
    width = max(filed) + 1
    return {
        "item_id": item_id,
        "unit_id": unit_id,
        "filed": "".join("1" if c in filed else "0" for c in range(width)),
        "submitted": "".join(
            str(filed[c]).rjust(EPOCH_WIDTH, "0") if c in filed else _NONE for c in range(width)
        ).encode("ascii"),
        "latest_cycle": latest[3] if latest else None,
        "latest_percent": float(latest[6]) if latest else None,
        "latest_code": PROGRESS_CODES.get(latest[5], 0) if latest else None,
        "latest_report_id": latest[0] if latest else None,
    }


def refresh_slot(session: Session, item_id: int, unit_id: int) -> None:
    """Recompute one slot's summary from its reports, inside the caller's transaction."""
    session.flush()
    conn = session.connection()
    key = (ReportSlot.item_id == item_id, ReportSlot.unit_id == unit_id)
    if conn.dialect.name == "postgresql":
        blank = {"item_id": item_id, "unit_id": unit_id, "filed": "", "submitted": b""}
        conn.execute(pg_insert(ReportSlot).values(**blank).on_conflict_do_nothing())
        conn.execute(select(ReportSlot.item_id).where(*key).with_for_update())
    reports = conn.execute(
        select(*_COLUMNS).where(_r.item_id == item_id, _r.unit_id == unit_id, *_FILED_ONLY)
    ).all()
    row = summarise(item_id, unit_id, reports)
    conn.execute(delete(_SV).where(_SV.item_id == item_id, _SV.unit_id == unit_id))
    if row is not None and row["latest_report_id"] is not None:
        conn.execute(insert(_SV).from_select(_VALUE_COLUMNS, _values_of(_r.id == row["latest_report_id"])))
    if row is None:
        conn.execute(delete(ReportSlot).where(*key))
    elif conn.dialect.name == "postgresql":
        conn.execute(update(ReportSlot).where(*key).values(**row))
    else:
        stmt = sqlite_insert(ReportSlot).values(**row)
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["item_id", "unit_id"],
                set_={k: stmt.excluded[k] for k in row if k not in ("item_id", "unit_id")},
            )
        )
    refresh_slot_rollups(conn, item_id, unit_id)  # the dashboard's rollups of the item and unit


def rebuild(conn: Connection, item_ids: Sequence[int] | None = None, chunk: int = 5_000) -> int:
    """Recompute the summary of every slot (or of `item_ids`' slots) from the reports; returns the
    number of rows written.  Runs in the caller's transaction."""
    where = [_r.item_id.in_(item_ids)] if item_ids is not None else []
    conn.execute(
        delete(ReportSlot).where(*([ReportSlot.item_id.in_(item_ids)] if item_ids is not None else []))
    )
    rows: list[dict[str, Any]] = []
    written = 0
    current: tuple[int, int] | None = None
    group: list[Sequence[Any]] = []
    result = conn.execute(
        select(*_COLUMNS)
        .where(*_FILED_ONLY, *where)
        .order_by(_r.item_id, _r.unit_id)
        .execution_options(yield_per=20_000)
    )

    def close() -> None:
        nonlocal written
        if current is not None:
            row = summarise(current[0], current[1], group)
            if row is not None:
                rows.append(row)
        if len(rows) >= chunk:
            conn.execute(insert(ReportSlot), rows)
            written += len(rows)
            rows.clear()

    for r in result:
        if (r[1], r[2]) != current:
            close()
            current, group = (r[1], r[2]), []
        group.append(r)
    close()
    if rows:
        conn.execute(insert(ReportSlot), rows)
        written += len(rows)
    conn.execute(delete(_SV).where(*([_SV.item_id.in_(item_ids)] if item_ids is not None else [])))
    latest = select(ReportSlot.latest_report_id).where(
        *([ReportSlot.item_id.in_(item_ids)] if item_ids is not None else [])
    )
    conn.execute(insert(_SV).from_select(_VALUE_COLUMNS, _values_of(_r.id.in_(latest))))
    return written


def recomputed(conn: Connection) -> dict[tuple[int, int], dict[str, Any]]:
    """Every slot's summary computed afresh from the reports (for checks), keyed by (item, unit)."""
    groups: dict[tuple[int, int], list[Sequence[Any]]] = {}
    for r in conn.execute(select(*_COLUMNS).where(*_FILED_ONLY)):
        groups.setdefault((r[1], r[2]), []).append(r)
    out = {}
    for (item_id, unit_id), reports in groups.items():
        row = summarise(item_id, unit_id, reports)
        if row is not None:
            out[(item_id, unit_id)] = row
    return out


def stored(conn: Connection) -> dict[tuple[int, int], dict[str, Any]]:
    """Every stored summary row, keyed by (item, unit)."""
    return {(m["item_id"], m["unit_id"]): dict(m) for m in conn.execute(select(ReportSlot)).mappings()}


def recomputed_values(conn: Connection) -> set[tuple[Any, ...]]:
    """Every latest counted report's target values computed afresh from the reports (for checks):
    (item, unit, target, actual, comparator, value)."""
    latest = [r["latest_report_id"] for r in recomputed(conn).values() if r["latest_report_id"] is not None]
    return {tuple(r) for r in conn.execute(_values_of(_r.id.in_(latest)))} if latest else set()


def stored_values(conn: Connection) -> set[tuple[Any, ...]]:
    """Every stored `report_slot_values` row, as `recomputed_values` gives them."""
    return {tuple(r) for r in conn.execute(select(*_VALUE_COLUMNS))}


__all__ = [
    "rebuild",
    "recomputed",
    "recomputed_values",
    "refresh_slot",
    "stored",
    "stored_values",
    "summarise",
]
