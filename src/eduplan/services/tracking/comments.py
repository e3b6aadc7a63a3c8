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
from eduplan.services.tracking.scope import item_for
from eduplan.services.view_rows import from_row


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
        from_row(CommentView, c, display_name=shown or c.username, unit_name=unit)
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
