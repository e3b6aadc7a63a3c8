"""What is written on a task (a comment, a 批示): its text's check, and the notice of it — to the inbox
of the reporters of the units concerned and of the office staff of the task's organisation, never to
its own author."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.accounts import User
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import Invalid
from eduplan.services.tracking.items import latest_tasks


def written_text(body: str, what: str, most: int) -> str:
    """`body` trimmed, or `Invalid` when empty or over `most` characters (`what`: 评论, 批示)."""
    text = body.strip()
    if not text:
        raise Invalid(f"请填写{what}内容")
    if len(text) > most:
        raise Invalid(f"{what}不能超过 {most} 个字符（现有 {len(text)} 个）")
    return text


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
