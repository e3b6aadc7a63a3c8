"""Comments (评论) on a work item: anyone who may read the item may read its comments and, except
viewers (只读用户), write one; a unit reporter reads and writes only on its own unit's items (the
item's scope, `scope.item_for`, answers anything else as not found).

A comment is 1–2000 characters (after trimming), recorded in the audit log, and announced in the
inbox of the item's assigned units' reporters and of its organisation's office staff (not its
author).  Comments are kept as written: there is no editing or deleting them here.
"""

from __future__ import annotations

from eduplan.db.comments import MAX_COMMENT, Comment
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Forbidden
from eduplan.services.loop.notices import headline, recipients, written_text
from eduplan.services.tracking.comments import CommentView, comment_views
from eduplan.services.tracking.scope import item_for


def add_comment(sessions: SessionFactory, actor: Principal, item_id: int, body: str) -> CommentView:
    """Comment on an item the actor may read (not as a viewer); audited, announced in the inbox."""
    from eduplan.services.notify.inbox import Notice, deliver

    text = written_text(body, "评论", MAX_COMMENT)
    with sessions.begin() as session:
        item = item_for(session, actor, item_id)
        if actor.role == "viewer":
            raise Forbidden("只读用户不能发表评论")
        unit_id = actor.unit_id if actor.role == "reporter" else None
        comment = Comment(
            item_id=item.id,
            user_id=actor.user_id,
            username=actor.username,
            role=actor.role,
            unit_id=unit_id,
            body=text,
            created_at=utcnow(),
        )
        session.add(comment)
        session.flush()
        record(session, actor, "comment", "comment", comment.id, item.id, item.org_id, None, {"body": text})
        units = [a.unit_id for a in item.assignments if a.unit_id is not None and a.state == "assigned"]
        title = headline(session, item, f"{actor.username} 评论了", text)
        users = recipients(session, actor, item, units)
        deliver(session, users, Notice(f"comment:{comment.id}", "comment", title, text, item.id))
        return comment_views(session, item.id, comment.id)[0]
