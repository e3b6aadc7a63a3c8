"""交办事项 created by hand (issue 14): 批示件, 会议议定事项, 上级交办, 人大建议/政协提案, and 常态化 duties.

Such an item is an ordinary task of a register plan of the office's organisation, so that everything
the loop does (assignment and the task's life, reports, lights, 督办, 整改, evaluation, exports) works
on it unchanged:
- one-off items go to the year's register, “示例市教育局2026年交办督办事项” (plan kind ``adhoc``,
  monthly reports due on the 25th for the year), in the chapter of their source;
- recurring duties (重复：每周/每月/每季度, no end date) go to the organisation's register of that
  recurrence, “示例市教育局常态化工作（每月）” (kind ``recurring``), whose schedule's cycles are the
  duty's occurrences.  Its end is a horizon moved on as time passes (`schedule.open_horizon`), and each
  item counts its occurrences from the day it was given (`WorkItem.received_on`), as a handed-down
  task counts its cycles, so a duty given in September owes nothing for August.
Registers are made on first use; their single version grows by one task per item (the only plans
whose version is not immutable: nothing was imported, there is nothing to revise).  A scanned
attachment is kept as a blob and, when no text is typed, read by the intake readers (OCR) to become
the task's text (its first line the title when none is given).  Every creation is audited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eduplan.choices import ADHOC_SOURCE_LABELS, RECURRENCE_LABELS
from eduplan.db.adhoc import AdhocItem
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation, Unit
from eduplan.db.plans import Chapter, Plan, PlanVersion, SourceDocument
from eduplan.db.tasks import Task, TaskUnit, TrackedTask
from eduplan.db.work import ReportingSchedule, WorkItem
from eduplan.readers import read_document
from eduplan.readers.errors import ReadError
from eduplan.services import blobs
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Invalid
from eduplan.services.loop.plans import sync_items
from eduplan.services.registry.search import index_bigrams
from eduplan.services.tracking.deadlines import resolve_deadline
from eduplan.services.tracking.rollups import lock_plan
from eduplan.services.tracking.rollups import rebuild as rebuild_rollups
from eduplan.services.tracking.schedule import RECURRENCE_DUE_DAY, open_horizon

CHINESE_NUMBERS = "一二三四五六七八九十"
ONE_OFF_SOURCES = tuple(k for k in ADHOC_SOURCE_LABELS if k != "routine")
TITLE_MAX = 60


@dataclass(frozen=True, kw_only=True)
class Attachment:
    """A file attached to an item (the scanned 批示件, the 会议纪要 …) as uploaded."""

    filename: str
    data: bytes
    media_type: str = "application/octet-stream"


@dataclass(frozen=True, kw_only=True)
class AdhocInput:
    """An item as staff give it: its source, title and text, who answers for it, and when."""

    source: str
    title: str = ""
    text: str = ""
    reference: str = ""
    proposer: str = ""
    deadline: str = ""
    lead_unit_id: int | None = None
    support_unit_ids: tuple[int, ...] = ()
    recurrence: str | None = None
    attachment: Attachment | None = None


@dataclass(frozen=True, kw_only=True)
class CreatedItem:
    """What `create_item` made: the work item and the register plan it is in."""

    item_id: int
    plan_id: int
    plan_title: str
    title: str
    text_from_attachment: bool


def attachment_text(attachment: Attachment) -> str:
    """The text of a scanned or typed attachment, read as an imported plan is (OCR for scans)."""
    try:
        lines = read_document(attachment.data, attachment.filename).lines
    except ReadError as exc:
        raise Invalid(f"附件“{attachment.filename}”无法读取文字：{exc}；请在“事项内容”中输入文字") from exc
    return "\n".join(line.strip() for line in lines if line.strip())


def _check(given: AdhocInput) -> None:
    if given.source not in ADHOC_SOURCE_LABELS:
        raise Invalid(f"请选择事项来源（{'、'.join(ADHOC_SOURCE_LABELS.values())}）")
    if given.recurrence is not None and given.recurrence not in RECURRENCE_LABELS:
        raise Invalid(f"重复周期只能是{'、'.join(RECURRENCE_LABELS.values())}")
    if given.source == "routine" and given.recurrence is None:
        raise Invalid("常态化工作须选择重复周期（每周、每月或每季度）")
    if given.lead_unit_id is None:
        raise Invalid("请选择责任单位（牵头）")
    if not given.title.strip() and not given.text.strip() and given.attachment is None:
        raise Invalid("请填写事项名称，或上传附件由系统识别")


def _register_title(org: Organisation, recurrence: str | None, year: int) -> str:
    if recurrence is None:
        return f"{org.name}{year}年交办督办事项"
    return f"{org.name}常态化工作（{RECURRENCE_LABELS[recurrence]}）"


def _find_register(session: Session, org_id: int, recurrence: str | None, year: int) -> Plan | None:
    if recurrence is None:
        query = select(Plan).where(Plan.org_id == org_id, Plan.kind == "adhoc", Plan.year == year)
    else:
        query = (
            select(Plan)
            .join(ReportingSchedule, ReportingSchedule.plan_id == Plan.id)
            .where(Plan.org_id == org_id, Plan.kind == "recurring", ReportingSchedule.cycle == recurrence)
        )
    return session.scalars(query.order_by(Plan.id)).first()


def _new_register(
    session: Session, actor: Principal, org: Organisation, recurrence: str | None, start: date, today: date
) -> Plan:
    now = utcnow()
    kind = "adhoc" if recurrence is None else "recurring"
    title = _register_title(org, recurrence, start.year)
    year = start.year if recurrence is None else None
    plan = Plan(
        org_id=org.id,
        title=title,
        kind=kind,
        year=year,
        period_start=start.year,
        period_end=None if recurrence else start.year,
        created_at=now,
    )
    key = f"eduplan register {org.id} {kind} {recurrence or start.year}"
    fingerprint = hashlib.sha256(key.encode()).hexdigest()
    document = SourceDocument(
        sha256=fingerprint,
        filename=title,
        media_type="text/plain",
        size=0,
        content=b"",
        lines=[],
        imported_at=now,
    )
    version = PlanVersion(
        plan=plan,
        number=1,
        document=document,
        title=title,
        place=None,
        kind=kind,
        year=year,
        period_start=plan.period_start,
        period_end=plan.period_end,
        issuer=[org.name],
        doc_number=None,
        issued_on=None,
        toc=[],
        warnings=[],
        fingerprint=fingerprint,
        imported_at=now,
        plan_json=None,
    )
    session.add_all([plan, document, version])
    session.flush()
    sources = ONE_OFF_SOURCES if recurrence is None else tuple(ADHOC_SOURCE_LABELS)
    for position, source in enumerate(sources):
        label = ADHOC_SOURCE_LABELS[source]
        session.add(
            Chapter(
                version_id=version.id,
                position=position,
                number=CHINESE_NUMBERS[position],
                title=label,
                text=label,
                line=None,
            )
        )
    cycle = recurrence or "monthly"
    starts = date(start.year, 1, 1)
    schedule = ReportingSchedule(
        plan_id=plan.id,
        cycle=cycle,
        due_day=RECURRENCE_DUE_DAY[cycle],
        starts_on=starts,
        ends_on=open_horizon(today) if recurrence else date(start.year, 12, 31),
        updated_by=actor.username,
        updated_at=now,
    )
    session.add(schedule)
    session.flush()
    record(session, actor, "create", "plan", plan.id, None, org.id, None, {"title": title, "kind": kind})
    return plan


def _register(
    session: Session, actor: Principal, org: Organisation, recurrence: str | None, start: date, today: date
) -> Plan:
    plan = _find_register(session, org.id, recurrence, start.year)
    if plan is None:
        return _new_register(session, actor, org, recurrence, start, today)
    schedule = session.scalars(select(ReportingSchedule).where(ReportingSchedule.plan_id == plan.id)).one()
    if start < schedule.starts_on:
        raise Invalid(f"交办日期不能早于{plan.title}的报送起始日 {schedule.starts_on.isoformat()}")
    if recurrence is not None and schedule.ends_on < open_horizon(today):
        schedule.ends_on = open_horizon(today)  # the horizon of an open-ended schedule moves on
        schedule.updated_by, schedule.updated_at = actor.username, utcnow()
    return plan


def _units(session: Session, org_id: int, given: AdhocInput) -> list[tuple[Unit, str]]:
    ids = [given.lead_unit_id, *(u for u in given.support_unit_ids if u != given.lead_unit_id)]
    found = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    chosen = list(dict.fromkeys(ids))
    # one unit answers for it (责任); with others it leads (牵头) and they support (配合)
    roles = ["responsible"] if len(chosen) == 1 else ["lead", *["support"] * (len(chosen) - 1)]
    out: list[tuple[Unit, str]] = []
    for unit_id, role in zip(chosen, roles, strict=True):
        unit = found.get(unit_id) if unit_id is not None else None
        if unit is None or unit.org_id != org_id:
            raise Invalid(f"单位 {unit_id} 不属于本机构，请从本机构的单位中选择责任单位")
        out.append((unit, role))
    return out


def create_item(
    sessions: SessionFactory,
    actor: Principal,
    given: AdhocInput,
    today: date,
    given_on: date | None = None,
) -> CreatedItem:
    """Create a 交办事项 (office staff of an organisation): the register task, its work item
    assigned to the units (each waits for 签收), its source and attachment.  `given_on` (交办日期,
    default today) is the day a recurring duty's occurrences count from."""
    actor.require_manager()
    _check(given)
    if actor.org_id is None:
        raise Invalid("交办事项属于某一机构：请用该机构办公室的账户创建")
    start = given_on or today
    if start > today:
        raise Invalid("交办日期不能晚于今天")
    text = given.text.strip()
    from_attachment = False
    if not text and given.attachment is not None:  # read before the transaction: OCR takes seconds
        text, from_attachment = attachment_text(given.attachment), True
    title = given.title.strip() or (text.splitlines()[0][:TITLE_MAX] if text else "")
    if not title:
        raise Invalid("请填写事项名称")
    with sessions.begin() as session:
        org = session.get_one(Organisation, actor.org_id)
        units = _units(session, org.id, given)
        plan = _register(session, actor, org, given.recurrence, start, today)
        lock_plan(session.connection(), plan.id)  # before the task is written (`rollups.lock_plan`)
        version = session.scalars(select(PlanVersion).where(PlanVersion.plan_id == plan.id)).one()
        label = ADHOC_SOURCE_LABELS[given.source]
        chapter = session.scalars(
            select(Chapter).where(Chapter.version_id == version.id, Chapter.title == label)
        ).one()
        count = session.scalar(select(func.count(Task.id)).where(Task.version_id == version.id)) or 0
        deadline = None
        if given.deadline.strip():
            deadline, _words = resolve_deadline(session, plan.id, given.deadline, today)
        tracked = TrackedTask(plan_id=plan.id)
        session.add(tracked)
        session.flush()
        task = Task(
            version_id=version.id,
            chapter_id=chapter.id,
            tracked_id=tracked.id,
            position=count,
            number=str(count + 1),
            title=title,
            text=text or title,
            units_text="、".join(u.name for u, _r in units),
            deadline=deadline,
            line=None,
            change="added",
            has_target=False,
            kind="task",
        )
        task.unit_links = [
            TaskUnit(unit_id=u.id, role=role, position=k, name=u.name) for k, (u, role) in enumerate(units)
        ]
        session.add(task)
        session.flush()
        index_bigrams(session, [(task.id, task.title, task.text)])
        sync_items(session, actor, plan)  # the work item, its assignments and duties (签收)
        item = session.scalars(
            select(WorkItem).where(WorkItem.tracked_id == tracked.id, WorkItem.org_id == org.id)
        ).one()
        if given.deadline.strip():
            item.deadline_text = given.deadline.strip()
        item.received_on = start  # reports are owed from the day it was given, not the register's start
        sha = None
        if given.attachment is not None:
            sha = blobs.put(session, given.attachment.data)
        row = AdhocItem(
            item_id=item.id,
            source=given.source,
            reference=given.reference.strip() or None,
            proposer=given.proposer.strip() or None,
            recurrence=given.recurrence,
            starts_on=start,
            attachment_sha256=sha,
            attachment_name=given.attachment.filename if given.attachment else None,
            attachment_type=given.attachment.media_type if given.attachment else None,
            created_by=actor.username,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        record(session, actor, "create", "adhoc", item.id, item.id, org.id, None, _snapshot(row, title))
        rebuild_rollups(session.connection(), plan.id)
        return CreatedItem(
            item_id=item.id,
            plan_id=plan.id,
            plan_title=plan.title,
            title=title,
            text_from_attachment=from_attachment,
        )


def _snapshot(row: AdhocItem, title: str) -> dict[str, object]:
    return {
        "title": title,
        "source": row.source,
        "reference": row.reference,
        "proposer": row.proposer,
        "recurrence": row.recurrence,
        "starts_on": row.starts_on.isoformat(),
        "attachment": row.attachment_name,
    }


def extend_open_schedules(sessions: SessionFactory, today: date) -> int:
    """Move the end of every open-ended (常态化) schedule short of `open_horizon(today)` there (once a
    year: the horizon is the end of next year), so that a duty's occurrences go on without an end; how many moved.  The
    server's scheduler runs it with the reminders (each change audited, as the system)."""
    actor = Principal.system()
    horizon = open_horizon(today)
    with sessions.begin() as session:
        rows = session.execute(
            select(ReportingSchedule, Plan.org_id)
            .join(Plan, Plan.id == ReportingSchedule.plan_id)
            .where(Plan.kind == "recurring", ReportingSchedule.ends_on < horizon)
        ).all()
        for schedule, org_id in rows:
            lock_plan(session.connection(), schedule.plan_id)
            before = {"ends_on": schedule.ends_on.isoformat()}
            schedule.ends_on = horizon
            schedule.updated_by, schedule.updated_at = actor.username, utcnow()
            session.flush()
            after = {"ends_on": horizon.isoformat()}
            record(session, actor, "schedule", "schedule", schedule.id, None, org_id, before, after)
            rebuild_rollups(session.connection(), schedule.plan_id)
        return len(rows)
