"""The plan page's data (`/plans/{id}`): the version's outline as the document reads, each task with
its work item (link to /items/{id}), its light (红黄绿灯, when the plan is opened for reporting),
its topics (the stored ones, corrections included; else the parser's), how it changed since the
previous version; the versions; and the filters by unit, light, chapter and topic.

Reads a constant number of queries: the version's stored Plan JSON (one row) rather than its task
rows, one query each for task ids, topics, work items and the removed tasks, plus the status of
the loop (`plan_status`) when the plan is open.  Filtering happens on the outline in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan, PlanVersion, SourceDocument
from eduplan.db.tasks import Task
from eduplan.db.work import ReportingSchedule, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import NotFound
from eduplan.services.pages.plan_outline import Outline, outline
from eduplan.services.pages.plans import PlanHead, plan_head
from eduplan.services.registry.rebuild import stored_plans
from eduplan.services.registry.visibility import followed_plans, readable_plans, reads_sources
from eduplan.services.tracking.scope import visible_items
from eduplan.services.view_rows import from_row
from eduplan.topics import topic_name

LIGHTS = ("green", "amber", "red", "none")


@dataclass(kw_only=True)
class DetailFilter:
    unit: str = ""
    status: str = ""
    chapter: str = ""
    topic: str = ""

    @property
    def active(self) -> bool:
        return bool(self.unit or self.status or self.chapter or self.topic)


@dataclass(kw_only=True)
class VersionLine:
    number: int
    title: str
    imported_at: datetime
    filename: str
    doc_number: str | None
    issued_on: date | None
    warnings: int


@dataclass(kw_only=True)
class RemovedTask:
    number: str
    title: str


@dataclass(kw_only=True)
class PlanPage(PlanHead):
    version: int
    latest_version: int
    outline: Outline
    versions: list[VersionLine]
    changes: dict[str, int]
    removed: list[RemovedTask]
    opened: bool
    cycle: str | None
    due_day: int | None
    counts: dict[str, int]
    filters: DetailFilter
    units: list[str]
    chapters: list[tuple[str, str]]
    topics: list[tuple[str, str]]
    shown: int
    can_manage: bool
    to_be_specified: int = 0
    notes: list[str] = field(default_factory=list)
    follows: bool = True
    """Whether the user follows the plan's implementation (`visibility.followed_plans`): otherwise
    the page is the published document only, without lights, items, reporting or internal links."""
    sources: bool = True
    """Whether the user may download the original files (`visibility.reads_sources`)."""
    archived: str | None = None
    """How the plan's year was archived (只读), when it was (`services.archive`)."""


def _readable(s: Session, actor: Principal, plan_id: int) -> tuple[Plan, str, str, bool]:
    """The plan (any published one: `visibility.readable_plans`), its organisation's name and path,
    and whether the actor follows its implementation."""
    row = s.execute(
        select(Plan, Organisation.name, Organisation.path, followed_plans(actor).label("follows"))
        .join(Organisation, Plan.org_id == Organisation.id)
        .where(Plan.id == plan_id, readable_plans(actor))
    ).first()
    if row is None:
        raise NotFound(f"找不到计划 {plan_id}")
    return row[0], row[1], row[2], bool(row[3])


def plan_page(
    sessions: SessionFactory,
    settings: Settings,
    actor: Principal,
    plan_id: int,
    today: date,
    f: DetailFilter,
    version: int | None = None,
) -> PlanPage:
    """The page of a plan the actor may see (`NotFound` otherwise), its tasks filtered by `f`."""
    from eduplan.services.registry.topics import stored_labels
    from eduplan.services.tracking.status import plan_status

    with sessions() as s:
        plan, org_name, org_path, follows = _readable(s, actor, plan_id)
        versions = s.execute(
            select(
                PlanVersion.id,
                PlanVersion.number,
                PlanVersion.title,
                PlanVersion.imported_at,
                SourceDocument.filename,
                PlanVersion.doc_number,
                PlanVersion.issued_on,
                PlanVersion.warnings,
            )
            .join(SourceDocument, PlanVersion.document_id == SourceDocument.id)
            .where(PlanVersion.plan_id == plan.id)
            .order_by(PlanVersion.number)
        ).all()
        if not versions:
            raise NotFound(f"计划 {plan_id} 没有版本")
        chosen = next((v for v in versions if v.number == version), None) if version else versions[-1]
        if chosen is None:
            raise NotFound(f"找不到计划 {plan_id} 的第 {version} 版")
        document = stored_plans(s, [chosen.id])[chosen.id]
        tasks = s.execute(
            select(Task.position, Task.tracked_id, Task.change)
            .where(Task.version_id == chosen.id)
            .order_by(Task.position)
        ).all()
        labels = stored_labels(s, [chosen.id])
        items = dict(
            s.execute(
                select(WorkItem.tracked_id, WorkItem.id).where(
                    WorkItem.plan_id == plan.id, WorkItem.org_id == plan.org_id, visible_items(actor)
                )
            ).all()
        )
        schedule = (
            s.scalars(select(ReportingSchedule).where(ReportingSchedule.plan_id == plan.id)).first()
            if follows
            else None  # another organisation's reporting is internal
        )
        removed: list[RemovedTask] = []
        if chosen.number > 1:
            previous = next(v for v in versions if v.number == chosen.number - 1)
            current = {t.tracked_id for t in tasks}
            removed = [
                RemovedTask(number=r.number, title=r.title)
                for r in s.execute(
                    select(Task.number, Task.title, Task.tracked_id)
                    .where(Task.version_id == previous.id)
                    .order_by(Task.position)
                )
                if r.tracked_id not in current
            ]
        cycle, due_day = (schedule.cycle, schedule.due_day) if schedule else (None, None)
        head = plan_head(plan, org_name)
    topics = {
        k: [x.id for x in labels[(chosen.id, "item", k)]]
        for k in range(len(tasks))
        if (chosen.id, "item", k) in labels
    }
    view = outline(document, topics=topics or None)
    lights: dict[int, tuple[str, list[str]]] = {}
    if schedule is not None:
        status = plan_status(sessions, settings, actor, plan_id, today)
        lights = {x.item_id: (x.colour, x.reasons) for x in status.items}
    lines = [t for ch in view.chapters for t in ch.tasks]
    for line, row in zip(lines, tasks, strict=False):
        line.tracked_id = row.tracked_id
        line.change = row.change if chosen.number > 1 else None
        line.item_id = items.get(row.tracked_id)
        if line.item_id is not None and line.item_id in lights:
            line.light, line.light_reasons = lights[line.item_id]
    work = [t for t in lines if not t.is_context]  # background sections (背景/说明) are never lit
    counts = {c: sum(1 for t in work if (t.light or "none") == c) for c in LIGHTS}
    changes = {c: sum(1 for t in lines if t.change == c) for c in ("added", "changed", "unchanged")}
    units = sorted({u for t in lines for u in t.all_units})
    chapters = [(ch.number, ch.title) for ch in view.chapters]
    topic_ids = list(dict.fromkeys(x.id for t in lines for x in t.topics))
    for ch in view.chapters:
        ch.tasks = [t for t in ch.tasks if _keep(t, f)]
    shown = sum(len(ch.tasks) for ch in view.chapters)
    return from_row(
        PlanPage,
        head,
        version=chosen.number,
        latest_version=versions[-1].number,
        outline=view,
        versions=[from_row(VersionLine, v, warnings=len(v.warnings or [])) for v in versions],
        changes=changes,
        removed=removed,
        opened=schedule is not None,
        cycle=cycle,
        due_day=due_day,
        counts=counts,
        filters=f,
        units=units,
        chapters=chapters,
        topics=[(i, topic_name(i)) for i in sorted(topic_ids, key=topic_name)],
        shown=shown,
        can_manage=actor.manages and follows and actor.sees_org(org_path),
        follows=follows,
        sources=reads_sources(actor, org_path),
    )


def _keep(t: object, f: DetailFilter) -> bool:
    from eduplan.services.pages.plan_outline import TaskLine

    assert isinstance(t, TaskLine)
    if f.unit and f.unit not in t.all_units:
        return False
    if f.status and (t.light or "none") != f.status:
        return False
    if f.chapter and t.chapter != f.chapter:
        return False
    return not (f.topic and f.topic not in [x.id for x in t.topics])
