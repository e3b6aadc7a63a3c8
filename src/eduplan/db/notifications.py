"""Notifications: the in-app inbox of every user, and the runs of scheduled jobs.

`Notification.key` makes a notice unique per user (a reminder of one report slot, the digest of
one day): however often or wherever the reminder job runs, a user gets it once.  `JobRun` is the
claim of one run of a job (``remind`` for a day): the process whose insert wins does the run, so
several `eduplan serve` processes against one database send each reminder and digest once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base


class Notification(Base):
    """A notice in a user's inbox (提醒, 催办, 退回, 逾期汇总…)."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    item_id: Mapped[int | None]
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class JobRun(Base):
    """One run of a scheduled job, claimed by the process that inserted it first."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "run_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(100))
    run_key: Mapped[str] = mapped_column(String(100))
    claimed_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)
