"""What the loop's use cases return: plain dataclasses for the API (and, later, the pages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# a target and its shares read alike in the registry and the loop
from eduplan.services.registry.views import PartView, TargetFigure
from eduplan.services.tracking.rules import Judgement


@dataclass(kw_only=True)
class ItemRef:
    """How a row names its work item: its task's number (任务 number) and title."""

    item_id: int
    number: str
    title: str


@dataclass(kw_only=True)
class ItemLabel(ItemRef):
    """How a row names its task: 任务 number and title, and the plan it belongs to."""

    plan_id: int
    plan_title: str


@dataclass(kw_only=True)
class AssignmentView:
    """A unit responsible for an item in a role, or words to be specified (待明确, `unit_id` None).

    `hint` is ``handdown`` when the words name districts (各县区): hand the task down instead."""

    id: int
    role: str
    state: str
    name: str
    unit_id: int | None
    unit_name: str | None
    hint: str | None = None


@dataclass(kw_only=True)
class ItemTargetView(TargetFigure):
    """A target reported on; `parent_id` is the city target a district's share comes from."""

    id: int
    parent_id: int | None
    parts: list[PartView] = field(default_factory=list)
    plausible_min: float | None = None
    plausible_max: float | None = None


@dataclass(kw_only=True)
class WorkItemView:
    """A task being carried out by one organisation, with its units, targets and deadline."""

    id: int
    plan_id: int
    tracked_id: int
    org_id: int
    org_name: str
    parent_id: int | None
    active: bool
    number: str
    title: str
    text: str
    deadline: date | None
    deadline_source: str | None
    deadline_text: str | None
    version: int
    updated_by: str
    assignments: list[AssignmentView]
    targets: list[ItemTargetView]
    children: list[int]
    to_be_specified: bool
    org_level: str = ""
    """The level of its organisation (city, county, school): what it may be handed down to."""


@dataclass(kw_only=True)
class CycleView:
    index: int
    start: date
    end: date
    due: date


@dataclass(kw_only=True)
class ScheduleView:
    """A plan's reporting schedule and its cycles."""

    plan_id: int
    cycle: str
    due_day: int
    starts_on: date
    ends_on: date
    version: int
    cycles: list[CycleView]
    items: int
    items_created: int = 0


@dataclass(kw_only=True)
class EvidenceView:
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


@dataclass(kw_only=True)
class ValueView:
    target_id: int
    actual: float


@dataclass(kw_only=True)
class ReportView:
    """A progress report (进展报告) of a unit for one cycle."""

    id: int
    item_id: int
    unit_id: int
    unit_name: str
    cycle: int
    state: str
    progress: str
    percent: float
    narrative: str
    review_note: str | None
    values: list[ValueView]
    evidence: list[EvidenceView]
    first_submitted_at: datetime | None
    version: int
    updated_by: str
    updated_at: datetime
    warnings: list[str] = field(default_factory=list)
    """What the value rules flag for the reviewer (a jump beyond 3× …); empty once accepted."""


@dataclass(kw_only=True)
class ItemStatus(ItemRef, Judgement):
    """A task's colour (红黄绿) with the figures behind it (its `Judgement`)."""

    org_id: int
    deadline: date | None
    missing_reports: int
    parent_id: int | None = None
    """The task this one was handed down from (下发)."""
    rolled_up: bool = False
    """Whether progress and light are rolled up from the tasks handed down from it (`levels`)."""


@dataclass
class CycleCell:
    """A unit's reports for one due cycle: slots, on time, late, missing."""

    cycle: int
    expected: int
    on_time: int
    late: int
    missing: int


@dataclass(kw_only=True)
class UnitCompleteness:
    """Reporting completeness (报送完成率) of one unit over the due cycles."""

    unit_id: int
    unit_name: str
    expected: int
    on_time: int
    late: int
    missing: int
    rate: float
    cycles: list[CycleCell]
    tier: str = ""
    """The group the unit is compared within (`levels.tier`): 市局科室, 直属单位, 县区 or 学校."""


@dataclass(kw_only=True)
class PlanStatus:
    """Every task's status and the units' completeness table, as of `today`."""

    plan_id: int
    today: date
    current_cycle: int | None
    due_cycles: int
    counts: dict[str, int]
    items: list[ItemStatus]
    units: list[UnitCompleteness]


@dataclass(kw_only=True)
class UrgeView:
    """催办 (yellow) or 督办 (red) of an item, or of one unit of it (`unit_id`)."""

    id: int
    item_id: int
    unit_id: int | None
    unit_name: str | None
    level: str
    state: str
    note: str
    due_on: date
    response: str | None
    issued_by: str
    issued_at: datetime
    escalated_at: datetime | None
    version: int
    signed_by: str | None = None
    """Who of the unit signed for it (签收, a person's name; issue 14); None: not yet."""
    signed_at: datetime | None = None


@dataclass(kw_only=True)
class RectificationView:
    """整改: a finding, its owner and deadline, the measures taken, evidence, sign-off (销号)."""

    id: int
    item_id: int
    urge_id: int | None
    unit_id: int
    unit_name: str
    finding: str
    deadline: date
    state: str
    measures: str
    review_note: str | None
    signed_off_by: str | None
    signed_off_at: datetime | None
    evidence: list[EvidenceView]
    version: int
