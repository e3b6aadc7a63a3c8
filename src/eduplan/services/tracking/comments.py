"""Reading the comments (评论) on a work item: anyone who may read the item may read its comments.
Writing one is `loop.comments`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.accounts import User
from eduplan.db.comments import Comment
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.services.accounts.principal import Principal
from eduplan.services.clock import as_utc
from eduplan.services.tracking.scope import item_for


@dataclass(kw_only=True)
class CommentView:
    """A comment as the page and the API show it (`unit_name`: the author's unit, for a reporter)."""

    id: int
    item_id: int
    username: str
    display_name: str
    role: str
    unit_id: int | None
    unit_name: str | None
    body: str
    created_at: datetime


def comment_views(session: Session, item_id: int, comment_id: int | None = None) -> list[CommentView]:
    query = (
        select(Comment, User.display_name, Unit.name)
        .outerjoin(User, User.id == Comment.user_id)
        .outerjoin(Unit, Unit.id == Comment.unit_id)
        .where(Comment.item_id == item_id)
        .order_by(Comment.created_at, Comment.id)
    )
    if comment_id is not None:
        query = query.where(Comment.id == comment_id)
    return [
        CommentView(
            id=c.id,
            item_id=c.item_id,
            username=c.username,
            display_name=shown or c.username,
            role=c.role,
            unit_id=c.unit_id,
            unit_name=unit,
            body=c.body,
            created_at=as_utc(c.created_at),
        )
        for c, shown, unit in session.execute(query)
    ]


def list_comments(sessions: SessionFactory, actor: Principal, item_id: int) -> list[CommentView]:
    """The comments on an item the actor may read, oldest first."""
    with sessions() as session:
        return comments_in(session, actor, item_id)


def comments_in(session: Session, actor: Principal, item_id: int) -> list[CommentView]:
    """`list_comments` inside a session the caller holds (a page reads in one)."""
    item_for(session, actor, item_id)
    return comment_views(session, item_id)
