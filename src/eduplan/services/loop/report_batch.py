"""Saving many reports of one unit and cycle at once (an uploaded 填报模板): each row exactly as
`save_report` (then `submit_report`) would — same scope, locking, value rules and audit log, by the
same code (`save_in`, `transition_in`) — in one transaction, so that a refused row writes nothing
(nothing half-written within a row) while the others are saved (`save_many` says when a row gets a
savepoint of its own).

Why not 200 calls of `save_report`: each refreshes the unit's rollups over all its tasks of the plan
(linear in the tasks), so a 200-row upload would cost 200 × 200 task reads; here the summaries of
the rows' slots (`report_slots.rebuild` of their items, five statements) and the group's rollups
are recomputed once at the end — each from the reports, as a single save does for its slot.  Locks are taken in the
order a single report save takes them — report rows, then the items' slot rows, then the plan's rollup lock
(`refresh_group` → `rollups.lock_plan`), rows in item order — so an upload and a web save of the
same report wait for each other instead of deadlocking (on SQLite the one write lock is taken at
the start: `BEGIN IMMEDIATE`, as `lock_plan` does there).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.db.reports import ProgressReport
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion
from eduplan.services.loop.locking import stale
from eduplan.services.loop.report_slots import rebuild as rebuild_slots
from eduplan.services.loop.reports import ReportInput, report_snapshot, save_in, transition_in
from eduplan.services.tracking import views as v
from eduplan.services.tracking.rollups import lock_plan, refresh_group


@dataclass(kw_only=True)
class BatchRow:
    """One report to save: the item, what was filled in, and the version it was based on (None: new).
    `save` False only submits the stored report at `version` (`submit` must then be asked)."""

    item_id: int
    data: ReportInput
    version: int | None
    save: bool = True


@dataclass
class BatchOutcome:
    """What happened to one row: the report as saved, or the error that refused it."""

    view: v.ReportView | None = None
    error: Exception | None = None
    submitted: bool = False
    submit_error: Exception | None = None
    warnings: list[str] = field(default_factory=list)


Refused = (StaleVersion, Invalid, Conflict, Forbidden, NotFound)


def save_many(
    sessions: SessionFactory,
    actor: Principal,
    unit_id: int,
    cycle: int,
    rows: list[BatchRow],
    today: date,
    submit: bool = False,
) -> list[BatchOutcome]:
    """Save (and submit, when asked) each row; one outcome per row, in order.

    First without savepoints: a refused row has written nothing (`save_in` and `transition_in` check
    everything before their first write), so only a write that lost a race to another save — the
    database refusing it — needs one.  Then the whole batch is rolled back and done again with a
    savepoint per row (a savepoint is two more round trips a row on PostgreSQL)."""
    try:
        return _save_all(sessions, actor, unit_id, cycle, rows, today, submit, savepoints=False)
    except (StaleDataError, IntegrityError):
        return _save_all(sessions, actor, unit_id, cycle, rows, today, submit, savepoints=True)


def _save_all(
    sessions: SessionFactory,
    actor: Principal,
    unit_id: int,
    cycle: int,
    rows: list[BatchRow],
    today: date,
    submit: bool,
    savepoints: bool,
) -> list[BatchOutcome]:
    out = [BatchOutcome() for _ in rows]
    if not rows:
        return out
    order = sorted(range(len(rows)), key=lambda k: rows[k].item_id)  # one lock order for every upload
    with sessions.begin() as session:
        groups = set(
            session.execute(
                select(WorkItem.plan_id, WorkItem.org_id).where(WorkItem.id.in_([r.item_id for r in rows]))
            ).all()
        )
        if session.connection().dialect.name == "sqlite":
            for plan_id in sorted({p for p, _ in groups}):
                lock_plan(session.connection(), plan_id)  # BEGIN IMMEDIATE: what is read stays current
        # held for the whole loop: the identity map is weak, and each row's `save_in` would
        # otherwise load its item's units and targets (and the unit) again
        kept: list[object] = [session.get(Unit, unit_id)]
        kept += session.scalars(
            select(WorkItem)
            .where(WorkItem.id.in_([r.item_id for r in rows]))
            .options(selectinload(WorkItem.assignments), selectinload(WorkItem.targets))
        ).all()

        def step() -> AbstractContextManager[object]:
            return session.begin_nested() if savepoints else nullcontext()

        touched: set[int] = set()
        for row, outcome in ((rows[k], out[k]) for k in order):
            try:
                with step():
                    if row.save:
                        outcome.view = save_in(
                            session,
                            actor,
                            row.item_id,
                            unit_id,
                            cycle,
                            row.data,
                            row.version,
                            today,
                            refresh=False,
                        )
                        outcome.warnings = outcome.view.warnings
                    touched.add(row.item_id)
            except Refused as exc:
                outcome.error = exc
                continue
            except (StaleDataError, IntegrityError):
                if not savepoints:
                    raise
                outcome.error = _lost_race(session, row.item_id, unit_id, cycle, row.version)
                continue
            target = (
                (outcome.view.id, outcome.view.version)
                if outcome.view
                else _stored(session, row, unit_id, cycle)
            )
            if not submit or target is None:
                continue
            try:
                with step():
                    submitted = transition_in(
                        session, actor, target[0], target[1], "submit", None, refresh=False
                    )
                outcome.view, outcome.submitted = submitted, True
            except Refused as exc:
                outcome.submit_error = exc
            except StaleDataError:
                if not savepoints:
                    raise
                outcome.submit_error = _lost_race(session, row.item_id, unit_id, cycle, target[1])
        if touched:
            session.flush()
            rebuild_slots(session.connection(), sorted(touched))
        for plan_id, org_id in sorted(groups):
            refresh_group(session.connection(), plan_id, org_id)
    del kept
    return out


def _stored(session: Session, row: BatchRow, unit_id: int, cycle: int) -> tuple[int, int] | None:
    """The stored report a submit-only row names (its id and the version the row was based on)."""
    found = session.scalars(
        select(ProgressReport.id).where(
            ProgressReport.item_id == row.item_id,
            ProgressReport.unit_id == unit_id,
            ProgressReport.cycle == cycle,
        )
    ).first()
    return None if found is None or row.version is None else (found, row.version)


def _lost_race(session: Session, item_id: int, unit_id: int, cycle: int, version: int | None) -> Exception:
    """The error of a row whose write lost a race to another save (read again after the rollback)."""
    found = session.scalars(
        select(ProgressReport).where(
            ProgressReport.item_id == item_id,
            ProgressReport.unit_id == unit_id,
            ProgressReport.cycle == cycle,
        )
    ).first()
    if found is None:
        return Conflict("该报告刚被他人修改，请刷新后再保存")
    return stale(session, "report", found.id, version, report_snapshot(found))
