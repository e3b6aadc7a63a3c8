"""What the task page shows of a 交办事项 (issue 14): its source (来源：领导批示), 来文文号, 提出人, the
scanned attachment, and for a recurring duty (常态化) each occurrence and each unit's report for it.

An occurrence is a cycle of the register's schedule from the day the duty was given up to the current
one (`schedule.occurrences`); a unit's report for it is 已报送 when first submitted by the end of its
due day (the plan's zone), 逾期报送 after, 缺报 when its due day has passed without one, and 待报送
while it is still open.  Read in the page's session: nothing for a plan's own task (its plan, already
in the session, is not a register), one statement for the row, one for the reports of a recurring duty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.choices import ADHOC_SOURCE_LABELS, RECURRENCE_LABELS
from eduplan.db.adhoc import AdhocItem
from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan
from eduplan.db.reports import ProgressReport
from eduplan.db.work import Assignment
from eduplan.services import blobs
from eduplan.services.accounts.principal import Principal
from eduplan.services.clock import as_utc
from eduplan.services.errors import Invalid, NotFound
from eduplan.services.tracking.plans import schedule_of
from eduplan.services.tracking.schedule import cycles, due_end, occurrences
from eduplan.services.tracking.scope import item_for

REGISTER_KINDS = ("adhoc", "recurring")
"""The kinds of the register plans that 交办事项 are tasks of (`loop.adhoc`)."""
OCCURRENCE_LABELS = {"filed": "已报送", "late": "逾期报送", "missing": "缺报", "open": "待报送"}


@dataclass(frozen=True, kw_only=True)
class UnitOccurrence:
    """One unit's report for one occurrence."""

    unit_id: int
    unit_name: str
    state: str
    label: str


@dataclass(frozen=True, kw_only=True)
class Occurrence:
    """One occurrence of a recurring duty (第 n 次), its period, due day and the units' reports."""

    number: int
    cycle: int
    start: date
    end: date
    due: date
    units: list[UnitOccurrence]


@dataclass(frozen=True, kw_only=True)
class AdhocView:
    """Where a hand-made item came from, its attachment and (recurring) its occurrences."""

    item_id: int
    source: str
    source_label: str
    reference: str | None
    proposer: str | None
    recurrence: str | None
    recurrence_label: str | None
    starts_on: date
    attachment_name: str | None
    attachment_url: str | None
    occurrences: list[Occurrence]
    missed: int


def adhoc_row(session: Session, item_id: int) -> AdhocItem | None:
    """The 交办事项 row of an item (None for a plan's own task)."""
    return session.get(AdhocItem, item_id)


def adhoc_in(session: Session, actor: Principal, item_id: int, today: date, zone: str) -> AdhocView | None:
    """The 交办 facts of an item the actor may read (None when it was not made by hand)."""
    item = item_for(session, actor, item_id)
    plan = session.get(Plan, item.plan_id)  # in the session already on the task page: no statement
    if plan is None or plan.kind not in REGISTER_KINDS:
        return None  # a plan's own task: nothing more to read
    row = adhoc_row(session, item_id)
    if row is None:
        return None
    found: list[Occurrence] = []
    if row.recurrence is not None:
        found = _occurrences(session, item.id, item.plan_id, row.starts_on, today, zone, item.assignments)
    return AdhocView(
        item_id=item_id,
        source=row.source,
        source_label=ADHOC_SOURCE_LABELS.get(row.source, row.source),
        reference=row.reference,
        proposer=row.proposer,
        recurrence=row.recurrence,
        recurrence_label=RECURRENCE_LABELS.get(row.recurrence) if row.recurrence else None,
        starts_on=row.starts_on,
        attachment_name=row.attachment_name,
        attachment_url=f"/adhoc/{item_id}/attachment" if row.attachment_sha256 else None,
        occurrences=found,
        missed=sum(u.state == "missing" for o in found for u in o.units),
    )


def _occurrences(
    session: Session,
    item_id: int,
    plan_id: int,
    since: date,
    today: date,
    zone: str,
    assignments: list[Assignment],
) -> list[Occurrence]:
    try:
        s = schedule_of(session, plan_id)
    except Invalid:
        return []
    every = occurrences(cycles(s.cycle, s.due_day, s.starts_on, s.ends_on), since, today)
    units = [(a.unit_id, a.unit.name if a.unit else a.name) for a in assignments if a.unit_id is not None]
    filed = {
        (unit_id, cycle): at
        for unit_id, cycle, at in session.execute(
            select(ProgressReport.unit_id, ProgressReport.cycle, ProgressReport.first_submitted_at).where(
                ProgressReport.item_id == item_id, ProgressReport.first_submitted_at.is_not(None)
            )
        )
    }
    place = ZoneInfo(zone)
    out = []
    for number, c in enumerate(every, start=1):
        rows = []
        for unit_id, name in units:
            at = filed.get((unit_id, c.index))
            if at is not None:
                state = "filed" if as_utc(at).timestamp() < due_end(c, place) else "late"
            else:
                state = "missing" if c.due < today else "open"
            rows.append(
                UnitOccurrence(unit_id=unit_id, unit_name=name, state=state, label=OCCURRENCE_LABELS[state])
            )
        out.append(Occurrence(number=number, cycle=c.index, start=c.start, end=c.end, due=c.due, units=rows))
    return out


@dataclass(frozen=True, kw_only=True)
class AttachmentFile:
    """The scanned file an item was created from, to download."""

    filename: str
    media_type: str
    data: bytes


def attachment_of(sessions: SessionFactory, actor: Principal, item_id: int) -> AttachmentFile:
    """The attachment of an item the actor may read (`NotFound` when it has none)."""
    with sessions() as session:
        item_for(session, actor, item_id)
        row = adhoc_row(session, item_id)
        data = blobs.get(session, row.attachment_sha256) if row and row.attachment_sha256 else None
        if row is None or data is None:
            raise NotFound("该事项没有附件")
        return AttachmentFile(
            filename=row.attachment_name or "附件",
            media_type=row.attachment_type or "application/octet-stream",
            data=data,
        )
