"""Comments (评论) on a work item: a short text by a signed-in user, kept in the order written.

A comment belongs to its item (deleted with it).  Its author is kept by user name as well as by id,
so that a comment still says who wrote it after the account is gone (`user_id` then becomes NULL);
`unit_id` is the author's unit at the time of writing (a reporter's), shown beside the name.
Comments are not edited or deleted here: the audit log keeps each one as written.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base
from eduplan.db.work import ItemRow

MAX_COMMENT = 2000
"""Characters a comment may have."""


class Comment(ItemRow, Base):
    """One comment on a work item, by a user (and the unit it wrote for)."""

    __tablename__ = "comments"

    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
