"""What the registry's read use cases return: plain dataclasses, the same for the API and pages.

Each view is built from ORM rows by a `…_view` function (tasks, listed by the page, from plain
rows: `task_rows.task_views`); none holds a session or lazy attribute, so views can be returned
after the session closes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

from eduplan.db import indicators as ind
from eduplan.db import projects as proj
from eduplan.db.orgs import Organisation, Unit
from eduplan.db.plans import Plan, PlanVersion
from eduplan.db.targets import Target
from eduplan.services.view_rows import from_row
from eduplan.topics import topic_name

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a list in a stable order: `items` from `offset`, `total` across all pages."""

    items: list[T]
    total: int
    limit: int
    offset: int


@dataclass(kw_only=True)
class OrgView:
    """An organisation (教育局 of a place, or a school) in the 省 → 市 → 县区 → 学校 tree."""

    id: int
    name: str
    level: str
    parent_id: int | None
    path: str


@dataclass(kw_only=True)
class UnitView:
    """A unit (科室, 直属单位) of an organisation with the names it is known by."""

    id: int
    org_id: int
    name: str
    kind: str
    aliases: list[str]


@dataclass(kw_only=True)
class VersionView:
    """One imported edition of a plan and the file it came from."""

    number: int
    title: str
    imported_at: datetime
    filename: str
    media_type: str
    size: int
    sha256: str
    doc_number: str | None
    issued_on: date | None
    warnings: list[str]


@dataclass(kw_only=True)
class PlanBrief:
    """A plan as every list names it: its organisation, title, kind (`choices.PLAN_KINDS`) and year."""

    id: int
    org_id: int
    org_name: str
    title: str
    kind: str
    year: int | None


@dataclass(kw_only=True)
class PlanView(PlanBrief):
    """A plan of an organisation with its versions (latest last)."""

    period: list[int] | None
    latest_version: int
    versions: list[VersionView] = field(default_factory=list)


@dataclass(kw_only=True)
class PartView:
    """A share of a target's breakdown (其中…)."""

    label: str
    value: float
    unit: str | None


@dataclass(kw_only=True)
class TargetFigure:
    """A quantitative target as written (`text`) with its parsed figure: what is measured, how it
    compares (≥, between …), the value (and upper value) and unit.  The registry's, the loop's, the
    outline's and the comparison's target views are one."""

    text: str
    subject: str
    comparator: str
    value: float
    value_max: float | None
    unit: str


@dataclass(kw_only=True)
class TargetView(TargetFigure):
    """A quantitative target (or, `kind="figure"`, a figure quoted in a five-year plan's text)."""

    id: int
    task_id: int
    kind: str
    per: str | None
    parts: list[PartView]


@dataclass(kw_only=True)
class TopicRef:
    """A topic (主题): its id and Chinese name."""

    id: str
    name: str


def topic_ref(topic: str) -> TopicRef:
    return TopicRef(id=topic, name=topic_name(topic))


@dataclass(kw_only=True)
class TaskTopicView(TopicRef):
    """A topic (主题) of a task as stored; `corrected` when staff set it (人工校正)."""

    corrected: bool


@dataclass(kw_only=True)
class TaskAsWritten:
    """A task as its plan writes it: its chapter's number, its number, title and text, the units
    responsible (责任单位; 牵头 and 配合 apart), its deadline and the line it starts on."""

    chapter: str
    number: str
    title: str
    text: str
    units: list[str]
    lead_units: list[str]
    support_units: list[str]
    deadline: date | None
    line: int | None
    kind: str = "task"
    """``context`` for a background section (背景/说明): shown, never reported on or lit
    (`db.tasks.Task.kind`)."""

    @property
    def is_context(self) -> bool:
        return self.kind == "context"


@dataclass(kw_only=True)
class TaskView(TaskAsWritten):
    """A task of a plan version, with where it stands, who is responsible and its topics (primary first)."""

    id: int
    tracked_id: int
    plan_id: int
    version: int
    chapter_title: str
    change: str
    targets: list[TargetView]
    topics: list[TaskTopicView] = field(default_factory=list)


@dataclass(kw_only=True)
class IndicatorRowView:
    """One indicator and its values by year column."""

    label: str
    group: str | None
    unit: str | None
    attribute: str | None
    values: dict[str, float | None]


@dataclass(kw_only=True)
class IndicatorTableView:
    """An indicator table of a plan version."""

    id: int
    plan_id: int
    version: int
    title: str
    column: int | None
    header: list[str]
    note: str | None
    rows: list[IndicatorRowView]


@dataclass(kw_only=True)
class ProjectView:
    """A key project (重点项目) of a 专栏 box."""

    id: int
    plan_id: int
    version: int
    column: int
    column_title: str
    chapter: str | None
    number: str | None
    title: str
    text: str


def org_view(o: Organisation) -> OrgView:
    return from_row(OrgView, o)


def unit_view(u: Unit) -> UnitView:
    return from_row(UnitView, u, aliases=[a.name for a in u.aliases])


def version_view(v: PlanVersion) -> VersionView:
    """The version, and the file it came from (`v.document`)."""
    return from_row(VersionView, v, v.document, warnings=list(v.warnings or []))


def plan_period(start: int | None, end: int | None) -> list[int] | None:
    """A plan's period [first year, last year], or None when it does not state both."""
    return [start, end] if start is not None and end is not None else None


def plan_view(p: Plan) -> PlanView:
    versions = [version_view(v) for v in p.versions]
    return from_row(
        PlanView,
        p,
        org_name=p.organisation.name,
        period=plan_period(p.period_start, p.period_end),
        latest_version=versions[-1].number,
        versions=versions,
    )


def target_view(t: Target) -> TargetView:
    return from_row(TargetView, t, parts=[from_row(PartView, p) for p in t.parts])


def indicator_table_view(t: ind.IndicatorTable, version: PlanVersion) -> IndicatorTableView:
    rows = [from_row(IndicatorRowView, r, values={v.key: v.value for v in r.values}) for r in t.rows]
    header = [str(h) for h in t.header or []]
    return from_row(
        IndicatorTableView, t, plan_id=version.plan_id, version=version.number, header=header, rows=rows
    )


def project_view(p: proj.Project, c: proj.Column, version: PlanVersion) -> ProjectView:
    """A key project of the column `c` (专栏) of a version."""
    return from_row(
        ProjectView,
        p,
        plan_id=version.plan_id,
        version=version.number,
        column=c.number,
        column_title=c.title,
        chapter=c.chapter,
    )
