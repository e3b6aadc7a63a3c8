"""A plan shaped as the document reads, for the pages: cover, chapters → tasks (number, title, text
with each target marked where it stands, 牵头/配合 units, deadline, sub-items, the parser's
warnings beside the task they concern), 专栏 key projects and indicator tables.

`outline(plan)` is pure (a domain `Plan` in, dataclasses out) and serves both the import preview
(`/plans/import/{draft}`) and the plan page (`/plans/{id}`), which adds what the registry and the
loop know (work items, lights, stored topics).  Text is kept as plain segments (`Segment`): the
templates mark targets with ``<span class="target">`` and escape everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from eduplan import domain
from eduplan.choices import COMPARATOR_SIGNS as COMPARATOR_WORDS
from eduplan.choices import PLAN_KIND_LABELS as KIND_LABELS
from eduplan.services.registry.views import TargetFigure, TaskAsWritten, TopicRef, topic_ref
from eduplan.services.view_rows import from_row

_LINE = re.compile(r"^第(\d+)行")
_ITEM = re.compile(r"^第\d+行（第([^）]{1,20})条）")


def fmt(value: float | None) -> str:
    """3200, 95.5 (no trailing .0); — for none."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(kw_only=True)
class Segment:
    """A run of a task's text; `target` is the index of the target it is (None: plain text)."""

    text: str
    target: int | None = None


@dataclass(kw_only=True)
class TargetLine(TargetFigure):
    index: int
    parts: list[str] = field(default_factory=list)
    corrected: bool = False

    @property
    def summary(self) -> str:
        """≥95%, 介于 3–5 所, 3200个 …"""
        if self.comparator == "between":
            return f"{fmt(self.value)}–{fmt(self.value_max)}{self.unit}"
        return f"{COMPARATOR_WORDS.get(self.comparator, '')}{fmt(self.value)}{self.unit}"


@dataclass(kw_only=True)
class TaskLine(TaskAsWritten):
    """One task of the outline (`index`: its place in document order)."""

    index: int
    segments: list[Segment]
    units_text: str | None
    deadline_text: str | None
    subitems: list[str]
    targets: list[TargetLine]
    warnings: list[str] = field(default_factory=list)
    topics: list[TopicRef] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    item_id: int | None = None
    tracked_id: int | None = None
    light: str | None = None
    light_reasons: list[str] = field(default_factory=list)
    change: str | None = None

    @property
    def all_units(self) -> list[str]:
        return list(dict.fromkeys([*self.lead_units, *self.support_units, *self.units]))

    @property
    def summary(self) -> str:
        """The text after the title (the body shown in the collapsible part)."""
        body = self.text
        if body.startswith(self.title):
            body = body[len(self.title) :].lstrip("。；;，, ")
        return body


@dataclass(kw_only=True)
class ChapterLine:
    number: str
    title: str
    text: str
    tasks: list[TaskLine]


@dataclass(kw_only=True)
class ProjectLine:
    number: str | None
    title: str
    text: str


@dataclass(kw_only=True)
class ColumnBox:
    """A 专栏 box and its key projects."""

    number: int
    title: str
    chapter: str | None
    projects: list[ProjectLine]


@dataclass(kw_only=True)
class IndicatorLine:
    label: str
    group: str | None
    unit: str | None
    attribute: str | None
    values: list[float | None]


@dataclass(kw_only=True)
class IndicatorBox:
    """An indicator table: its year columns (2020, 2025 …) and rows with 预期性/约束性."""

    title: str
    keys: list[str]
    rows: list[IndicatorLine]
    note: str | None


@dataclass(kw_only=True)
class Cover:
    """What the document says about itself (文号, 发文单位, 印发日期)."""

    title: str
    place: str | None
    kind: str
    kind_label: str
    year: int | None
    period: list[int] | None
    issuer: list[str]
    doc_number: str | None
    issued_on: date | None
    toc: list[str]


@dataclass(kw_only=True)
class Outline:
    cover: Cover
    chapters: list[ChapterLine]
    columns: list[ColumnBox]
    indicators: list[IndicatorBox]
    warnings: list[str]
    """Warnings that concern no particular task (the others sit beside their task)."""
    task_count: int


def segments(text: str, targets: list[domain.Target]) -> list[Segment]:
    """`text` split so that each target's own words (`Target.text`) stand apart, in order."""
    out: list[Segment] = []
    at = 0
    for k, t in enumerate(targets):
        if not t.text:
            continue
        found = text.find(t.text, at)
        if found < 0:
            found = text.find(t.text)
            if found < at:  # overlapping or missing: not marked twice
                continue
        if found > at:
            out.append(Segment(text=text[at:found]))
        out.append(Segment(text=t.text, target=k))
        at = found + len(t.text)
    if at < len(text):
        out.append(Segment(text=text[at:]))
    return out


def _target_line(k: int, t: domain.Target, corrected: bool) -> TargetLine:
    parts = [f"{p.label} {fmt(p.value)}{p.unit or ''}" for p in t.parts]
    return from_row(TargetLine, t, index=k, parts=parts, corrected=corrected)


def _warnings_by_task(plan: domain.Plan) -> tuple[dict[int, list[str]], list[str]]:
    """Each warning that names a line (第12行：…) goes to the task that line belongs to."""
    starts = [(t.line or 0, k) for k, (_, t) in enumerate(plan.tasks()) if t.line is not None]
    starts.sort()
    by_task: dict[int, list[str]] = {}
    general: list[str] = []
    for w in plan.warnings:
        m = _LINE.match(w)
        owner = _named_item(plan, w, int(m.group(1))) if m else None
        if owner is None and m and starts:
            line = int(m.group(1))
            owner = next((k for start, k in reversed(starts) if start <= line), None)
        if owner is None:
            general.append(w)
        else:
            by_task.setdefault(owner, []).append(w)
    return by_task, general


def _named_item(plan: domain.Plan, warning: str, line: int) -> int | None:
    """The task a warning names by number on its line (第76行（第29条）), which a split keeps apart
    from the half that shares the line."""
    m = _ITEM.match(warning)
    if not m:
        return None
    return next(
        (k for k, (_, t) in enumerate(plan.tasks()) if t.number == m.group(1) and t.line == line), None
    )


def _corrected_targets(task: domain.Task, fix: dict[str, object]) -> set[str]:
    """Which of a corrected task's targets staff changed or added (`draft_targets`' shape)."""
    deleted = fix.get("deleted_targets") or []
    edited = fix.get("targets") or {}
    added = fix.get("added_targets") or []
    assert isinstance(deleted, list) and isinstance(edited, dict) and isinstance(added, list)
    out = {int(k) - sum(1 for d in deleted if int(d) < int(k)) for k in edited if int(k) not in deleted}
    return {str(k) for k in out | set(range(len(task.targets) - len(added), len(task.targets)))}


def outline(
    plan: domain.Plan,
    corrected: dict[str, dict[str, object]] | None = None,
    topics: dict[int, list[str]] | None = None,
) -> Outline:
    """The document-shaped view of `plan`; `corrected` (draft corrections by task index) marks what
    staff changed; `topics` (task index → topic ids) overrides the labels the parser gave."""
    corrected = corrected or {}
    warned, general = _warnings_by_task(plan)
    chapters: list[ChapterLine] = []
    index = 0
    for ch in plan.chapters:
        lines = []
        for task in ch.items:
            fix = corrected.get(str(index), {})
            fixed_targets = _corrected_targets(task, fix)
            ids = topics.get(index) if topics is not None else [x.id for x in task.topics]
            lines.append(
                from_row(
                    TaskLine,
                    task,
                    index=index,
                    chapter=ch.number,
                    segments=segments(task.text, task.targets),
                    lead_units=list(task.lead_units),
                    support_units=list(task.support_units),
                    units=list(task.units),
                    subitems=[f"{s.number} {s.title}".strip() for s in task.subitems],
                    targets=[_target_line(k, t, str(k) in fixed_targets) for k, t in enumerate(task.targets)],
                    warnings=warned.get(index, []),
                    topics=[topic_ref(i) for i in ids or []],
                    corrected=[k for k in fix if k != "targets"] + (["targets"] if fixed_targets else []),
                )
            )
            index += 1
        chapters.append(ChapterLine(number=ch.number, title=ch.title, text=ch.text, tasks=lines))
    columns = [
        from_row(ColumnBox, c, projects=[from_row(ProjectLine, p) for p in c.projects]) for c in plan.columns
    ]
    indicators = []
    for tab in plan.indicator_tables:
        keys = list(dict.fromkeys(k for r in tab.rows for k in r.values))
        rows = [from_row(IndicatorLine, r, values=[r.values.get(k) for k in keys]) for r in tab.rows]
        indicators.append(IndicatorBox(title=tab.title, keys=keys, rows=rows, note=tab.note))
    cover = from_row(
        Cover,
        plan,
        kind_label=KIND_LABELS.get(plan.kind, plan.kind),
        period=list(plan.period) if plan.period else None,
        issuer=list(plan.issuer),
        toc=[f"{e.number or ''} {e.title}".strip() for e in plan.toc],
    )
    return Outline(
        cover=cover,
        chapters=chapters,
        columns=columns,
        indicators=indicators,
        warnings=general,
        task_count=index,
    )
