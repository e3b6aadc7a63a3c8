"""Loading plans from the registry for comparison: the latest version of each plan selected, with
the topics stored for its entries (corrections included), as a `Corpus` the algorithms run on.

A plan is rebuilt from the Plan JSON kept beside its version (one JSON parse, no row-by-row
reading), or from its rows for versions imported before revision 0002; the topics then come from
`entry_topics`, so a correction made by staff counts everywhere.  The similarity index over all
entries takes seconds on tens of thousands of tasks, so the last corpora loaded are kept in
memory (the last two large selections, the last sixteen of a few plans), keyed by the database, the
versions' fingerprints and the state of imports and corrections: an import or a correction makes a
new key, and the old corpus simply ages out.

The registry holds published plans, which any signed-in user reads (as on /api/v1/plans); the
selection narrows by plan ids or by an organisation and everything below it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from eduplan import domain
from eduplan.compare import Entry, SimilarityIndex, plan_entries
from eduplan.db import projects as proj
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan, PlanVersion
from eduplan.db.tasks import Task
from eduplan.db.topics import EntryTopic, TopicCorrection
from eduplan.services.compare.views import PlanRef
from eduplan.services.errors import Invalid, NotFound
from eduplan.services.registry.memo import Memo
from eduplan.services.registry.rebuild import stored_plans
from eduplan.services.registry.topics import stored_labels
from eduplan.services.tracking.scope import orgs_within
from eduplan.services.view_rows import from_row

MAX_PLANS = 1000
"""Plans one comparison takes at most (1,000 plans of 40 tasks: about 4 s to load, 2 s to index on
one core, ~150 MB); a larger registry is compared by organisation or plan ids."""
CACHED = 2
SMALL, CACHED_SMALL = 10, 16
T = TypeVar("T")


@dataclass(frozen=True)
class Selection:
    """Which plans to compare: these ids (in this order), or every plan of an organisation and below
    it, or (neither given) every plan in the registry."""

    plan_ids: tuple[int, ...] = ()
    org_id: int | None = None


@dataclass
class Loaded:
    """One plan compared: its reference, the domain plan, the ids of its tasks and key projects."""

    ref: PlanRef
    plan: domain.Plan
    task_ids: list[int]
    project_ids: list[int]


@dataclass
class Corpus:
    """The plans of a selection and their entries, each entry with the row it came from."""

    plans: dict[str, Loaded]
    entries: list[Entry] = field(default_factory=list)
    rows: list[tuple[str, int]] = field(default_factory=list)  # ("item", task id) / ("project", id)
    _index: SimilarityIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _memo: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, loaded in self.plans.items():
            entries = plan_entries(key, loaded.plan)
            ids = [("item", i) for i in loaded.task_ids] + [("project", i) for i in loaded.project_ids]
            self.entries += entries
            self.rows += ids[: len(entries)]
        self._at = {(kind, i): n for n, (kind, i) in enumerate(self.rows)}
        self._by_entry = {e: n for n, e in enumerate(self.entries)}

    def index(self) -> SimilarityIndex:
        """The similarity index over every entry (built on first use, then kept)."""
        with self._lock:
            if self._index is None:
                self._index = SimilarityIndex(self.entries)
            return self._index

    def memo(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """`compute()` once per corpus and `key` (the corpus never changes; its views are read-only)."""
        with self._lock:
            if key in self._memo:
                found: T = self._memo[key]
                return found
        value = compute()
        with self._lock:
            self._memo.setdefault(key, value)
        return value

    def domain_plans(self) -> dict[str, domain.Plan]:
        """{plan key: plan}, the input of the pure comparison functions."""
        return {key: loaded.plan for key, loaded in self.plans.items()}

    def entry_of(self, kind: str, row_id: int) -> Entry | None:
        """The entry of a task (or key project) row, if it is in this corpus."""
        at = self._at.get((kind, row_id))
        return self.entries[at] if at is not None else None

    def row_of(self, entry: Entry) -> tuple[str, int] | None:
        """The ("item", task id) or ("project", project id) an entry came from."""
        at = self._by_entry.get(entry)
        return self.rows[at] if at is not None else None


_cache = Memo(CACHED)
_small = Memo(CACHED_SMALL)
"""Selections of a few plans (one plan's checks, two years of a city) are kept apart, so that they
never push the corpus of the whole registry out."""


def _label(org: str, year: int | None, start: int | None, end: int | None, title: str) -> str:
    if year is not None:
        return f"{org}{year}"
    if start is not None and end is not None:
        return f"{org}{start}–{end}"
    return title or org


def _versions(session: Session, selection: Selection, limit: int = MAX_PLANS) -> list[Any]:
    later = aliased(PlanVersion)
    newer = exists().where(later.plan_id == PlanVersion.plan_id, later.number > PlanVersion.number)
    query = (
        select(
            PlanVersion.id.label("version_id"),
            PlanVersion.number,
            PlanVersion.fingerprint,
            Plan.id,
            Plan.title,
            Plan.kind,
            Plan.year,
            Plan.period_start,
            Plan.period_end,
            Plan.org_id,
            Organisation.name.label("org_name"),
            Organisation.path,
        )
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .join(Organisation, Organisation.id == Plan.org_id)
        .where(~newer)
    )
    if selection.plan_ids:
        query = query.where(Plan.id.in_(selection.plan_ids))
    if selection.org_id is not None:
        org = session.get(Organisation, selection.org_id)
        if org is None:
            raise NotFound(f"找不到机构 {selection.org_id}")
        query = query.where(Plan.org_id.in_(select(Organisation.id).where(orgs_within(org.path))))
    year = func.coalesce(Plan.year, Plan.period_start, 0)  # the same order on SQLite and PostgreSQL
    rows = list(session.execute(query.order_by(Organisation.path, year, Plan.id)).all())
    if selection.plan_ids:
        found = {r.id for r in rows}
        missing = [str(i) for i in selection.plan_ids if i not in found]
        if missing:
            raise NotFound(f"找不到计划 {'、'.join(missing)}")
        order = {plan_id: k for k, plan_id in enumerate(selection.plan_ids)}
        rows.sort(key=lambda r: order[r.id])
    if len(rows) > limit:
        raise Invalid(f"一次最多比较 {limit} 个计划（所选 {len(rows)} 个），请用 plan_id 或 org_id 缩小范围")
    return rows


def _stamp(session: Session) -> tuple[Any, ...]:
    """What changes whenever a plan is imported or staff correct a topic: the last task and topic
    row ids, and the corrections' count, last id and time (ids restart when a test empties tables)."""
    tasks = session.scalar(select(func.max(Task.id)))
    topics = session.scalar(select(func.max(EntryTopic.id)))
    row = session.execute(
        select(func.count(TopicCorrection.id), func.max(TopicCorrection.id), func.max(TopicCorrection.at))
    ).one()
    return (tasks, topics, *row)


def _plans(session: Session, version_ids: Sequence[int]) -> dict[int, domain.Plan]:
    return stored_plans(session, version_ids)


def _load(session: Session, rows: Sequence[Any]) -> Corpus:
    version_ids = [r.version_id for r in rows]
    plans = _plans(session, version_ids)
    task_ids: dict[int, list[int]] = {v: [] for v in version_ids}
    for task_id, version_id in session.execute(
        select(Task.id, Task.version_id).where(Task.version_id.in_(version_ids)).order_by(Task.position)
    ):
        task_ids[version_id].append(task_id)
    project_ids: dict[int, list[int]] = {v: [] for v in version_ids}
    for project_id, version_id in session.execute(
        select(proj.Project.id, proj.Column.version_id)
        .join(proj.Column, proj.Project.column_id == proj.Column.id)
        .where(proj.Column.version_id.in_(version_ids))
        .order_by(proj.Column.position, proj.Project.position)
    ):
        project_ids[version_id].append(project_id)
    labels = stored_labels(session, version_ids)
    for version_id, plan in plans.items():
        for k, (_, task) in enumerate(plan.tasks()):
            task.topics = labels.get((version_id, "item", k), task.topics)
        for k, project in enumerate(p for c in plan.columns for p in c.projects):
            project.topics = labels.get((version_id, "project", k), project.topics)
    names = [_label(r.org_name, r.year, r.period_start, r.period_end, r.title) for r in rows]
    loaded: dict[str, Loaded] = {}
    for r, name in zip(rows, names, strict=True):
        label = name if names.count(name) == 1 else f"{name}（{r.title}）"
        ref = from_row(PlanRef, r, version=r.number, label=label)
        loaded[str(r.id)] = Loaded(
            ref, plans[r.version_id], task_ids[r.version_id], project_ids[r.version_id]
        )
    return Corpus(loaded)


def load_corpus(sessions: SessionFactory, selection: Selection, limit: int = MAX_PLANS) -> Corpus:
    """The plans of `selection` (latest versions) and their entries, from the cache when unchanged;
    `Invalid` when the selection holds more than `limit` plans."""
    with sessions() as session:
        rows = _versions(session, selection, limit)
        bind = session.get_bind().engine
        key = (
            bind.url.render_as_string(hide_password=True),
            tuple(tuple(r) for r in rows),
            _stamp(session),
        )
        cache = _small if len(rows) <= SMALL else _cache
        return cache.get(key, lambda: _load(session, rows))


def clear_cache() -> None:
    """Forget the corpora kept in memory (tests; a relabelling run)."""
    _cache.clear()
    _small.clear()
