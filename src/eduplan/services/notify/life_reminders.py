"""The task's life reminders (issue 14), a daily job beside `reminders` (run by the scheduler of
`eduplan serve` and by `eduplan remind`):

- 签收逾期: each unit that has not signed for its part of a task by the signing limit
  (`Settings.sign_working_days` working days after it received it) gets an inbox notice (站内消息,
  and e-mail where an address is known) — one per task per day until it signs or refuses;
- 待处理: the office staff of a task's organisation get one notice per task per day listing what waits
  for them there — units' signings overdue and pending 延期申请, 办结申请 and 退回 (不属于本单位职责).

Archived plans and deleted tasks are left alone.  Once per task per day, however often and by however
many processes it runs (the scheduler ticks every `scheduler_minutes`): each notice's key names the
task, the unit and the day, and the inbox keeps one notice per user and key (`inbox.deliver`, INSERT …
ON CONFLICT DO NOTHING), so a second run the same day notifies — and e-mails — nobody again.  No
`JobRun` claim is needed for that; the run is two reads when nothing is late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.db.life import Duty, DutyRequest
from eduplan.db.orgs import Unit
from eduplan.db.work import Assignment, WorkItem
from eduplan.labels import zh_date
from eduplan.services.archive import archived_plans
from eduplan.services.notify.inbox import Notice, deliver, reporters_of
from eduplan.services.notify.sender import send_due
from eduplan.services.tracking.items import latest_tasks
from eduplan.services.tracking.life import REQUEST_KINDS, sign_due

REQUEST_WORDS = {"refuse": "退回（不属于本单位职责）", "extend": "延期申请", "close": "办结申请"}


@dataclass
class LifeRunResult:
    """What a run did: the notices that were new (0 when the day's were all sent already)."""

    run_key: str
    notices: int = 0


@dataclass
class _Waiting:
    """What waits on one task: units past the signing limit, requests to decide."""

    org_id: int
    tracked_id: int
    unsigned: list[tuple[int, str, date]]
    requests: list[str]


def _waiting(session: Session, days: int, today: date) -> dict[int, _Waiting]:
    """Per task: the units whose signing is past its limit and the pending requests (two statements)."""
    found: dict[int, _Waiting] = {}
    open_items = WorkItem.active.is_(True) & WorkItem.plan_id.not_in(archived_plans())
    on_task = exists().where(
        Assignment.item_id == Duty.item_id, Assignment.unit_id == Duty.unit_id, Assignment.state == "assigned"
    )
    # the limit is at least `days` calendar days after the (local) day received: only older ones can
    # be past it, each then checked exactly
    cutoff = datetime.combine(today - timedelta(days=days), time.min, tzinfo=UTC)
    rows = session.execute(
        select(Duty, Unit.name, WorkItem.org_id, WorkItem.tracked_id)
        .join(WorkItem, WorkItem.id == Duty.item_id)
        .join(Unit, Unit.id == Duty.unit_id)
        .where(Duty.state == "to_sign", Duty.received_at < cutoff, open_items, on_task)
        .order_by(Duty.item_id, Duty.id)
    )
    for duty, unit_name, org_id, tracked_id in rows:
        due = sign_due(duty.received_at, days)
        if due < today:
            entry = found.setdefault(duty.item_id, _Waiting(org_id, tracked_id, [], []))
            entry.unsigned.append((duty.unit_id, unit_name, due))
    requests = session.execute(
        select(DutyRequest, Unit.name, WorkItem.org_id, WorkItem.tracked_id)
        .join(WorkItem, WorkItem.id == DutyRequest.item_id)
        .join(Unit, Unit.id == DutyRequest.unit_id)
        .where(DutyRequest.state == "pending", open_items)
        .order_by(DutyRequest.item_id, DutyRequest.id)
    )
    for req, unit_name, org_id, tracked_id in requests:
        entry = found.setdefault(req.item_id, _Waiting(org_id, tracked_id, [], []))
        words = REQUEST_WORDS.get(req.kind) or REQUEST_KINDS.get(req.kind, req.kind)
        entry.requests.append(f"{words}：{unit_name}（{zh_date(req.asked_at)} 提出）")
    return found


def life_reminders_in(session: Session, days: int, today: date) -> int:
    """Send the day's 签收逾期 and 待处理 notices in the caller's transaction; how many were new."""
    waiting = _waiting(session, days, today)
    if not waiting:
        return 0
    texts = latest_tasks(session, {w.tracked_id for w in waiting.values()})
    orgs = {w.org_id for w in waiting.values()}
    office: dict[int | None, list[int]] = {}
    for user_id, org_id in session.execute(
        select(User.id, User.org_id).where(
            User.org_id.in_(orgs), User.role == "office", User.active.is_(True)
        )
    ):
        office.setdefault(org_id, []).append(user_id)
    count = 0
    for item_id, w in sorted(waiting.items()):
        t = texts.get(w.tracked_id)
        name = f"第 {t.number} 项“{t.title}”" if t else f"任务 {item_id}"
        path = f"/items/{item_id}#life"
        for unit_id, _unit_name, due in w.unsigned:
            title = f"签收逾期：{name}，签收时限 {zh_date(due)}，请尽快签收或退回"
            users = reporters_of(session, [unit_id])
            key = f"sign_overdue:{item_id}:{unit_id}:{today.isoformat()}"
            count += len(deliver(session, users, Notice(key, "sign_overdue", title, title, item_id, path)))
        lines = [f"签收逾期：{u}（时限 {zh_date(due)}）" for _u, u, due in w.unsigned] + w.requests
        title = f"{name}有 {len(lines)} 项待处理"
        body = f"{title}：\n" + "\n".join(lines)
        key = f"life_office:{item_id}:{today.isoformat()}"
        users = office.get(w.org_id, [])
        count += len(deliver(session, users, Notice(key, "life_office", title, body, item_id, path)))
    return count


def run_life_reminders(sessions: SessionFactory, settings: Settings, today: date) -> LifeRunResult:
    """The day's 签收逾期 and 待处理 reminders, each once (see the module's docstring)."""
    with sessions.begin() as session:
        notices = life_reminders_in(session, settings.sign_working_days, today)
    if notices:
        send_due(sessions, settings)  # their e-mails; failures are retried by the background sender
    return LifeRunResult(today.isoformat(), notices)
