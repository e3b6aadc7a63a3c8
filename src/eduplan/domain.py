"""The plan as eduplan understands it: plain dataclasses, imports nothing of ours.

A parsed planning document (规划/工作要点) is a `Plan` of `Chapter`s holding `Task`s (the numbered
items a bureau tracks in its 台账), each with responsible units (责任单位), quantitative targets
(量化目标) and an optional deadline.  Five-year plans add 专栏 boxes (`Column`) with key projects
and indicator tables.  Source positions (`line`) are kept for linking a task back to its paragraph
and are excluded from equality; so are the topics (主题) of tasks and projects, which a classifier
derives from the text: two parses of one document are the same plan whichever lexicon labelled them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Comparator = Literal["=", ">=", "<=", "≈", "between"]
PlanKind = Literal["annual_work_plan", "five_year_plan", "other"]
TaskKind = Literal["task", "context"]


@dataclass
class TargetPart:
    """One share of a target's 其中… breakdown, e.g. 幼儿园 6030."""

    label: str
    value: float
    unit: str | None = None


@dataclass
class Target:
    """A quantitative target (量化目标) read from a span of an item's text."""

    text: str
    subject: str
    comparator: Comparator
    value: float
    unit: str
    value_max: float | None = None
    per: str | None = None
    parts: list[TargetPart] = field(default_factory=list)
    baseline: float | None = None
    """The starting point where the text gives one (由11所整合为9所: 11)."""


@dataclass
class TopicLabel:
    """A topic (主题) of a task or key project: a taxonomy id, a score in 0–1, the phrases that fired.

    `Task.topics` and `Project.topics` list the primary topic first, then at most two secondary ones.
    """

    id: str
    score: float
    evidence: list[str] = field(default_factory=list)


@dataclass
class SubItem:
    """A numbered sub-point of a task: （1） ① …"""

    number: str
    title: str
    text: str
    line: int | None = field(default=None, compare=False)


@dataclass
class Task:
    """A numbered item of a plan (工作任务): the unit of tracking.

    `targets` are the quantities the task commits to.  In a five-year plan these are the goals of
    its narrative (到2025年…达到, 新增, 每年…; `parsing.goals`); the other numbers quoted there (past
    results of 十三五, recurring norms such as 每周4课时) go to `figures`, read the same way, so that
    nothing is lost and nothing is tracked as a target that is not one.
    `kind` is ``"context"`` for a section that sets out background rather than work (发展基础,
    指导思想, 主要目标 …: 背景/说明): kept in the outline, never reported on or lit.
    """

    number: str
    title: str
    text: str
    units: list[str] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    support_units: list[str] = field(default_factory=list)
    units_text: str | None = None
    deadline: date | None = None
    deadline_text: str | None = None
    subitems: list[SubItem] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    figures: list[Target] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)
    # eduplan.topics, primary first; derived from the text, so not part of equality (like `line`)
    topics: list[TopicLabel] = field(default_factory=list, compare=False)
    kind: TaskKind = "task"


@dataclass
class Chapter:
    """A top-level section (一、…) of a plan."""

    number: str
    title: str
    text: str = ""
    items: list[Task] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)


@dataclass
class Project:
    """A key project (重点项目) listed in a 专栏 box; `number` is None when the box does not number it."""

    number: str | None
    title: str
    text: str = ""
    # eduplan.topics, primary first; derived from the text, so not part of equality (like `line`)
    topics: list[TopicLabel] = field(default_factory=list, compare=False)
    targets: list[Target] = field(default_factory=list)
    """The project's own commitments (建设100个新型教学空间), read from its text."""


@dataclass
class Column:
    """A 专栏 box of a five-year plan."""

    number: int
    title: str
    chapter: str | None = None
    projects: list[Project] = field(default_factory=list)


@dataclass(kw_only=True)
class IndicatorRow:
    """One indicator of an indicator table, with its values by year."""

    label: str
    unit: str | None
    values: dict[str, float | None]
    group: str | None = None
    attribute: str | None = None


@dataclass
class IndicatorTable:
    """A table of indicators (主要指标) with values by year and 预期性/约束性."""

    title: str
    header: list[str]
    rows: list[IndicatorRow] = field(default_factory=list)
    note: str | None = None
    column: int | None = None


@dataclass(kw_only=True)
class TocEntry:
    """An entry of the document's own table of contents (目录)."""

    number: str | None
    title: str
    page: int | None = None


@dataclass
class Plan:
    """One parsed planning document."""

    title: str
    place: str | None = None
    kind: PlanKind = "other"
    year: int | None = None
    period: tuple[int, int] | None = None
    issuer: list[str] = field(default_factory=list)
    doc_number: str | None = None
    issued_on: date | None = None
    chapters: list[Chapter] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    indicator_tables: list[IndicatorTable] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def tasks(self) -> list[tuple[Chapter, Task]]:
        """Every task with its chapter, in document order."""
        return [(ch, task) for ch in self.chapters for task in ch.items]
