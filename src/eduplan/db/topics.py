"""Topics (主题) of tasks and key projects as stored, and the corrections staff made to them.

`EntryTopic` rows hold the labels in force for one task or key project of one version, primary
first (`rank` 0): the classifier's, written at import, or a member of staff's (`corrected`), which
win.  `TopicCorrection` is the history of corrections, never changed: who, when, the topics before
and after.  A task's correction names its tracked task (台账条目), so a new version of the plan
picks it up for the task that continues it; a key project's names its 专栏 and title, as
`eduplan.topics.corrections` matches them.  `ordinal` places a row's entry in its version (the
task's position, or the project's among all projects of the version in box order), so a plan is
relabelled from these rows without joining tasks or projects.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base


class EntryTopic(Base):
    """One topic of one task (`task_id`) or key project (`project_id`) of a plan version."""

    __tablename__ = "entry_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    ordinal: Mapped[int]
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int]
    topic: Mapped[str] = mapped_column(String(40), index=True)
    score: Mapped[float]
    evidence: Mapped[list[str]] = mapped_column(JSON)
    corrected: Mapped[bool]


class TopicCorrection(Base):
    """A correction of an entry's topics by staff (人工校正): the topics before and after, by whom."""

    __tablename__ = "topic_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    tracked_id: Mapped[int | None] = mapped_column(
        ForeignKey("tracked_tasks.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    section: Mapped[str] = mapped_column(String(40))
    number: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    before: Mapped[list[str]] = mapped_column(JSON)
    after: Mapped[list[str]] = mapped_column(JSON)
    user_id: Mapped[int | None]
    username: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime]
