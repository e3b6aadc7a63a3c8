"""Where a work item comes from (任务出处): its plan, chapter and the paragraph of the source document
the task was parsed from, for the task page's breadcrumbs and "原文" box.

The registry keeps, for every task, the line (1-based) of the normalized source lines where its
paragraph starts; the paragraph runs to the line before the next task or chapter of the same
version (at most `MAX_LINES` lines).  The newest version's task is shown, like `items`.
Also here: which item an evidence file belongs to, so a download URL under one task cannot serve
another task's file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Chapter, Plan, PlanVersion, SourceDocument
from eduplan.db.reports import EvidenceFile, ProgressReport
from eduplan.db.supervision import Rectification
from eduplan.db.tasks import Task
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking.scope import item_for

MAX_LINES = 20


@dataclass(kw_only=True)
class ItemSource:
    """The plan and chapter of a work item's task, and its source paragraph."""

    plan_id: int
    plan_title: str
    version: int
    chapter_number: str
    chapter_title: str
    filename: str
    line: int | None
    paragraph: list[str] = field(default_factory=list)


def item_source(sessions: SessionFactory, actor: Principal, item_id: int) -> ItemSource:
    """The source of an item the actor may read (`NotFound` otherwise)."""
    with sessions() as session:
        return source_in(session, actor, item_id)


def evidence_item(sessions: SessionFactory, evidence_id: int) -> int | None:
    """The work item an evidence file belongs to (through its report or rectification)."""
    with sessions() as session:
        by_report = session.scalar(
            select(ProgressReport.item_id)
            .join(EvidenceFile, EvidenceFile.report_id == ProgressReport.id)
            .where(EvidenceFile.id == evidence_id)
        )
        if by_report is not None:
            return int(by_report)
        by_fix = session.scalar(
            select(Rectification.item_id)
            .join(EvidenceFile, EvidenceFile.rectification_id == Rectification.id)
            .where(EvidenceFile.id == evidence_id)
        )
        return int(by_fix) if by_fix is not None else None


def source_in(session: Session, actor: Principal, item_id: int) -> ItemSource:
    """`item_source` inside a session the caller holds (a page reads in one)."""
    item = item_for(session, actor, item_id)
    row = session.execute(
        select(Task.line, Task.version_id, Chapter.number, Chapter.title, PlanVersion.number)
        .join(PlanVersion, Task.version_id == PlanVersion.id)
        .join(Chapter, Task.chapter_id == Chapter.id)
        .where(Task.tracked_id == item.tracked_id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    ).first()
    plan = session.get(Plan, item.plan_id)
    title = plan.title if plan else ""
    if row is None:
        return ItemSource(
            plan_id=item.plan_id,
            plan_title=title,
            version=0,
            chapter_number="",
            chapter_title="",
            filename="",
            line=None,
        )
    line, version_id, chapter_number, chapter_title, number = row
    doc = session.execute(
        select(SourceDocument.filename, SourceDocument.lines)
        .join(PlanVersion, PlanVersion.document_id == SourceDocument.id)
        .where(PlanVersion.id == version_id)
    ).first()
    paragraph: list[str] = []
    if line is not None and doc is not None:
        following = [
            session.scalar(select(func.min(col.line)).where(col.version_id == version_id, col.line > line))
            for col in (Task, Chapter)
        ]
        end = min([n for n in following if n is not None] + [line + MAX_LINES])
        paragraph = [t for t in doc.lines[line - 1 : end - 1] if t.strip()]
    return ItemSource(
        plan_id=item.plan_id,
        plan_title=title,
        version=number,
        chapter_number=chapter_number,
        chapter_title=chapter_title,
        filename=doc.filename if doc else "",
        line=line,
        paragraph=paragraph,
    )
