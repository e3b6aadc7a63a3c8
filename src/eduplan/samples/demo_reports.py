"""The demo's reporting history: progress reports for the cycles already past, 督办 and 整改.

For every task of the demo's annual plan and every unit assigned to it, each past cycle has a report
whose percent follows the year's 序时进度 (time elapsed) at the task's own pace, with actual values of
its targets.  Older cycles are accepted; the latest past cycle mixes accepted, submitted (waiting for
review, some late), one returned for revision and a few missing; the current cycle has drafts.  A few
reports carry a small Word file as evidence.  Office staff urge a missing report (催办) and put a
lagging task under 督办, answered by its unit; one unit has an open 整改 with evidence, submitted for
销号.  Deterministic: the same day gives the same data.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.demo_world import DISTRICT, DISTRICT_UNIT, DemoWorld
from eduplan.services.accounts import Principal
from eduplan.services.loop import (
    ReportInput,
    add_evidence,
    add_rectification_evidence,
    answer_urge,
    issue_urge,
    raise_rectification,
    review_report,
    save_report,
    submit_rectification,
    submit_report,
)
from eduplan.services.tracking import get_schedule, list_items
from eduplan.services.tracking.views import CycleView, WorkItemView

PACES = (1.0, 1.02, 1.05, 0.97, 1.1, 0.86, 1.0, 0.98, 1.08, 0.95, 0.6, 1.02)
"""Each task's pace against 序时进度, by position (0.6: a task clearly behind, for 督办)."""
NARRATIVES = (
    "召开专题推进会，细化责任分工和时间节点，{title}各项工作按计划推进。",
    "对照年度目标逐项调度，完成阶段性任务，{title}累计完成{percent}%。",
    "开展实地督查和问题梳理，形成问题清单并逐项整改，{title}稳步推进。",
)
RETURN_NOTE = "请补充本期具体完成数据，并上传相关佐证材料。"


def evidence_docx(title: str, cycle: int) -> bytes:
    """A small Word file: the meeting minutes (会议纪要) a unit attaches as evidence."""
    from docx import Document

    doc = Document()
    doc.add_heading(f"{title}推进会会议纪要", level=1)
    doc.add_paragraph(f"第{cycle + 1}期：会议听取了工作进展汇报，研究部署下一阶段重点任务。（示例材料）")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _percent(item_index: int, cycle: CycleView, year: int) -> float:
    start, end = date(year, 1, 1), date(year, 12, 31)
    elapsed = ((cycle.end - start).days + 1) / ((end - start).days + 1)
    return float(min(100, round(elapsed * 100 * PACES[item_index % len(PACES)])))


def _values(item: WorkItemView, percent: float) -> dict[int, float]:
    """Actual values of the item's targets at `percent` done (rates close in on their target)."""
    out: dict[int, float] = {}
    for t in item.targets:
        if t.unit == "%":
            out[t.id] = round(t.value * (0.9 + 0.1 * percent / 100), 1)
        else:
            out[t.id] = float(round(t.value * percent / 100))
    return out


def _input(item: WorkItemView, index: int, cycle: CycleView, year: int) -> ReportInput:
    percent = _percent(index, cycle, year)
    progress = "done" if percent >= 100 else "in_progress"
    narrative = NARRATIVES[(index + cycle.index) % len(NARRATIVES)].format(
        title=item.title, percent=int(percent)
    )
    return ReportInput(progress, percent, narrative, _values(item, percent))


def _at(day: date) -> datetime:
    """A moment of that day's working hours (UTC of 10:00 in 示例市)."""
    return datetime.combine(day, time(2, 0), tzinfo=UTC)


class _Filler:
    """Writes one report through the whole workflow, counting what it made."""

    def __init__(self, sessions: SessionFactory, settings: Settings, world: DemoWorld, today: date) -> None:
        self.sessions, self.settings, self.world, self.today = sessions, settings, world, today
        self.office = world.principals["office"]
        self.by_unit = {p.unit_id: p for p in world.principals.values() if p.role == "reporter"}
        self.counts: dict[str, int] = {
            "reports": 0,
            "accepted": 0,
            "submitted": 0,
            "returned": 0,
            "drafts": 0,
            "late": 0,
            "missing": 0,
            "evidence": 0,
        }

    def report(
        self,
        item: WorkItemView,
        unit_id: int,
        data: ReportInput,
        cycle: CycleView,
        outcome: str,
        late: bool = False,
        evidence: bool = False,
    ) -> int:
        """Save (and unless a draft, submit; then accept or return) one unit's report of a cycle."""
        reporter = self.by_unit[unit_id]
        r = save_report(self.sessions, reporter, item.id, unit_id, cycle.index, data, None, self.today)
        self.counts["reports"] += 1
        if evidence:
            add_evidence(
                self.sessions,
                self.settings,
                reporter,
                r.id,
                f"{item.title}推进会纪要.docx",
                evidence_docx(item.title, cycle.index),
            )
            self.counts["evidence"] += 1
        if outcome == "draft":
            self.counts["drafts"] += 1
            return r.id
        sent = (
            cycle.due + timedelta(days=3) if late else cycle.due - timedelta(days=(item.id + cycle.index) % 4)
        )
        r = submit_report(self.sessions, reporter, r.id, r.version, _at(min(sent, self.today)))
        self.counts["late"] += late
        if outcome == "accepted":
            r = review_report(self.sessions, self.office, r.id, "accept", r.version)
        elif outcome == "returned":
            r = review_report(self.sessions, self.office, r.id, "return", r.version, RETURN_NOTE)
        self.counts[outcome] += 1
        return r.id


def _latest_outcome(k: int) -> tuple[str, bool]:
    """(outcome, late) of the k-th report of the latest past cycle: a realistic mix."""
    if k == 3:
        return "returned", False
    return {0: ("missing", False), 1: ("submitted", True), 2: ("submitted", False)}.get(
        k % 6, ("accepted", False)
    )


def fill_reports(
    sessions: SessionFactory, settings: Settings, world: DemoWorld, today: date
) -> dict[str, int]:
    """Reports of the past cycles, the current cycle's drafts, urges and a rectification."""
    system = Principal.system()
    schedule = get_schedule(sessions, system, world.plan_id)
    past = [c for c in schedule.cycles if c.due < today]
    current = next((c for c in schedule.cycles if c.start <= today <= c.end), None)
    items = [i for i in list_items(sessions, system, world.plan_id) if i.parent_id is None]  # not 下发
    pairs = [
        (i, item, a.unit_id)
        for i, item in enumerate(items)
        for a in item.assignments
        if a.state == "assigned" and a.unit_id is not None
    ]
    fill = _Filler(sessions, settings, world, today)
    for cycle in past[:-1]:
        for k, (i, item, unit_id) in enumerate(pairs):
            late = (k + cycle.index) % 17 == 0
            fill.report(item, unit_id, _input(item, i, cycle, world.year), cycle, "accepted", late)
    missing: list[tuple[WorkItemView, int, CycleView]] = []
    if past:
        last = past[-1]
        for k, (i, item, unit_id) in enumerate(pairs):
            outcome, late = _latest_outcome(k)
            if outcome == "missing":
                missing.append((item, unit_id, last))
                fill.counts["missing"] += 1
                continue
            data = _input(item, i, last, world.year)
            fill.report(item, unit_id, data, last, outcome, late, evidence=k % 4 == 2)
    if current is not None and current not in past:  # its reports are not due yet: drafts
        for i, item, unit_id in pairs[:2]:
            fill.report(item, unit_id, _input(item, i, current, world.year), current, "draft")
    _district_report(fill, past)
    fill.counts |= _supervise(sessions, settings, world, today, items, missing)
    return fill.counts


def _district_report(fill: _Filler, past: list[CycleView]) -> None:
    """甲区's unit reports on the key projects handed down to it (latest past cycle, submitted)."""
    if not past:
        return
    unit_id = fill.world.units[f"{DISTRICT}{DISTRICT_UNIT[0]}"]
    reporter = fill.by_unit[unit_id]
    [child] = list_items(fill.sessions, reporter, fill.world.projects_plan_id)
    data = _input(child, 0, past[-1], fill.world.year)
    data.narrative = "区级重点项目已全部完成立项，3个项目开工建设。"
    fill.report(child, unit_id, data, past[-1], "submitted")


def _supervise(
    sessions: SessionFactory,
    settings: Settings,
    world: DemoWorld,
    today: date,
    items: list[WorkItemView],
    missing: list[tuple[WorkItemView, int, CycleView]],
) -> dict[str, int]:
    """催办 a missing report; 督办 the task furthest behind, answered; one 整改 submitted for 销号."""
    office = world.principals["office"]
    by_unit = {p.unit_id: p for p in world.principals.values() if p.role == "reporter"}
    urges = rectifications = 0
    if missing:
        item, unit_id, cycle = missing[0]
        note = f"第{cycle.index + 1}期进展报告未按时报送，请于3日内补报"
        issue_urge(sessions, office, item.id, note, today + timedelta(days=3), unit_id, "yellow")
        urges += 1
    slow = [
        item
        for i, item in enumerate(items)
        if PACES[i % len(PACES)] < 0.8 and any(a.state == "assigned" and a.unit_id for a in item.assignments)
    ]
    for item in slow[:1]:
        unit_id = next(a.unit_id for a in item.assignments if a.state == "assigned" and a.unit_id)
        note = f"“{item.title}”进度明显滞后于序时进度，请说明原因并提出赶超措施"
        urge = issue_urge(sessions, office, item.id, note, today + timedelta(days=5), unit_id, "red")
        answer_urge(
            sessions,
            by_unit[unit_id],
            urge.id,
            "已召开专题会议分析原因，制定赶超计划，月底前追上序时进度。",
            urge.version,
        )
        urges += 1
        finding = "专项检查发现部分学校工作台账不完整、进度数据未及时更新"
        rect = raise_rectification(
            sessions, office, item.id, unit_id, finding, today + timedelta(days=30), urge.id
        )
        reporter = by_unit[unit_id]
        add_rectification_evidence(
            sessions, settings, reporter, rect.id, "整改情况说明.docx", evidence_docx(item.title, 0)
        )
        submit_rectification(
            sessions, reporter, rect.id, "已逐校核查台账并补齐数据，建立每月更新制度。", rect.version
        )
        rectifications += 1
    return {"urges": urges, "rectifications": rectifications}
