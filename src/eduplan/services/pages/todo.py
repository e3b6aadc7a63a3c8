"""我的待办 (/todo, issue 14): everything waiting for this person, each with its deadline and a link,
read in one session.

A unit's reporter: 领导批示 addressed to its unit not yet read (已阅/办理), its parts of tasks to sign
(签收), this cycle's report not yet filed and reports returned for revision (报告), 督办 to sign and
to answer, 整改 to do.  Office staff (and
administrators): requests to decide (延期, 办结, 退回), signings past their limit, reports to
review, 整改 to sign off, answered 督办 to close and 督办 unsigned past the limit.  A decision waits for the office
`sign_working_days` working days from the day it was asked (the same limit as signing).

`waiting_count` is the navigation's badge: the same list without 本期应报 (shown on 我的任务), in
one statement, so that every page can afford it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.life import Duty, DutyRequest
from eduplan.db.orgs import Unit
from eduplan.db.plans import Plan
from eduplan.db.reports import ProgressReport
from eduplan.db.supervision import Rectification, Urge
from eduplan.db.work import Assignment, ReportingSchedule, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.clock import local_date
from eduplan.services.tracking.instructions import addressed_to_unit, waiting_count_query
from eduplan.services.tracking.items import latest_tasks
from eduplan.services.tracking.life import REQUEST_KINDS, add_working_days, sign_due
from eduplan.services.tracking.schedule import cycles
from eduplan.services.tracking.scope import visible_items

ZONE = "Asia/Shanghai"
KINDS = {
    "instruction": "领导批示待阅",
    "sign": "待签收",
    "report_due": "本期应报",
    "report_returned": "报告被退回",
    "urge_sign": "督办待签收",
    "urge_answer": "督办待答复",
    "rectify": "整改待办",
    "decide_extend": "延期待审批",
    "decide_close": "办结待审核",
    "decide_refuse": "退回待处理",
    "sign_overdue": "签收逾期",
    "review": "报告待审核",
    "sign_off": "整改待销号",
    "urge_close": "督办答复待办结",
    "urge_sign_overdue": "督办签收逾期",
}


@dataclass(kw_only=True)
class TodoEntry:
    """One thing waiting: what (`kind`, `label`), on which task, by when, and where to do it."""

    kind: str
    label: str
    item_id: int
    task: str
    detail: str
    deadline: date | None
    overdue: bool
    url: str


@dataclass(kw_only=True)
class TodoPage:
    """The 我的待办 page's data: entries by deadline (the overdue first), counts by kind."""

    on: date
    entries: list[TodoEntry] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0


def todo_page(sessions: SessionFactory, settings: Settings, actor: Principal, today: date) -> TodoPage:
    """Everything waiting for `actor` as of `today`."""
    days = settings.sign_working_days
    with sessions() as session:
        raw: list[tuple[str, int, str, date | None, str]] = []  # kind, item, detail, deadline, url
        if actor.role == "reporter" and actor.unit_id is not None:
            raw += _unit_side(session, actor, days, today)
        if actor.manages:
            raw += _office_side(session, actor, days, today)
        found = select(WorkItem.id, WorkItem.tracked_id).where(WorkItem.id.in_({r[1] for r in raw}))
        items: dict[int, int] = {i: t for i, t in session.execute(found)}
        texts = latest_tasks(session, set(items.values()))
    entries = []
    for kind, item_id, detail, deadline, url in raw:
        t = texts.get(items.get(item_id, 0))
        task = f"{t.number}. {t.title}" if t else f"任务 {item_id}"
        late = deadline is not None and deadline < today
        entries.append(
            TodoEntry(
                kind=kind,
                label=KINDS[kind],
                item_id=item_id,
                task=task,
                detail=detail,
                deadline=deadline,
                overdue=late,
                url=url,
            )
        )
    entries.sort(key=lambda e: (not e.overdue, e.deadline or date.max, e.item_id, e.kind))
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    return TodoPage(on=today, entries=entries, counts=counts, total=len(entries))


def _unit_side(
    session: Session, actor: Principal, days: int, today: date
) -> list[tuple[str, int, str, date | None, str]]:
    unit = actor.unit_id
    out: list[tuple[str, int, str, date | None, str]] = []
    on_task = exists().where(Assignment.item_id == WorkItem.id, Assignment.unit_id == unit)
    mine = WorkItem.active.is_(True) & visible_items(actor) & on_task
    for n, on in addressed_to_unit(session, actor, unit or 0):  # on: the unit's task (上级批示: below)
        text = n.body if len(n.body) <= 60 else n.body[:60] + "…"
        out.append(
            (
                "instruction",
                on,
                f"{n.author}：{text}",
                n.deadline,
                f"/items/{on}#instruction-{n.id}",
            )
        )
    for duty in session.scalars(
        select(Duty)
        .join(WorkItem, Duty.item_id == WorkItem.id)
        .where(Duty.unit_id == unit, Duty.state == "to_sign", mine)
    ):
        out.append(
            ("sign", duty.item_id, "", sign_due(duty.received_at, days), f"/items/{duty.item_id}#life")
        )
    for urge in session.scalars(
        select(Urge)
        .join(WorkItem, Urge.item_id == WorkItem.id)
        .where(Urge.state != "closed", or_(Urge.unit_id == unit, Urge.unit_id.is_(None)), mine)
    ):
        url = f"/items/{urge.item_id}#urges"
        if urge.signed_at is None:
            out.append(("urge_sign", urge.item_id, urge.note, sign_due(urge.issued_at, days), url))
        if urge.state == "open":
            out.append(("urge_answer", urge.item_id, urge.note, urge.due_on, url))
    for rect in session.scalars(
        select(Rectification).where(Rectification.unit_id == unit, Rectification.state == "open")
    ):
        out.append(("rectify", rect.item_id, rect.finding, rect.deadline, f"/rectifications/{rect.id}"))
    rows = session.execute(
        select(WorkItem.id, ReportingSchedule)
        .join(ReportingSchedule, ReportingSchedule.plan_id == WorkItem.plan_id)
        .join(Plan, Plan.id == WorkItem.plan_id)
        .where(
            mine, ~exists().where(Duty.item_id == WorkItem.id, Duty.unit_id == unit, Duty.state == "closed")
        )
    ).all()
    reports = {
        (r.item_id, r.cycle): r.state
        for r in session.execute(
            select(ProgressReport.item_id, ProgressReport.cycle, ProgressReport.state).where(
                ProgressReport.unit_id == unit, ProgressReport.item_id.in_([i for i, _s in rows])
            )
        )
    }
    schedules: dict[int, list] = {}  # type: ignore[type-arg]
    for item_id, s in rows:
        all_cycles = schedules.setdefault(s.plan_id, cycles(s.cycle, s.due_day, s.starts_on, s.ends_on))
        for c in all_cycles:
            state = reports.get((item_id, c.index))
            if state == "returned":
                out.append(("report_returned", item_id, f"第 {c.index + 1} 期", c.due, "/my/report"))
            elif c.start <= today <= c.end and state not in ("submitted", "accepted"):
                out.append(("report_due", item_id, f"第 {c.index + 1} 期", c.due, "/my/report"))
    return out


def _office_side(
    session: Session, actor: Principal, days: int, today: date
) -> list[tuple[str, int, str, date | None, str]]:
    out: list[tuple[str, int, str, date | None, str]] = []
    names: dict[int, str] = {}
    if actor.org_id is not None:
        names = {
            i: n for i, n in session.execute(select(Unit.id, Unit.name).where(Unit.org_id == actor.org_id))
        }
    for req in session.scalars(
        select(DutyRequest)
        .join(WorkItem, DutyRequest.item_id == WorkItem.id)
        .where(DutyRequest.state == "pending", visible_items(actor))
    ):
        detail = f"{names.get(req.unit_id, '')} {REQUEST_KINDS.get(req.kind, '')}：{req.reason}".strip()
        due = add_working_days(local_date(req.asked_at, ZONE), days)
        out.append((f"decide_{req.kind}", req.item_id, detail, due, f"/items/{req.item_id}#request-{req.id}"))
    for duty, unit_name in session.execute(
        select(Duty, Unit.name)
        .join(WorkItem, Duty.item_id == WorkItem.id)
        .join(Unit, Unit.id == Duty.unit_id)
        .where(Duty.state == "to_sign", WorkItem.active.is_(True), visible_items(actor))
        .where(exists().where(Assignment.item_id == Duty.item_id, Assignment.unit_id == Duty.unit_id))
    ):
        due = sign_due(duty.received_at, days)
        if due < today:
            out.append(("sign_overdue", duty.item_id, unit_name, due, f"/items/{duty.item_id}#life"))
    for _report, item_id, unit_name, at in session.execute(
        select(ProgressReport.id, ProgressReport.item_id, Unit.name, ProgressReport.updated_at)
        .join(WorkItem, ProgressReport.item_id == WorkItem.id)
        .join(Unit, Unit.id == ProgressReport.unit_id)
        .where(ProgressReport.state == "submitted", visible_items(actor))
        .limit(500)
    ):
        due = add_working_days(local_date(at, ZONE), days)
        out.append(("review", item_id, unit_name, due, f"/items/{item_id}#reports"))
    for rect in session.scalars(
        select(Rectification)
        .join(WorkItem, Rectification.item_id == WorkItem.id)
        .where(Rectification.state == "submitted", visible_items(actor))
    ):
        due = add_working_days(local_date(rect.updated_at, ZONE), days)
        out.append(("sign_off", rect.item_id, rect.finding, due, f"/rectifications/{rect.id}"))
    for urge in session.scalars(
        select(Urge)
        .join(WorkItem, Urge.item_id == WorkItem.id)
        .where(
            Urge.state != "closed",
            or_(Urge.state == "answered", Urge.signed_at.is_(None)),
            visible_items(actor),
        )
    ):
        url = f"/items/{urge.item_id}#urges"
        if urge.state == "answered":
            due = add_working_days(local_date(urge.updated_at, ZONE), days)
            out.append(("urge_close", urge.item_id, urge.note, due, url))
        elif urge.signed_at is None and (due := sign_due(urge.issued_at, days)) < today:
            out.append(("urge_sign_overdue", urge.item_id, urge.note, due, url))
    return out


def _count_on_items(model: Any, *where: Any) -> Any:
    """How many rows of `model` (each of a work item, `item_id`) meet `where`, which may test the item."""
    return select(func.count()).select_from(model).join(WorkItem, model.item_id == WorkItem.id).where(*where)


def waiting_count(session: Session, actor: Principal) -> int:
    """The badge: things waiting for the actor's signature, answer or decision, in one statement
    (本期应报 is left to 我的任务; an overdue signing counts once it is past its limit on the page only)."""
    parts = []
    if actor.role == "reporter" and actor.unit_id is not None:
        unit = actor.unit_id
        on_task = exists().where(Assignment.item_id == WorkItem.id, Assignment.unit_id == unit)
        mine = and_(WorkItem.active.is_(True), visible_items(actor), on_task)
        parts += [
            waiting_count_query(actor, unit),
            _count_on_items(Duty, Duty.unit_id == unit, Duty.state == "to_sign", mine),
            _count_on_items(
                Urge, Urge.state == "open", or_(Urge.unit_id == unit, Urge.unit_id.is_(None)), mine
            ),
            select(func.count())
            .select_from(Rectification)
            .where(Rectification.unit_id == unit, Rectification.state == "open"),
            select(func.count())
            .select_from(ProgressReport)
            .where(ProgressReport.unit_id == unit, ProgressReport.state == "returned"),
        ]
    if actor.manages:
        scoped = visible_items(actor)
        parts += [
            _count_on_items(DutyRequest, DutyRequest.state == "pending", scoped),
            _count_on_items(ProgressReport, ProgressReport.state == "submitted", scoped),
            _count_on_items(Rectification, Rectification.state == "submitted", scoped),
            _count_on_items(Urge, Urge.state == "answered", scoped),
        ]
    if not parts:
        return 0
    total: Any = parts[0].scalar_subquery()
    for p in parts[1:]:
        total = total + p.scalar_subquery()
    return int(session.execute(select(total)).scalar_one())
