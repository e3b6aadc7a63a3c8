"""What the comparison (对标) use cases return: plain dataclasses, rendered by the 对标 page as they
are and returned by the API as JSON.

Every entry (task or key project) carries the ids a page links with (`task_id` / `project_id`, the
plan's id), its topics with their Chinese names and its targets; texts to highlight come as
`Segment`s (runs of text, `shared` where the other text has the same words), so a template only
wraps marked runs in ``<mark>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from eduplan.choices import amount_text
from eduplan.compare.targets import SideTarget
from eduplan.services.registry.views import PlanBrief, TargetFigure, TopicRef


@dataclass(kw_only=True)
class PlanRef(PlanBrief):
    """A plan as compared: its latest version and a short label (示例市2024)."""

    version: int
    label: str


@dataclass(kw_only=True)
class Segment:
    """A run of text; `shared` when the other text of a comparison has the same words."""

    text: str
    shared: bool = False


@dataclass(kw_only=True)
class EntryView:
    """One task (`kind="item"`) or key project of one plan, with its topics and targets."""

    plan_id: int
    plan: str
    kind: str
    task_id: int | None
    project_id: int | None
    section: str
    number: str | None
    label: str
    title: str
    text: str
    topics: list[TopicRef]
    targets: list[TargetFigure]


@dataclass(kw_only=True)
class MatrixCell:
    """The tasks and targets of one plan on one topic."""

    topic: str
    tasks: int
    targets: int


@dataclass(kw_only=True)
class MatrixRow:
    """One plan: a cell per topic (in the matrix's topic order) and its totals."""

    plan: PlanRef
    cells: list[MatrixCell]
    tasks: int
    targets: int


@dataclass(kw_only=True)
class MatrixView:
    """Plans × topics (对标矩阵): tasks and targets per cell; topics no plan has are left out."""

    plans: list[PlanRef]
    topics: list[TopicRef]
    rows: list[MatrixRow]
    secondary: bool


@dataclass(kw_only=True)
class CellColumn:
    """The entries of one plan on the opened topic."""

    plan: PlanRef
    entries: list[EntryView]


@dataclass(kw_only=True)
class CellView:
    """A matrix column opened: the tasks of every plan on one topic, side by side with their targets."""

    topic: TopicRef
    columns: list[CellColumn]
    secondary: bool


@dataclass(kw_only=True)
class SimilarMatch:
    """A similar entry of another plan, its score and the phrases both share (longest first)."""

    entry: EntryView
    score: float
    shared: list[str]
    segments: list[Segment]


@dataclass(kw_only=True)
class SimilarView:
    """For one task: the most similar tasks of other plans, shared phrases marked in both texts."""

    entry: EntryView
    segments: list[Segment]
    matches: list[SimilarMatch]


@dataclass(frozen=True, kw_only=True)
class SideTargetView(SideTarget):
    """One target of one plan, as written and in its base unit (万元 → 元): the comparison's
    `SideTarget` with its plan's id, and `plan` its label (示例市2024)."""

    plan_id: int

    @property
    def amount(self) -> str:
        """≥85%, 介于2–4期: the target's amount as people write it (`choices.amount_text`)."""
        return amount_text(self.comparator, self.value, self.value_max, self.unit)


@dataclass(kw_only=True)
class TargetGroupView:
    """Targets that measure the same thing (普惠性幼儿园覆盖率 …) in several plans."""

    kind: str
    name: str
    plan_ids: list[int]
    targets: list[SideTargetView]


@dataclass(kw_only=True)
class TargetsView:
    """Targets side by side, groups met in more plans first."""

    plans: list[PlanRef]
    groups: list[TargetGroupView]


@dataclass(kw_only=True)
class DistinctiveEntry:
    """A task no other plan resembles: how close the closest one comes, and which it is."""

    entry: EntryView
    score: float
    closest: EntryView | None


@dataclass(kw_only=True)
class DistinctiveView:
    """What is particular to one plan (特色工作) among the plans compared."""

    plan: PlanRef
    among: list[PlanRef]
    entries: list[DistinctiveEntry]


@dataclass(kw_only=True)
class CarriedView:
    """A task of the earlier year continued in the later one."""

    before: EntryView
    after: EntryView
    score: float
    shared: list[str]


@dataclass(kw_only=True)
class YearChangesView:
    """Two years of one city: tasks carried over (延续), dropped (删去) and new (新增)."""

    before: PlanRef
    after: PlanRef
    carried: list[CarriedView]
    dropped: list[EntryView]
    new: list[EntryView]


@dataclass(kw_only=True)
class FindingView:
    """One inconsistency found in a plan (自查), in words for people."""

    check: str
    check_name: str
    severity: str
    severity_name: str
    where: str
    message: str


@dataclass(kw_only=True)
class ConsistencyView:
    """The consistency findings of one plan, errors first."""

    plan: PlanRef
    findings: list[FindingView]
    errors: int
    warnings: int


@dataclass(kw_only=True)
class TopicLabelView:
    """A topic of an entry as stored: its score and the phrases that led to it (人工校正 when set by staff)."""

    id: str
    name: str
    score: float
    evidence: list[str]
    corrected: bool


@dataclass(kw_only=True)
class CorrectionView:
    """A correction made by staff: who, when, the topics before and after."""

    id: int
    username: str
    at: datetime
    before: list[TopicRef]
    after: list[TopicRef]


@dataclass(kw_only=True)
class EntryTopicsView:
    """The topics of one task or key project, and the history of their corrections (oldest first)."""

    plan_id: int
    version: int
    kind: str
    task_id: int | None
    project_id: int | None
    title: str
    topics: list[TopicLabelView]
    corrections: list[CorrectionView] = field(default_factory=list)


@dataclass(kw_only=True)
class ComparisonReport:
    """Everything the xlsx export holds: the matrix, each topic's tasks, targets, findings, changes."""

    matrix: MatrixView
    cells: list[CellView]
    targets: TargetsView
    consistency: list[ConsistencyView]
    changes: YearChangesView | None = None
