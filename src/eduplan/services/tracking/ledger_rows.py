"""The 台账 with current progress (工作台账·进展): one row per task of an open plan, as of a day —
its chapter, text, responsible units (责任单位), targets with the actual values reported, deadline,
light (红黄绿灯) with the figures behind it (序时进度, progress, lag, overdue) and, per unit, the
narrative of its latest submitted or accepted report.

Built on `plan_status` (colours and completeness follow the same rules as everywhere else) plus a
fixed handful of column queries (tasks with their chapters, assignments, targets, the latest
reports and their values): the number of queries does not grow with tasks, units or reports.
Scoped like the status: a reporter gets its unit's tasks, and only its own unit's reports.
Targets are written as stored (subject, comparator, value, unit — a value corrected before the
import shows corrected), not as the document's words.
Limits: actual values are the highest any unit reported (as the status rules take them), and a
report's narrative is shown as written (no summarising).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from eduplan.choices import LIGHT_LABELS as LIGHT_WORDS
from eduplan.choices import amount_text
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.db.plans import PlanVersion
from eduplan.db.reports import ProgressReport, ReportValue
from eduplan.db.work import Assignment, ItemTarget, ReportingSchedule, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking import views as v
from eduplan.services.tracking.facts import COUNTED, REPORT_COLUMNS
from eduplan.services.tracking.items import latest_tasks
from eduplan.services.tracking.measures import Measures, counted_items, measure
from eduplan.services.tracking.plans import readable_plan
from eduplan.services.tracking.rules import Judgement
from eduplan.services.tracking.status import plan_status
from eduplan.services.view_rows import from_row

ROLE_WORDS = {"lead": "牵头", "support": "配合"}


@dataclass(kw_only=True)
class TargetProgress:
    """A target (量化目标) and the actual value reported against it (None: nothing yet)."""

    target_id: int
    text: str
    """The target as stored (corrections included): ``新增学位≥3600个`` — not the document's words."""
    comparator: str
    value: float
    unit: str
    actual: float | None


@dataclass(kw_only=True)
class UnitReport:
    """A responsible unit's latest submitted or accepted report on a task (None fields: none yet)."""

    unit_id: int
    unit_name: str
    cycle: int | None
    state: str | None
    progress: str | None
    percent: float | None
    narrative: str


@dataclass(kw_only=True)
class LedgerRow(v.ItemRef, Judgement):
    """One task of the ledger with its current progress (its `Judgement`, `light` its colour in words)."""

    chapter: str
    text: str
    units: list[str]
    """Responsible units as written for people: ``牵头：A``, ``配合：B``, ``C``, or words 待明确."""
    targets: list[TargetProgress]
    deadline: date | None
    light: str
    done: bool
    missing_reports: int
    reports: list[UnitReport] = field(default_factory=list)
    counted: bool = True
    """One of the plan's own tasks (`measures.counted_items`); False: a child handed down to a district."""


@dataclass(kw_only=True)
class ProgressLedger:
    """The ledger of a plan as of a day, with the status counts and the units' completeness."""

    plan_id: int
    title: str
    org_name: str
    issuer: str
    """Who issues papers about the plan: the issuing 教育局 of its latest version, else the organisation."""
    doc_number: str | None
    as_of: date
    cycle_kind: str
    current_cycle: int | None
    due_cycles: int
    counts: dict[str, int]
    rows: list[LedgerRow]
    units: list[v.UnitCompleteness]
    measures: Measures = field(default_factory=lambda: Measures.of(0, 0, 0.0))
    """任务, 完成 and 平均进度 of the rows (`loop.measures`), as of the ledger's day."""


BUREAU_ENDINGS = ("教育局", "教育厅", "教育委员会", "教委", "教育和体育局", "教育体育局")


def bureau_of(issuers: list[str], org_name: str) -> str:
    """Who issues a bulletin: the education bureau (长春市教育局), never the city alone — the plan's
    issuer that is a bureau, else the organisation's bureau (长春市 → 长春市教育局)."""
    found = next((i for i in issuers if i.endswith(BUREAU_ENDINGS)), None)
    if found:
        return found
    if org_name.endswith(BUREAU_ENDINGS):
        return org_name
    return f"{org_name}教育局"


def stored_target_text(
    subject: str, comparator: str, value: float, value_max: float | None, unit: str
) -> str:
    """A target as the registry holds it: ``新增学位3200个``, ``毛入园率≥95%``, ``新建学校介于3–5所``."""
    return f"{subject}{amount_text(comparator, value, value_max, unit)}"


def _chapter_label(number: str, title: str) -> str:
    return f"{number}、{title}" if number else title


def _unit_words(rows: list[Any]) -> list[str]:
    """Plain units one each; 牵头 and 配合 units grouped behind their role (``配合：A、B``)."""
    out: list[str] = []
    grouped: dict[str, list[str]] = {}
    for a in rows:
        name = a.unit_name if a.state == "assigned" and a.unit_name else f"{a.name}（待明确）"
        role = ROLE_WORDS.get(a.role)
        if role is None:
            out.append(name)
            continue
        if role not in grouped:
            grouped[role] = []
            out.append(role)  # placeholder, filled below in order of first appearance
        grouped[role].append(name)
    return [f"{w}：{'、'.join(grouped[w])}" if w in grouped else w for w in out]


def units_text(units: list[str]) -> str:
    """The units of a row on one line: ``牵头：A；配合：B、C`` or ``A、B``."""
    return ("；" if any("：" in u for u in units) else "、").join(units)


def progress_ledger(
    sessions: SessionFactory, settings: Settings, actor: Principal, plan_id: int, today: date
) -> ProgressLedger:
    """The 台账 of a plan open for reporting, with every visible task's progress as of `today`."""
    status = plan_status(sessions, settings, actor, plan_id, today)
    ids = [s.item_id for s in status.items]
    own_unit = actor.unit_id if actor.role == "reporter" else None
    with sessions() as session:
        plan = readable_plan(session, actor, plan_id)
        org_name = plan.organisation.name
        version = session.execute(
            select(PlanVersion.issuer, PlanVersion.doc_number)
            .where(PlanVersion.plan_id == plan.id)
            .order_by(PlanVersion.number.desc())
            .limit(1)
        ).first()
        kind = session.scalars(
            select(ReportingSchedule.cycle).where(ReportingSchedule.plan_id == plan.id)
        ).first()
        conn = session.connection()
        items = {
            r.id: r
            for r in conn.execute(
                select(WorkItem.id, WorkItem.tracked_id, counted_items(actor).label("counted")).where(
                    WorkItem.id.in_(ids)
                )
            )
        }
        texts = latest_tasks(session, {r.tracked_id for r in items.values()}, chapters=True)
        assignments: dict[int, list[Any]] = defaultdict(list)
        for a in conn.execute(
            select(
                Assignment.item_id,
                Assignment.unit_id,
                Assignment.role,
                Assignment.state,
                Assignment.name,
                Unit.name.label("unit_name"),
            )
            .outerjoin(Unit, Assignment.unit_id == Unit.id)
            .where(Assignment.item_id.in_(ids))
            .order_by(Assignment.item_id, Assignment.position)
        ):
            assignments[a.item_id].append(a)
        targets: dict[int, list[Any]] = defaultdict(list)
        for t in conn.execute(
            select(
                ItemTarget.id,
                ItemTarget.item_id,
                ItemTarget.text,
                ItemTarget.subject,
                ItemTarget.comparator,
                ItemTarget.value,
                ItemTarget.value_max,
                ItemTarget.unit,
            )
            .where(ItemTarget.item_id.in_(ids))
            .order_by(ItemTarget.item_id, ItemTarget.position)
        ):
            targets[t.item_id].append(t)
        latest: dict[tuple[int, int], Any] = {}
        for r in conn.execute(
            select(*REPORT_COLUMNS, ProgressReport.narrative).where(
                ProgressReport.item_id.in_(ids), ProgressReport.state.in_(COUNTED)
            )
        ):
            key = (r.item_id, r.unit_id)
            if own_unit is not None and r.unit_id != own_unit:
                continue
            if key not in latest or latest[key].cycle < r.cycle:
                latest[key] = r
        best: dict[int, float] = {}
        report_ids = [r.id for r in latest.values()]
        if report_ids:
            for target_id, actual in conn.execute(
                select(ReportValue.target_id, ReportValue.actual).where(ReportValue.report_id.in_(report_ids))
            ):
                best[target_id] = max(actual, best.get(target_id, actual))
    rows = []
    for s in status.items:
        text = texts.get(items[s.item_id].tracked_id) if s.item_id in items else None
        assigned = [a for a in assignments[s.item_id] if a.state == "assigned" and a.unit_id is not None]
        reports = []
        for a in assigned:
            if own_unit is not None and a.unit_id != own_unit:
                continue
            got = latest.get((s.item_id, a.unit_id))
            reports.append(
                UnitReport(
                    unit_id=a.unit_id,
                    unit_name=a.unit_name or a.name,
                    cycle=got.cycle if got else None,
                    state=got.state if got else None,
                    progress=got.progress if got else None,
                    percent=got.percent if got else None,
                    narrative=got.narrative if got else "",
                )
            )
        done = bool(reports) and all(r.progress == "done" for r in reports)
        rows.append(
            from_row(
                LedgerRow,
                s,
                chapter=_chapter_label(text.chapter_number, text.chapter_title) if text else "",
                text=text.text if text else "",
                units=_unit_words(assignments[s.item_id]),
                targets=[
                    TargetProgress(
                        target_id=t.id,
                        text=stored_target_text(t.subject, t.comparator, t.value, t.value_max, t.unit),
                        comparator=t.comparator,
                        value=t.value,
                        unit=t.unit,
                        actual=best.get(t.id),
                    )
                    for t in targets[s.item_id]
                ],
                light=LIGHT_WORDS[s.colour],
                done=done,
                reports=reports,
                counted=bool(items[s.item_id].counted) if s.item_id in items else True,
            )
        )
    issuers = list(version.issuer or []) if version else []
    issuer = bureau_of(issuers, org_name)
    return ProgressLedger(
        plan_id=plan.id,
        title=plan.title,
        org_name=org_name,
        issuer=issuer,
        doc_number=version.doc_number if version else None,
        as_of=today,
        cycle_kind=kind or "",
        current_cycle=status.current_cycle,
        due_cycles=status.due_cycles,
        counts=status.counts,
        rows=rows,
        units=status.units,
        measures=ledger_measures(rows),
    )


def ledger_measures(rows: list[LedgerRow]) -> Measures:
    """任务, 完成 and 平均进度 of a ledger's own tasks, by `measures.measure` from their units' reports."""
    return measure([(r.percent, r.progress == "done") for r in row.reports] for row in rows if row.counted)
