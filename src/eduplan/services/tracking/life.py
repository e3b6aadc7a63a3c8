"""The task's life as read (issue 14): each unit's part of a work item (承办) — signed or waiting
(签收, with its limit), refused, closing, closed — and the history of the units' requests (退回,
延期, 办结) with the office's decisions.

The signing limit is counted in working days (Monday to Friday; public holidays are not known)
from the day the unit received the task, `Settings.sign_working_days` (default 2).  A task is
办结 when every unit on it is, and every task handed down from it (`levels.closed_family`).  Reporters see their own unit's part and requests only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.engine import SessionFactory
from eduplan.db.life import Duty, DutyRequest
from eduplan.db.orgs import Unit
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.clock import local_date
from eduplan.services.errors import NotFound
from eduplan.services.tracking.levels import closed_family
from eduplan.services.tracking.scope import item_for
from eduplan.services.view_rows import from_row

ZONE = "Asia/Shanghai"
DUTY_STATES = {
    "to_sign": "待签收",
    "signed": "已签收",
    "refused": "已退回待处理",
    "closing": "办结待审核",
    "closed": "已办结",
    "transferred": "已转办",
}
REQUEST_KINDS = {"refuse": "退回（不属于本单位职责）", "extend": "延期申请", "close": "办结申请"}
REQUEST_STATES = {
    "pending": "待处理",
    "approved": "已同意",
    "refused": "未同意",
    "reassigned": "已转办",
    "insisted": "维持交办",
    "returned": "已退回",
}


def add_working_days(day: date, days: int) -> date:
    """`days` working days (Mon–Fri) after `day`."""
    out = day
    while days > 0:
        out += timedelta(days=1)
        if out.weekday() < 5:
            days -= 1
    return out


def sign_due(received_at: datetime, days: int) -> date:
    """The last day to sign for a task received at `received_at`."""
    return add_working_days(local_date(received_at, ZONE), days)


@dataclass(kw_only=True)
class DutyView:
    """One unit's part of a task: where it stands, its signing and its own deadline."""

    id: int
    item_id: int
    unit_id: int
    unit_name: str
    state: str
    state_label: str
    received_at: datetime
    sign_due: date
    sign_overdue: bool
    signed_by: str | None
    signed_at: datetime | None
    deadline: date | None
    closing_note: str | None
    version: int


@dataclass(kw_only=True)
class RequestView:
    """A unit's request (退回, 延期, 办结) and the office's decision."""

    id: int
    duty_id: int
    item_id: int
    unit_id: int
    unit_name: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    reason: str
    new_deadline: date | None
    proposed_unit_id: int | None
    proposed_unit_name: str | None
    asked_by: str
    asked_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None


@dataclass(kw_only=True)
class TaskLife:
    """The life of one task as the actor may see it."""

    duties: list[DutyView] = field(default_factory=list)
    requests: list[RequestView] = field(default_factory=list)
    closed: bool = False
    """办结: every unit on the task has closed its part, and every task handed down from it is 办结."""
    unsigned_overdue: int = 0
    mine: DutyView | None = None
    """The reporter's own unit's part (None for everyone else)."""


def duty_view(d: Duty, unit_name: str, days: int, today: date) -> DutyView:
    due = sign_due(d.received_at, days)
    return from_row(
        DutyView,
        d,
        unit_name=unit_name,
        state_label=DUTY_STATES.get(d.state, d.state),
        sign_due=due,
        sign_overdue=d.state == "to_sign" and today > due,
    )


def request_view(r: DutyRequest, names: dict[int, str]) -> RequestView:
    return from_row(
        RequestView,
        r,
        unit_name=names.get(r.unit_id, ""),
        kind_label=REQUEST_KINDS.get(r.kind, r.kind),
        state_label=REQUEST_STATES.get(r.state, r.state),
        proposed_unit_name=names.get(r.proposed_unit_id) if r.proposed_unit_id else None,
    )


def life_in(session: Session, actor: Principal, item_id: int, days: int, today: date) -> TaskLife:
    """The duties of the units now on the task and every request made on it (one or two queries)."""
    item = item_for(session, actor, item_id)
    only = actor.unit_id if actor.role == "reporter" else None
    # the parts of the units of the task and of every task handed down from it (办结 flows up)
    family = session.execute(
        select(WorkItem.id, WorkItem.parent_id, Duty, Unit.name)
        .outerjoin(Duty, Duty.item_id == WorkItem.id)
        .outerjoin(Unit, Duty.unit_id == Unit.id)
        .where(WorkItem.tracked_id == item.tracked_id)
        .order_by(WorkItem.id, Duty.id)
    ).all()
    rows = [(d, n) for i, _p, d, n in family if i == item.id and d is not None]
    names = {d.unit_id: n for d, n in rows}
    assigned = {a.unit_id for a in item.assignments if a.unit_id is not None and a.state == "assigned"}
    current = [d for d, _n in rows if d.unit_id in assigned]
    parents = {i: p for i, p, _d, _n in family}
    states: dict[int, list[str]] = {item.id: [d.state for d in current]}
    for i, _p, d, _n in family:
        if i != item.id and d is not None:
            states.setdefault(i, []).append(d.state)
    duties = [duty_view(d, names[d.unit_id], days, today) for d in current if only in (None, d.unit_id)]
    requests = session.scalars(
        select(DutyRequest).where(DutyRequest.item_id == item.id).order_by(DutyRequest.id)
    ).all()
    wanted = {r.proposed_unit_id for r in requests if r.proposed_unit_id and r.proposed_unit_id not in names}
    if wanted:
        names |= dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted))).all())  # type: ignore[arg-type]
    shown = [request_view(r, names) for r in requests if only in (None, r.unit_id)]
    return TaskLife(
        duties=duties,
        requests=shown,
        closed=closed_family(item.id, parents, states),
        unsigned_overdue=sum(d.sign_overdue for d in duties),
        mine=next((d for d in duties if d.unit_id == only), None),
    )


def duty_for(session: Session, actor: Principal, item_id: int, unit_id: int) -> Duty:
    """A unit's part of a task the actor may read, else `NotFound`."""
    item = item_for(session, actor, item_id)
    duty = session.scalars(select(Duty).where(Duty.item_id == item.id, Duty.unit_id == unit_id)).first()
    if duty is None or (actor.role == "reporter" and actor.unit_id != unit_id):
        raise NotFound(f"本单位没有承办任务 {item_id}")
    return duty


def request_for(session: Session, actor: Principal, request_id: int) -> DutyRequest:
    """A request the actor may read, else `NotFound`."""
    found = session.get(DutyRequest, request_id)
    if found is None or (actor.role == "reporter" and actor.unit_id != found.unit_id):
        raise NotFound(f"找不到申请 {request_id}")
    item_for(session, actor, found.item_id)
    return found


def request_item(sessions: SessionFactory, actor: Principal, request_id: int) -> int:
    """The task a request the actor may read belongs to (`NotFound` otherwise)."""
    with sessions() as session:
        return request_for(session, actor, request_id).item_id
