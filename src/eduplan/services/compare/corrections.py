"""Staff correct the topics of a task or key project (人工校正); the correction is kept and wins.

`correct_topics` (office staff and administrators, for plans of their organisation or below it)
replaces the stored labels of the entry, appends a `TopicCorrection` (who, when, before → after)
and an audit entry (linked to the work item when the task is being tracked), in one transaction.
A task's correction also applies to the same tracked task in later versions already imported,
and the import applies it to versions still to come (`registry.topics.store_topics`).
`entry_topics` reads an entry's labels and its corrections back; `may_correct` says whether a user
may correct a plan's topics (what the 对标 page asks before it shows the form).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from eduplan import domain
from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan, PlanVersion
from eduplan.db.projects import Column, Project
from eduplan.db.tasks import Task
from eduplan.db.topics import EntryTopic, TopicCorrection
from eduplan.db.work import WorkItem
from eduplan.services import audit
from eduplan.services.accounts.principal import Principal
from eduplan.services.clock import as_utc, utcnow
from eduplan.services.compare import views as v
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound
from eduplan.services.registry.store import insert_leaves
from eduplan.services.registry.topics import corrected_labels, label_rows
from eduplan.services.registry.views import topic_ref
from eduplan.topics import TopicCorrection as Correction

KINDS = ("item", "project")


@dataclass
class _Target:
    """The entry a correction is about, as found in the registry."""

    kind: str
    row_id: int
    plan: Plan
    version: PlanVersion
    section: str
    number: str | None
    title: str
    tracked_id: int | None
    ordinal: int


def _find(session: Session, kind: str, row_id: int) -> _Target:
    if kind == "item":
        task = session.get(Task, row_id)
        if task is None:
            raise NotFound(f"找不到任务 {row_id}")
        version = task.version
        return _Target(
            kind,
            row_id,
            version.plan,
            version,
            task.chapter.number,
            task.number,
            task.title,
            task.tracked_id,
            task.position,
        )
    if kind != "project":
        raise Invalid(f"未知的条目类型：{kind}")
    project = session.get(Project, row_id)
    if project is None:
        raise NotFound(f"找不到重点项目 {row_id}")
    column = session.get(Column, project.column_id)
    assert column is not None
    found = session.get(PlanVersion, column.version_id)
    assert found is not None
    ordinal = list(
        session.scalars(
            select(Project.id)
            .join(Column, Project.column_id == Column.id)
            .where(Column.version_id == found.id)
            .order_by(Column.position, Project.position)
        )
    ).index(row_id)
    return _Target(
        kind, row_id, found.plan, found, str(column.number), project.number, project.title, None, ordinal
    )


def _labels(session: Session, kind: str, row_id: int) -> list[EntryTopic]:
    column = EntryTopic.task_id if kind == "item" else EntryTopic.project_id
    return list(session.scalars(select(EntryTopic).where(column == row_id).order_by(EntryTopic.rank)))


def _history(session: Session, target: _Target) -> list[v.CorrectionView]:
    if target.kind == "item":
        where = TopicCorrection.tracked_id == target.tracked_id
    else:  # a project's corrections follow its title across versions, as the import applies them
        where = (
            (TopicCorrection.plan_id == target.plan.id)
            & (TopicCorrection.kind == "project")
            & ((TopicCorrection.project_id == target.row_id) | (TopicCorrection.title == target.title))
        )
    rows = session.scalars(select(TopicCorrection).where(where).order_by(TopicCorrection.id))
    return [
        v.CorrectionView(
            id=r.id,
            username=r.username,
            at=as_utc(r.at),
            before=[topic_ref(t) for t in r.before],
            after=[topic_ref(t) for t in r.after],
        )
        for r in rows
    ]


def _view(session: Session, target: _Target) -> v.EntryTopicsView:
    labels = [
        v.TopicLabelView(
            id=r.topic,
            name=topic_ref(r.topic).name,
            score=r.score,
            evidence=list(r.evidence or []),
            corrected=r.corrected,
        )
        for r in _labels(session, target.kind, target.row_id)
    ]
    return v.EntryTopicsView(
        plan_id=target.plan.id,
        version=target.version.number,
        kind=target.kind,
        task_id=target.row_id if target.kind == "item" else None,
        project_id=target.row_id if target.kind == "project" else None,
        title=target.title,
        topics=labels,
        corrections=_history(session, target),
    )


def _allowed(actor: Principal, org_path: str) -> bool:
    """Office staff or administrators whose scope holds the plan's organisation."""
    return actor.manages and actor.sees_org(org_path)


def may_correct(sessions: SessionFactory, actor: Principal, plan_id: int) -> bool:
    """Whether `actor` may correct the topics of the plan's tasks and key projects."""
    if not actor.manages:
        return False
    with sessions() as session:
        plan = session.get(Plan, plan_id)
        return plan is not None and _allowed(actor, plan.organisation.path)


def entry_topics(sessions: SessionFactory, kind: str, row_id: int) -> v.EntryTopicsView:
    """The stored topics of a task or key project and the corrections made to them."""
    with sessions() as session:
        return _view(session, _find(session, kind, row_id))


def _check(topics: Sequence[str], target: _Target) -> list[str]:
    chosen = [t.strip() for t in topics]
    if not chosen:
        raise Invalid("至少指定一个主题（主要主题在前）")
    try:
        Correction(
            "item" if target.kind == "item" else "project",
            target.section,
            target.number,
            target.title,
            chosen[0],
            tuple(chosen[1:]),
        )
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    return chosen


def _rewrite(
    session: Session, kind: str, row_id: int, version_id: int, ordinal: int, topics: list[str], by: str
) -> None:
    """Replace the stored labels of one entry row with the corrected ones (its own evidence kept)."""
    rows = _labels(session, kind, row_id)
    computed = [domain.TopicLabel(r.topic, r.score, list(r.evidence or [])) for r in rows]
    column = EntryTopic.task_id if kind == "item" else EntryTopic.project_id
    session.execute(delete(EntryTopic).where(column == row_id))
    ids = {"task_id": row_id} if kind == "item" else {"project_id": row_id}
    insert_leaves(
        session,
        EntryTopic,
        label_rows(version_id, kind, ordinal, corrected_labels(topics, computed, by), **ids),
    )


def correct_topics(
    sessions: SessionFactory,
    actor: Principal,
    kind: str,
    row_id: int,
    topics: Sequence[str],
    expected: Sequence[str] | None = None,
) -> v.EntryTopicsView:
    """Set the topics of a task (`kind="item"`) or key project, primary first (office staff, in scope).

    `expected` are the topics the editor saw; when someone changed them since, nothing is written and
    `Conflict` says who did (two people correcting the same task from the 对标 page)."""
    actor.require_manager()
    with sessions.begin() as session:
        target = _find(session, kind, row_id)
        org = target.plan.organisation
        if not _allowed(actor, org.path):
            raise Forbidden("只能校正本机构及下级机构计划的主题")
        chosen = _check(topics, target)
        before = [r.topic for r in _labels(session, kind, row_id)]
        if expected is not None and list(expected) != before:
            history = _history(session, target)
            who = f"已被 {history[-1].username} 改为" if history else "现为"
            raise Conflict(f"主题{who}“{'、'.join(t.name for t in map(topic_ref, before))}”，请刷新后再校正")
        if before == chosen and all(r.corrected for r in _labels(session, kind, row_id)):
            return _view(session, target)
        by = actor.username
        if kind == "item":
            later = session.execute(
                select(Task.id, Task.version_id, Task.position)
                .join(PlanVersion, Task.version_id == PlanVersion.id)
                .where(Task.tracked_id == target.tracked_id, PlanVersion.number >= target.version.number)
            ).all()
            for task_id, version_id, position in later:
                _rewrite(session, "item", task_id, version_id, position, chosen, by)
        else:
            _rewrite(session, "project", row_id, target.version.id, target.ordinal, chosen, by)
        session.add(
            TopicCorrection(
                plan_id=target.plan.id,
                version_id=target.version.id,
                kind=kind,
                tracked_id=target.tracked_id,
                task_id=row_id if kind == "item" else None,
                project_id=row_id if kind == "project" else None,
                section=target.section,
                number=target.number,
                title=target.title,
                before=before,
                after=chosen,
                user_id=actor.user_id,
                username=by,
                at=utcnow(),
            )
        )
        item_id = (
            session.scalar(
                select(WorkItem.id).where(WorkItem.tracked_id == target.tracked_id, WorkItem.org_id == org.id)
            )
            if target.tracked_id is not None
            else None
        )
        audit.record(
            session,
            actor,
            "correct_topics",
            "task" if kind == "item" else "project",
            row_id,
            item_id,
            org.id,
            {"topics": before},
            {"topics": chosen},
        )
        session.flush()
        return _view(session, target)
