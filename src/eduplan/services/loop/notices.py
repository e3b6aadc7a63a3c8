"""Notices of what was written on a task (a comment, a 批示): to the inbox of the reporters of the
units concerned and of the office staff of the task's organisation, never to its own author."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.accounts import User
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking.items import latest_tasks


def announce(
    session: Session,
    actor: Principal,
    item: WorkItem,
    units: list[int],
    note: tuple[str, int],
    author: str,
    verb: str,
    text: str,
    body: str | None = None,
    path: str | None = None,
) -> str:
    """Notify `units`' reporters and the office of `item` that `author` `verb` (评论了, 批示) the task,
    the title quoting the start of `text` (the notice says `body`, by default `text`).  `note`: the
    kind of notice and the id of what was written (one notice each).  The notice's title."""
    from eduplan.services.notify.inbox import deliver, reporters_of

    office = session.scalars(
        select(User.id).where(User.org_id == item.org_id, User.role == "office", User.active.is_(True))
    ).all()
    users = [r.user_id for r in reporters_of(session, units)] + list(office)
    users = [u for u in users if u != actor.user_id]
    task = latest_tasks(session, {item.tracked_id}).get(item.tracked_id)
    name = f"第 {task.number} 项“{task.title}”" if task is not None else f"任务 {item.id}"
    excerpt = text if len(text) <= 60 else text[:60] + "…"
    kind, written_id = note
    title = f"{author} {verb}{name}：{excerpt}"
    deliver(
        session, users, f"{kind}:{written_id}", kind, title, text if body is None else body, item.id, path
    )
