"""Notices of what was written on a task (a comment, a 批示): to the inbox of the reporters of the
units concerned and of the office staff of the task's organisation, never to its own author."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.accounts import User
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking.items import latest_tasks


def recipients(session: Session, actor: Principal, item: WorkItem, units: list[int]) -> list[int]:
    """The reporters of `units` and the office staff of the item's organisation, but the actor."""
    from eduplan.services.notify.inbox import reporters_of

    office = session.scalars(
        select(User.id).where(User.org_id == item.org_id, User.role == "office", User.active.is_(True))
    ).all()
    users = reporters_of(session, units) + list(office)
    return [u for u in users if u != actor.user_id]


def headline(session: Session, item: WorkItem, what: str, text: str) -> str:
    """A notice's title: `what` was done (王局长 批示) on the task, and how `text` begins."""
    task = latest_tasks(session, {item.tracked_id}).get(item.tracked_id)
    name = f"第 {task.number} 项“{task.title}”" if task is not None else f"任务 {item.id}"
    excerpt = text if len(text) <= 60 else text[:60] + "…"
    return f"{what}{name}：{excerpt}"
