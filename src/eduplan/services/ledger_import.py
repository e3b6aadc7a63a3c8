"""Use case: bring an existing 台账 (tracking ledger, xlsx/xls/et/csv) in — a plan with its tasks,
units, targets, and the historical reports of every period the ledger records.

`preview_ledger` reads the file and says what confirming would do, writing nothing: how each column
was understood (`parsing.ledger_columns`; the caller may pass other role codes), the plan (new, or
the registered plan it updates), the tasks, the reports per period, and the rows that cannot be
read, each with its sheet row and reason.  `import_ledger` does it in ONE transaction: the plan goes
through the registry's import (`registry.importing.store_document`: a new plan, or the next
version of the same plan — same organisation, kind, year and title — with its tasks matched by
number and title), the plan is opened for reporting as `loop.plans` does (`sync_items`: one work
item per task, its units as assignments, its targets), units changed in the ledger replace an
existing item's assignments as `loop.assign.set_assignments` would, and the reports are written by
`ledger_reports` under the value rules.  Every change is audited; anything failing rolls all back.
Importing the same ledger again updates rather than duplicates: same plan, same items, reports
matched by (task, unit, cycle).

Limits: the file is read in this process (spreadsheets only: their readers have their own zip and
row limits); an existing plan keeps its schedule (the `cycle` option only sets a new plan's);
targets of an existing item are not rewritten (their reported values hang on them).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.db.plans import Plan, PlanVersion
from eduplan.db.tasks import Task
from eduplan.db.work import ReportingSchedule, WorkItem
from eduplan.parsing.ledger_columns import ROLE_LABELS, check_roles
from eduplan.parsing.ledger_sheet import Column, LedgerReading, RowProblem, read_ledger
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Invalid
from eduplan.services.ledger_reports import PlannedReport, WriteCounts, plan_reports, write_reports
from eduplan.services.registry.errors import ImportRejected
from eduplan.services.tracking.schedule import CYCLE_LABELS, Cycle, check_schedule, cycles

SPREADSHEETS = ("xlsx", "xls", "csv")


@dataclass
class LedgerOptions:
    """What the person chose: the organisation, a new plan's schedule, the year when the ledger
    does not say it, the sheet and the column roles (None: as guessed)."""

    org: str | None = None
    cycle: str = "monthly"
    due_day: int = 25
    year: int | None = None
    codes: list[str] | None = None
    sheet: str | None = None


@dataclass
class LedgerPreview:
    """What confirming would do (nothing is written to make it)."""

    filename: str
    sheet: str
    sheets: list[str]
    header_row: int
    columns: list[Column]
    choices: dict[str, str]
    title: str
    year: int
    org: str
    plan_id: int | None
    """The registered plan this ledger updates (None: a new plan)."""
    schedule: str
    tasks: int
    chapters: int
    units: list[str]
    periods: list[str]
    reports: list[PlannedReport]
    problems: list[RowProblem]
    warnings: list[str] = field(default_factory=list)
    mapping_problems: list[str] = field(default_factory=list)
    task_rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(number, title, units, targets) of each task, for the preview's table."""


@dataclass
class LedgerResult:
    """What an import did."""

    plan_id: int
    version: int
    status: str
    title: str
    tasks: int
    items_created: int
    reports: WriteCounts
    problems: list[RowProblem]
    warnings: list[str]


def read_ledger_file(
    data: bytes, filename: str, options: LedgerOptions
) -> tuple[LedgerReading, list[str], str]:
    """The ledger of a spreadsheet, its rows as lines and its media type; `ImportRejected` when it
    is not a spreadsheet or has no ledger header, `Invalid` when the role codes cannot be used."""
    from eduplan.parsing import ParseError
    from eduplan.readers import ReadError, read_document
    from eduplan.services.registry.importing import media_type_of

    if options.codes is not None and (wrong := check_roles(options.codes)):
        raise Invalid("；".join(wrong))
    try:
        document = read_document(data, filename)
    except ReadError as exc:
        raise ImportRejected(str(exc), "unreadable") from exc
    if document.format not in SPREADSHEETS:
        raise ImportRejected("台账须为 Excel 表格（xlsx、xls、WPS et）或 csv 文件", "unsupported")
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    try:
        reading = read_ledger(document.tables, options.codes, options.sheet, stem)
    except ParseError as exc:
        raise ImportRejected(str(exc), "unparsable") from exc
    if options.year and reading.plan.year != options.year:
        reading.plan.year = options.year
    return reading, document.lines, media_type_of(document.format, data)


def _year(reading: LedgerReading, today: date) -> int:
    """The ledger's year: its title's, else its date's (截至…), else this year; the plan takes it, so
    that the preview and the import find the same registered plan."""
    year = reading.plan.year or (reading.as_of or today).year
    reading.plan.year = year
    return year


def _existing_plan(
    session: Session, actor: Principal, reading: LedgerReading, org: str | None
) -> tuple[str, Plan | None]:
    from eduplan.services.registry.import_policy import import_place
    from eduplan.services.registry.orgs import find_org
    from eduplan.services.registry.plan_identity import decide

    place = import_place(session, actor, reading.plan, org)
    if not place:
        raise ImportRejected(
            "无法从台账标题识别所属地区，请指定所属机构（如 --org 长春市）", "no_organisation"
        )
    found = find_org(session, place)
    return place, decide(session, found.id if found else None, reading.plan).plan


def _cycles(schedule: ReportingSchedule | None, options: LedgerOptions, year: int) -> tuple[list[Cycle], str]:
    if schedule is not None:
        return cycles(schedule.cycle, schedule.due_day, schedule.starts_on, schedule.ends_on), schedule.cycle
    check_schedule(options.cycle, options.due_day, date(year, 1, 1), date(year, 12, 31))
    return cycles(options.cycle, options.due_day, date(year, 1, 1), date(year, 12, 31)), options.cycle


def _schedule_of(session: Session, plan: Plan | None) -> ReportingSchedule | None:
    if plan is None:
        return None
    return session.scalars(select(ReportingSchedule).where(ReportingSchedule.plan_id == plan.id)).first()


def preview_ledger(
    sessions: SessionFactory,
    actor: Principal,
    data: bytes,
    filename: str,
    options: LedgerOptions,
    today: date,
) -> LedgerPreview:
    """Read a ledger and say what importing it would do; nothing is written."""
    from eduplan.labels import target_text

    actor.require_manager()
    reading, _, _ = read_ledger_file(data, filename, options)
    year = _year(reading, today)
    with sessions() as session:
        place, plan = _existing_plan(session, actor, reading, options.org)
        all_cycles, kind = _cycles(_schedule_of(session, plan), options, year)
    planned, problems = plan_reports(reading, all_cycles, year, today)
    for p in planned:  # the value rules on the ledger's own values (the registry's are checked on import)
        _preview_check(reading, p)
    tasks = [t for _, t in reading.plan.tasks()]
    units = sorted({u for t in tasks for u in t.units})
    rows = [
        (t.number, t.title, "、".join(t.units), "；".join(target_text(x) for x in t.targets)) for t in tasks
    ]
    return LedgerPreview(
        filename,
        reading.sheet,
        reading.sheets,
        reading.header_row,
        reading.columns,
        ROLE_LABELS,
        reading.plan.title,
        year,
        place,
        plan.id if plan else None,
        CYCLE_LABELS.get(kind, kind),
        len(tasks),
        len(reading.plan.chapters),
        units,
        [p.label for p in reading.periods],
        planned,
        sorted([*reading.problems, *problems], key=lambda r: r.row),
        list(reading.plan.warnings),
        check_roles([c.code for c in reading.columns]),
        rows,
    )


def _preview_check(reading: LedgerReading, p: PlannedReport) -> None:
    from eduplan.services.ledger_reports import checked_values
    from eduplan.services.tracking.value_rules import TargetFacts

    task = [t for _, t in reading.plan.tasks()][p.task]
    facts = [
        TargetFacts(
            id=k,
            subject=t.subject,
            unit=t.unit,
            value=t.value,
            comparator=t.comparator,
            value_max=t.value_max,
        )
        for k, t in enumerate(task.targets)
    ]
    keys = [(k, t.text, t.text, t.subject) for k, t in enumerate(task.targets)]
    _, error = checked_values(p, facts, keys, {})
    if error is not None:
        p.warnings.append(error)


def source_sha(data: bytes, options: LedgerOptions) -> str:
    """The registry's key of an imported ledger: its bytes and how its columns were read, so the
    same file read another way is another source document."""
    how = json.dumps({"ledger": options.codes, "sheet": options.sheet}, ensure_ascii=False)
    return hashlib.sha256(data + b"#" + how.encode("utf-8")).hexdigest()


def import_ledger(
    sessions: SessionFactory,
    actor: Principal,
    data: bytes,
    filename: str,
    options: LedgerOptions,
    today: date,
    zone: str = "Asia/Shanghai",
) -> LedgerResult:
    """Import a ledger in one transaction: plan, work items, assignments and historical reports."""
    from eduplan.services.registry.importing import store_document

    actor.require_manager()
    reading, lines, media_type = read_ledger_file(data, filename, options)
    year = _year(reading, today)
    with sessions.begin() as session:
        place, _ = _existing_plan(session, actor, reading, options.org)
        stored = store_document(
            session, actor, data, source_sha(data, options), filename, media_type, lines, reading.plan, place
        )
        plan = session.get(Plan, stored.plan_id)
        assert plan is not None
        schedule, made = _open(session, actor, plan, options, year)
        all_cycles = cycles(schedule.cycle, schedule.due_day, schedule.starts_on, schedule.ends_on)
        planned, problems = plan_reports(reading, all_cycles, year, today)
        items = _items(session, plan)
        if stored.status == "revised":  # a new version may name other units
            _reassign(session, actor, items)
        names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.org_id == plan.org_id)).all())
        counts = write_reports(session, actor, items, names, planned, all_cycles, ZoneInfo(zone), problems)
        _rebuild(session, plan.id, [i.id for i in items if i is not None])
        problems = sorted([*reading.problems, *problems], key=lambda r: r.row)
        summary = {
            "filename": filename,
            "sheet": reading.sheet,
            "tasks": len(items),
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "problems": len(problems),
        }
        record(session, actor, "ledger_import", "plan", plan.id, None, plan.org_id, None, summary)
        warnings = [*stored.warnings, *(w for p in planned for w in p.warnings)]
        return LedgerResult(
            plan.id, stored.version, stored.status, plan.title, len(items), made, counts, problems, warnings
        )


def _open(
    session: Session, actor: Principal, plan: Plan, options: LedgerOptions, year: int
) -> tuple[ReportingSchedule, int]:
    """The plan's schedule (a new one as `options` say) and its work items, as `loop.open_plan` does."""
    from eduplan.services.loop.plans import sync_items, write_schedule
    from eduplan.services.tracking.rollups import lock_plan

    lock_plan(session.connection(), plan.id)
    schedule = _schedule_of(session, plan)
    if schedule is None:
        starts, ends = date(year, 1, 1), date(year, 12, 31)
        check_schedule(options.cycle, options.due_day, starts, ends)
        schedule = write_schedule(session, actor, plan, None, options.cycle, options.due_day, starts, ends)
    warm = _tasks_with_parts(session, plan)  # held: sync_items then finds every target's parts loaded
    made = sync_items(session, actor, plan)
    del warm
    return schedule, made


def _tasks_with_parts(session: Session, plan: Plan) -> list[Task]:
    """The latest version's tasks with their units, targets and the targets' parts, in three
    statements (sync_items would otherwise load the parts one target at a time)."""
    from eduplan.db.targets import Target as TargetRow

    latest = (
        select(PlanVersion.id)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
    query = (
        select(Task)
        .where(Task.version_id == latest.scalar_subquery())
        .options(selectinload(Task.unit_links), selectinload(Task.targets).selectinload(TargetRow.parts))
    )
    return list(session.scalars(query))


def _items(session: Session, plan: Plan) -> list[WorkItem | None]:
    """The work item of each task of the plan's latest version, in the ledger's task order."""
    latest = session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number.desc())
    ).first()
    assert latest is not None
    tracked = session.scalars(
        select(Task.tracked_id).where(Task.version_id == latest.id).order_by(Task.position)
    ).all()
    by_tracked = {
        i.tracked_id: i
        for i in session.scalars(
            select(WorkItem)
            .where(WorkItem.plan_id == plan.id, WorkItem.org_id == plan.org_id)
            .options(selectinload(WorkItem.assignments), selectinload(WorkItem.targets))
        )
    }
    return [by_tracked.get(t) for t in tracked]


def _reassign(session: Session, actor: Principal, items: list[WorkItem | None]) -> None:
    """An existing item whose units the ledger changes gets the ledger's units, audited as
    `set_assignments` does (the units come from the new version's parsed links)."""
    from eduplan.db.tasks import Task as TaskRow
    from eduplan.services.loop.assign import parsed_assignments
    from eduplan.services.tracking.items import item_snapshot

    for item in items:
        if item is None or not item.assignments:
            continue
        task = session.scalars(
            select(TaskRow)
            .join(PlanVersion, TaskRow.version_id == PlanVersion.id)
            .where(TaskRow.tracked_id == item.tracked_id)
            .order_by(PlanVersion.number.desc())
            .options(selectinload(TaskRow.unit_links))
            .limit(1)
        ).first()
        if task is None:
            continue
        wanted = parsed_assignments(list(task.unit_links))
        now = [(a.unit_id, a.role, a.name) for a in item.assignments]
        if not wanted or [(a.unit_id, a.role, a.name) for a in wanted] == now:
            continue
        before = item_snapshot(item)
        item.assignments = wanted
        item.updated_by, item.updated_at = actor.username, utcnow()
        session.flush()
        record(session, actor, "assign", "item", item.id, item.id, item.org_id, before, item_snapshot(item))


def _rebuild(session: Session, plan_id: int, item_ids: list[int]) -> None:
    """The slot summaries and the plan's rollups from the reports just written."""
    from eduplan.services.loop import report_slots
    from eduplan.services.tracking import rollups

    conn = session.connection()
    report_slots.rebuild(conn, item_ids)
    rollups.rebuild(conn, plan_id)
