"""The reminder job (`eduplan remind`, and the scheduler of `eduplan serve`): once a day, per plan
open for reporting —

- 报送提醒: each unit with a report slot due within `remind_days_before` days and nothing filed
  gets one notice per cycle listing its tasks;
- 时限提醒: the units of a task whose deadline falls within those days, not done, get a notice;
- 逾期汇总: the office staff and leaders of the plan's organisation get the day's digest of what
  is overdue (tasks past their deadline, reports missing for the latest due cycle, urges and
  rectifications past their dates), and each configured webhook gets it once.

The run also turns the 催办 left unanswered past their date into 督办 (`escalate_overdue`,
acting as the system), so escalation happens without anyone pressing a button.

Exactly once: a run is claimed by inserting its `JobRun` (job, day) in the same transaction that
writes its notices and escalations.  A second process, or a second run the same day, finds the
claim and does nothing (on PostgreSQL its insert waits for a claim still in flight, then fails; on
SQLite the write lock orders them).  A run that fails or is killed before committing leaves no
claim, so the next tick or cron run does the day's work.  Notices are also unique per user and
key, so nobody is notified twice; e-mail goes to the users newly notified.  E-mails, the digests to
the organisation's group robots (or, for an organisation without robots, to the global
``EDUPLAN_WEBHOOK_URLS``) and the ``deadline.passed`` webhook events are queued in the run's
transaction (`outbox`) and sent right after it commits, failures retried by the background sender
(`sender`).  A day with nothing due and nothing overdue sends nothing at all.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.notifications import JobRun
from eduplan.db.outbound import OrgRobot
from eduplan.db.plans import Plan
from eduplan.db.work import ReportingSchedule
from eduplan.services.accounts.principal import Principal
from eduplan.services.archive import archived_plans
from eduplan.services.clock import utcnow
from eduplan.services.loop.supervision import escalate_in
from eduplan.services.notify.inbox import Notice, deliver, reporters_of, staff_of
from eduplan.services.notify.outbox import queue
from eduplan.services.notify.sender import send_due
from eduplan.services.notify.webhooks import emit
from eduplan.services.tracking.facts import PlanFacts, load_facts
from eduplan.services.tracking.schedule import due_cycles

JOB = "remind"


@dataclass
class RunResult:
    """What a run did; `claimed` is False when another process (or run) had the day already."""

    claimed: bool
    run_key: str
    notices: int = 0
    escalated: list[int] = field(default_factory=list)
    emails: int = 0
    webhooks: int = 0
    errors: list[str] = field(default_factory=list)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _Taken(Exception):
    """The day's run was claimed by another process or an earlier run."""


def claim(session: Session, job: str, run_key: str, worker: str) -> int:
    """Claim a run in the caller's transaction; `_Taken` when it was claimed before (by anyone)."""
    row = JobRun(job=job, run_key=run_key, claimed_by=worker, started_at=utcnow())
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise _Taken from None
    return row.id


def _digest_to_robots(session: Session, settings: Settings, plan: Plan, key: str, text: str) -> None:
    """The digest to the plan's organisation's active robots, or else to the global list."""
    robots = session.scalars(
        select(OrgRobot.id).where(OrgRobot.org_id == plan.org_id, OrgRobot.active.is_(True))
    ).all()
    destinations = [f"robot:{r}" for r in robots] or [f"url:{u}" for u in settings.webhook_urls]
    message = {"text": text, "path": f"/plans/{plan.id}"}
    for destination in destinations:
        queue(session, "robot", destination, "digest", message, plan.org_id, key)


def _done(f: PlanFacts, item_id: int) -> bool:
    units = f.units.get(item_id, [])
    return bool(units) and all(
        (item_id, u) in f.latest and f.latest[(item_id, u)].progress == "done" for u in units
    )


def _plan_notices(session: Session, settings: Settings, plan: Plan, today: date) -> int:
    f = load_facts(session, Principal.system(), plan.id, today)
    horizon = today + timedelta(days=settings.remind_days_before)
    titles = {i.id: f.texts[i.tracked_id] for i in f.items if i.tracked_id in f.texts}
    count = 0
    for c in (c for c in f.cycles if today <= c.due <= horizon):
        pending: dict[int, list[int]] = {}
        for item in f.items:
            for unit in f.units.get(item.id, []):
                if (item.id, unit, c.index) not in f.filed:
                    pending.setdefault(unit, []).append(item.id)
        for unit, items in pending.items():
            lines = [f"{titles[i].number}. {titles[i].title}" for i in items if i in titles]
            title = f"《{plan.title}》第 {c.index + 1} 期进展报告 {c.due:%m月%d日} 截止"
            body = f"{title}，以下任务尚未报送：\n" + "\n".join(lines)
            users = reporters_of(session, [unit])
            key = f"due:{plan.id}:{c.index}:{unit}"
            count += len(deliver(session, users, Notice(key, "due", title, body, path="/my/report")))
    overdue: list[str] = []
    for item in f.items:
        task = titles.get(item.id)
        name = f"{task.number}. {task.title}" if task else f"任务 {item.id}"
        if item.deadline is not None and not _done(f, item.id):
            if today <= item.deadline <= horizon:
                title = f"任务“{name}”将于 {item.deadline:%m月%d日} 到期"
                users = reporters_of(session, f.units.get(item.id, []))
                key = f"deadline:{item.id}:{item.deadline}"
                count += len(deliver(session, users, Notice(key, "deadline", title, title, item.id)))
            elif item.deadline < today:
                overdue.append(f"逾期未完成：{name}（时限 {item.deadline}）")
                passed = {
                    "org_id": plan.org_id,
                    "plan_id": plan.id,
                    "item_id": item.id,
                    "task": name,
                    "deadline": item.deadline.isoformat(),
                }
                emit(session, "deadline.passed", passed, f"deadline.passed:{item.id}:{item.deadline}")
        _red, late_answer, late_fixes = f.flags.get(item.id, (False, False, 0))
        if late_answer:
            overdue.append(f"督办逾期未答复：{name}")
        if late_fixes:
            overdue.append(f"整改逾期未销号 {late_fixes} 项：{name}")
    due = due_cycles(f.cycles, today)
    if due:
        last = due[-1].index
        missing = sorted(
            {
                f.unit_names.get(u, str(u))
                for i in f.items
                for u in f.units.get(i.id, [])
                if (i.id, u, last) not in f.filed
            }
        )
        if missing:
            overdue.append(f"第 {last + 1} 期未报送单位：{'、'.join(missing)}")
    if overdue:
        title = f"《{plan.title}》逾期汇总（{today}）"
        body = f"{title}\n" + "\n".join(overdue)
        key = f"digest:{plan.id}:{today}"
        staff = staff_of(session, plan.org_id)
        count += len(deliver(session, staff, Notice(key, "digest", title, body, None, f"/plans/{plan.id}")))
        _digest_to_robots(session, settings, plan, key, body)
    return count


def run_reminders(
    sessions: SessionFactory, settings: Settings, today: date, worker: str | None = None
) -> RunResult:
    """The day's reminders and digests, once whatever runs them (see the module's docstring)."""
    run_key = today.isoformat()
    result = RunResult(True, run_key)
    try:
        with sessions.begin() as session:
            claimed = claim(session, JOB, run_key, worker or worker_name())
            plans = session.scalars(
                select(Plan)
                .join(ReportingSchedule, ReportingSchedule.plan_id == Plan.id)
                .where(Plan.id.not_in(archived_plans()))  # a closed year is left alone
                .order_by(Plan.id)
            ).all()
            for plan in plans:
                result.notices += _plan_notices(session, settings, plan, today)
            # after the digest, which still lists them as unanswered past their date
            result.escalated = escalate_in(session, Principal.system(), today)
    except _Taken:
        return RunResult(False, run_key)
    sent = send_due(sessions, settings)  # what fails here is retried by the background sender
    result.emails, result.webhooks = sent.count("email"), sent.count("robot")
    result.errors = [e.replace("email ", "e-mail ", 1) for e in sent.errors]
    outcome = (
        f"notices {result.notices}, escalated {len(result.escalated)}, e-mails {result.emails}, "
        f"webhooks {result.webhooks}, errors {len(result.errors)}"
    )
    with sessions.begin() as session:
        session.execute(
            update(JobRun).where(JobRun.id == claimed).values(finished_at=utcnow(), outcome=outcome)
        )
    return result
