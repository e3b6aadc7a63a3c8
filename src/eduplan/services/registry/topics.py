"""Topics (主题) in the registry: stored with each version at import, staff corrections kept, read back.

- `store_topics` (called by the import, inside its transaction) writes the labels of every task
  and key project of a new version: the classifier's, unless staff corrected the entry before.  A
  task's correction follows its tracked task (台账条目), so it survives a revised edition however
  the task is reworded or renumbered; a key project's is found again by its 专栏 and title (see
  `eduplan.topics.corrections`).  The latest correction of an entry wins.
- `stored_labels` reads the labels of versions back, keyed by entry; `has_topic` is the task
  filter of the lists (`topic=` on /api/v1/tasks: a task's primary or secondary topics).
- `relabel_topics` (`eduplan topics relabel`) labels stored versions again after the lexicon
  changed: the classifier runs on each version's Plan JSON (or its rows, for versions imported
  before revision 0002); an entry staff corrected keeps its labels untouched (the correction wins).

Nothing here commits except `relabel_topics`, a use case of its own; the others run inside the
transaction of the use case that calls them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from eduplan import domain
from eduplan.db import projects as proj
from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan, PlanVersion
from eduplan.db.tasks import Task
from eduplan.db.topics import EntryTopic, TopicCorrection
from eduplan.services.registry.errors import NotFound
from eduplan.services.registry.rebuild import stored_plan
from eduplan.services.registry.store import insert_leaves
from eduplan.topics import CORRECTED, TopicClassifier, apply_corrections, label_plan
from eduplan.topics import TopicCorrection as Correction

EntryKey = tuple[int, str, int]
"""(version id, "item" or "project", ordinal of the entry in its version)."""


def corrected_labels(
    after: Sequence[str], computed: Iterable[domain.TopicLabel], by: str
) -> list[domain.TopicLabel]:
    """The labels a correction to `after` gives, keeping the classifier's evidence of the topics it keeps."""
    own = [
        domain.TopicLabel(x.id, x.score, [e for e in x.evidence if not e.startswith(CORRECTED)])
        for x in computed
    ]
    return Correction("item", "", None, "", after[0], tuple(after[1:]), by or None).labels(own)


def label_rows(
    version_id: int,
    kind: str,
    ordinal: int,
    labels: Sequence[domain.TopicLabel],
    task_id: int | None = None,
    project_id: int | None = None,
) -> list[dict[str, Any]]:
    """The `entry_topics` rows of one entry's labels, primary first."""
    return [
        {
            "version_id": version_id,
            "kind": kind,
            "ordinal": ordinal,
            "task_id": task_id,
            "project_id": project_id,
            "rank": rank,
            "topic": label.id,
            "score": label.score,
            "evidence": list(label.evidence),
            "corrected": bool(label.evidence) and label.evidence[0].startswith(CORRECTED),
        }
        for rank, label in enumerate(labels)
    ]


def project_ids(session: Session, version_id: int) -> list[int]:
    """Ids of a version's key projects in box order (the order of ``plan.columns``)."""
    return list(
        session.scalars(
            select(proj.Project.id)
            .join(proj.Column, proj.Project.column_id == proj.Column.id)
            .where(proj.Column.version_id == version_id)
            .order_by(proj.Column.position, proj.Project.position)
        )
    )


def _task_corrections(session: Session, plan_id: int, tracked: Iterable[int]) -> dict[int, TopicCorrection]:
    """The latest correction of each tracked task (of those given) that staff corrected."""
    found: dict[int, TopicCorrection] = {}
    ids = sorted(set(tracked))
    if not ids:
        return found
    rows = session.scalars(
        select(TopicCorrection)
        .where(
            TopicCorrection.plan_id == plan_id,
            TopicCorrection.kind == "item",
            TopicCorrection.tracked_id.in_(ids),
        )
        .order_by(TopicCorrection.id)
    )
    for row in rows:
        if row.tracked_id is not None:
            found[row.tracked_id] = row
    return found


def _project_labels(session: Session, plan_id: int, plan: domain.Plan) -> list[list[domain.TopicLabel]]:
    """The labels of the plan's key projects, with the plan's project corrections applied (oldest first)."""
    rows = session.scalars(
        select(TopicCorrection)
        .where(TopicCorrection.plan_id == plan_id, TopicCorrection.kind == "project")
        .order_by(TopicCorrection.id)
    ).all()
    columns = plan.columns
    if rows:
        corrections = [
            Correction("project", r.section, r.number, r.title, r.after[0], tuple(r.after[1:]), r.username)
            for r in rows
            if r.after
        ]
        columns = apply_corrections(domain.Plan(title="", columns=list(plan.columns)), corrections)[0].columns
    return [list(p.topics) for c in columns for p in c.projects]


def store_topics(
    session: Session, version: PlanVersion, plan: domain.Plan, task_ids: Sequence[int], tracked: Sequence[int]
) -> None:
    """Write the labels of a new version's tasks and key projects (corrections of earlier versions win)."""
    corrected = session.scalar(
        select(TopicCorrection.id).where(TopicCorrection.plan_id == version.plan_id).limit(1)
    )
    fixes = _task_corrections(session, version.plan_id, tracked) if corrected is not None else {}
    rows: list[dict[str, Any]] = []
    for k, ((_, task), task_id, tracked_id) in enumerate(zip(plan.tasks(), task_ids, tracked, strict=True)):
        fix = fixes.get(tracked_id)
        labels = corrected_labels(fix.after, task.topics, fix.username) if fix and fix.after else task.topics
        rows += label_rows(version.id, "item", k, labels, task_id=task_id)
    if any(c.projects for c in plan.columns):
        labelled = (
            _project_labels(session, version.plan_id, plan)
            if corrected is not None
            else [list(p.topics) for c in plan.columns for p in c.projects]
        )
        for k, (project_id, labels) in enumerate(
            zip(project_ids(session, version.id), labelled, strict=True)
        ):
            rows += label_rows(version.id, "project", k, labels, project_id=project_id)
    insert_leaves(session, EntryTopic, rows)


def stored_labels(session: Session, version_ids: Iterable[int]) -> dict[EntryKey, list[domain.TopicLabel]]:
    """The stored labels of the entries of these versions, primary first."""
    ids = sorted(set(version_ids))
    found: dict[EntryKey, list[domain.TopicLabel]] = {}
    if not ids:
        return found
    rows = session.connection().execute(
        select(
            EntryTopic.version_id,
            EntryTopic.kind,
            EntryTopic.ordinal,
            EntryTopic.topic,
            EntryTopic.score,
            EntryTopic.evidence,
        )
        .where(EntryTopic.version_id.in_(ids))
        .order_by(EntryTopic.version_id, EntryTopic.kind, EntryTopic.ordinal, EntryTopic.rank)
    )
    for r in rows:
        found.setdefault((r.version_id, r.kind, r.ordinal), []).append(
            domain.TopicLabel(r.topic, float(r.score), list(r.evidence or []))
        )
    return found


def has_topic(topic: str) -> ColumnElement[bool]:
    """The condition on `Task` rows that have `topic` among their topics (primary or secondary)."""
    return Task.id.in_(
        select(EntryTopic.task_id).where(EntryTopic.topic == topic, EntryTopic.task_id.is_not(None))
    )


@dataclass
class Relabelled:
    """What a relabelling did: versions read, entries (tasks and key projects) labelled, entries
    whose topics (ids or their order) changed, and corrected entries kept as staff set them."""

    versions: int
    entries: int
    changed: int
    kept: int


def _fresh_labels(session: Session, version: PlanVersion, classifier: TopicClassifier | None) -> domain.Plan:
    """The version's plan as imported, labelled by the classifier of today."""
    return label_plan(stored_plan(session, version), classifier)


def _relabel_version(
    session: Session, version: PlanVersion, classifier: TopicClassifier | None
) -> Relabelled:
    plan = _fresh_labels(session, version, classifier)
    stored = stored_labels(session, [version.id])
    task_ids = list(
        session.scalars(select(Task.id).where(Task.version_id == version.id).order_by(Task.position))
    )
    entries: list[tuple[str, int, int | None, int | None, list[domain.TopicLabel]]] = [
        ("item", k, task_id, None, task.topics)
        for k, ((_, task), task_id) in enumerate(zip(plan.tasks(), task_ids, strict=True))
    ]
    projects = [p for c in plan.columns for p in c.projects]
    entries += [
        ("project", k, None, project_id, project.topics)
        for k, (project, project_id) in enumerate(
            zip(projects, project_ids(session, version.id), strict=True)
        )
    ]
    rows: list[dict[str, Any]] = []
    changed = kept = 0
    for kind, ordinal, task_id, project_id, labels in entries:
        before = stored.get((version.id, kind, ordinal), [])
        if any(x.evidence and x.evidence[0].startswith(CORRECTED) for x in before):
            kept += 1
            continue
        changed += int([x.id for x in before] != [x.id for x in labels])
        rows += label_rows(version.id, kind, ordinal, labels, task_id=task_id, project_id=project_id)
    fresh = [(r["kind"], r["ordinal"], r["topic"], r["score"], r["evidence"]) for r in rows]
    old = [
        (kind, ordinal, x.id, x.score, list(x.evidence))
        for (_, kind, ordinal), labels in sorted(stored.items())
        for x in labels
        if not (x.evidence and x.evidence[0].startswith(CORRECTED))
    ]
    if sorted(fresh) != sorted(old):  # scores or evidence may change with the topics alone
        session.execute(
            delete(EntryTopic).where(EntryTopic.version_id == version.id, EntryTopic.corrected.is_(False))
        )
        insert_leaves(session, EntryTopic, rows)
    return Relabelled(1, len(entries), changed, kept)


def relabel_topics(
    sessions: SessionFactory, plan_id: int | None = None, classifier: TopicClassifier | None = None
) -> Relabelled:
    """Label every stored version (of one plan, or of all) again with the current lexicon, keeping
    corrections; in one transaction.  `NotFound` for a plan that does not exist."""
    total = Relabelled(0, 0, 0, 0)
    with sessions.begin() as session:
        if plan_id is not None and session.get(Plan, plan_id) is None:
            raise NotFound(f"找不到计划 {plan_id}")
        query = select(PlanVersion).order_by(PlanVersion.id)
        if plan_id is not None:
            query = query.where(PlanVersion.plan_id == plan_id)
        for version in session.scalars(query).all():
            done = _relabel_version(session, version, classifier)
            total = Relabelled(
                total.versions + 1,
                total.entries + done.entries,
                total.changed + done.changed,
                total.kept + done.kept,
            )
    return total
