"""The historical reports a 台账 brings in: which unit reports what for which cycle, checked by the
value rules, and written in the import's transaction.

`plan_reports` turns the progress the ledger states (`parsing.ledger_sheet.ProgressEntry`) into one
report per (task, unit, cycle): a period column goes to the cycle that holds the period's last day
(1月进展 → January's cycle on a monthly schedule; on a quarterly one March's column wins the first
quarter), a single 进展情况 column to the cycle of the ledger's date (截至…, else today), and
eduplan's own ``第4期`` to that cycle.  A period not yet begun, or outside the schedule, is a row
problem.  A percent not stated carries the unit's previous one forward (0 at first).

`write_reports` (inside the caller's transaction) checks each report as the report service does
(`value_rules.status_problems` and `check_values` against the last accepted values, the ledger's own
earlier periods included): an error skips that report and is listed with its row; warnings are kept.
Reports are written accepted (or as the export states: 已报送 stays submitted), dated on their
cycle's due day, authored by the importing user and audited one entry each; a report already there
is updated when the ledger says something else, and a unit's draft or returned report (work in
progress) is never overwritten.  The slot summaries and rollups are rebuilt for the plan at the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from eduplan.db.reports import ProgressReport, ReportValue
from eduplan.db.work import Assignment, ItemTarget, WorkItem
from eduplan.parsing.ledger_sheet import LedgerReading, RowProblem
from eduplan.parsing.units import is_group_word
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import AuditRow, record, record_many
from eduplan.services.loop.reports import report_snapshot, set_values
from eduplan.services.tracking.ledger_rows import stored_target_text
from eduplan.services.tracking.schedule import Cycle, cycle_at
from eduplan.services.tracking.value_rules import TargetFacts, check_values, status_problems

WORK_IN_PROGRESS = ("draft", "returned")


@dataclass
class PlannedReport:
    """One report the ledger brings: the task (index), the unit as written (None: its default
    unit), the cycle, and what it says."""

    row: int
    task: int
    unit: str | None
    period: str
    cycle: int
    state: str
    progress: str
    percent: float
    narrative: str
    actuals: list[tuple[str, float]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stated: bool = True
    """Whether the ledger states the percent (else it was carried forward from the last period)."""


def default_unit(lead: list[str], units: list[str]) -> str | None:
    """The unit a progress cell without unit names is reported by: the first lead (牵头) unit,
    else the first responsible unit; group words (局各科室) name none."""
    return next((u for u in [*lead, *units] if not is_group_word(u)), None)


def _cycle_of(
    reading: LedgerReading, period: Any, stated: int | None, cycles: list[Cycle], year: int, as_of: date
) -> Cycle | None:
    if stated is not None and 0 <= stated < len(cycles):
        return cycles[stated]
    day = period.end(year, as_of)
    found = cycle_at(cycles, day)
    if found is None and period.kind == "single" and cycles and day > cycles[-1].end:
        found = cycles[-1]
    return found


def plan_reports(
    reading: LedgerReading, cycles: list[Cycle], year: int, today: date
) -> tuple[list[PlannedReport], list[RowProblem]]:
    """The reports of the ledger's progress on a schedule's `cycles`, and the rows left out."""
    tasks = [t for _, t in reading.plan.tasks()]
    as_of = min(reading.as_of or today, today)
    out: dict[tuple[int, str | None, int], PlannedReport] = {}
    problems: list[RowProblem] = []
    last_percent: dict[tuple[int, str | None], float] = {}
    for entry in reading.entries:
        task = tasks[entry.task]
        fallback = default_unit(task.lead_units, task.units)
        for k, said in enumerate(entry.reports):
            cycle = _cycle_of(reading, entry.period, said.cycle, cycles, year, as_of)
            label = entry.period.label
            if cycle is None:
                span = f"{cycles[0].start}–{cycles[-1].end}" if cycles else "无"
                problems.append(RowProblem(entry.row, f"“{label}”不在报送周期内（{span}），该期进展未导入"))
                continue
            if cycle.start > today:
                problems.append(
                    RowProblem(entry.row, f"“{label}”（第{cycle.index + 1}期）尚未开始，该期进展未导入")
                )
                continue
            unit = said.unit or fallback
            if unit is None:
                problems.append(
                    RowProblem(entry.row, f"任务“{task.title}”没有明确的责任单位（待明确），进展未导入")
                )
                continue
            key = (entry.task, unit)
            percent = said.percent if said.percent is not None else last_percent.get(key, 0.0)
            progress = said.progress
            if progress == "done":
                percent = 100.0
            elif progress == "not_started" and percent:
                progress = "in_progress"
            elif percent >= 100:
                progress = "done"
            last_percent[key] = percent
            out[(entry.task, unit, cycle.index)] = PlannedReport(
                entry.row,
                entry.task,
                unit,
                label,
                cycle.index,
                said.state,
                progress,
                percent,
                said.text,
                list(entry.actuals) if k == 0 else [],
                stated=said.percent is not None or progress == "done",
            )
    return sorted(out.values(), key=lambda p: (p.task, p.unit or "", p.cycle)), problems


def match_target(text: str, targets: list[tuple[int, str, str, str]]) -> int | None:
    """The target an actuals line names: by its stored text, its words, or its subject; the only
    target when there is one.  `targets` are (id, stored text, document words, subject)."""
    for tid, stored, words, _ in targets:
        if text in (stored, words):
            return tid
    for tid, _, _, subject in targets:
        if subject and subject in text:
            return tid
    return targets[0][0] if len(targets) == 1 else None


def facts_of(targets: list[ItemTarget]) -> list[TargetFacts]:
    return [TargetFacts.of(t) for t in targets]


def target_keys(targets: list[ItemTarget]) -> list[tuple[int, str, str, str]]:
    return [
        (t.id, stored_target_text(t.subject, t.comparator, t.value, t.value_max, t.unit), t.text, t.subject)
        for t in targets
    ]


def checked_values(
    p: PlannedReport,
    facts: list[TargetFacts],
    keys: list[tuple[int, str, str, str]],
    previous: dict[int, float],
) -> tuple[dict[int, float], str | None]:
    """The report's target values and the first error of the value rules (None: it may be saved);
    warnings are added to `p.warnings`."""
    problem = status_problems(p.progress, p.percent)
    if problem:
        return {}, next(iter(problem.values()))
    values: dict[int, float] = {}
    for text, actual in p.actuals:
        tid = match_target(text, keys)
        if tid is None:
            p.warnings.append(f"目标完成情况“{text}”对不上该任务的量化目标，未导入该值")
        else:
            values[tid] = actual
    found = check_values(facts, values, previous, p.narrative)
    errors = [f.message for f in found if f.level == "error"]
    p.warnings += [f.message for f in found if f.level == "warning"]
    return values, ("；".join(errors) if errors else None)


def _unit_ids(assignments: list[Assignment], names: dict[int, str]) -> dict[str, int]:
    """Name → unit of an item's assigned units (by the name written in the plan and by the unit's own)."""
    out: dict[str, int] = {}
    for a in assignments:
        if a.state == "assigned" and a.unit_id is not None:
            out.setdefault(a.name, a.unit_id)
            out.setdefault(names.get(a.unit_id, a.name), a.unit_id)
    return out


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    """Reports left alone because a unit is still working on them (draft, returned)."""


def _moment(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(10, 0), zone)


def write_reports(
    session: Session,
    actor: Principal,
    items: list[WorkItem | None],
    unit_names: dict[int, str],
    planned: list[PlannedReport],
    cycles: list[Cycle],
    zone: ZoneInfo,
    problems: list[RowProblem],
) -> WriteCounts:
    """Write the planned reports of the items (`items[task index]`, None: no work item) in the
    caller's transaction; problems found by the rules are appended to `problems`."""
    ids = [i.id for i in items if i is not None]
    existing = {
        (r.item_id, r.unit_id, r.cycle): r
        for r in session.scalars(
            select(ProgressReport)
            .where(ProgressReport.item_id.in_(ids))
            .options(selectinload(ProgressReport.values))
        )
    }
    accepted: dict[tuple[int, int], list[tuple[int, dict[int, float]]]] = defaultdict(list)
    for r in existing.values():
        if r.state == "accepted":
            accepted[(r.item_id, r.unit_id)].append((r.cycle, {v.target_id: v.actual for v in r.values}))
    counts = WriteCounts()
    audits: list[tuple[ProgressReport, dict[str, Any] | None, str, int]] = []
    new_rows: list[NewReport] = []
    with session.no_autoflush:  # thousands of reports: one flush at the end, no lazy loads
        for p in planned:
            _write_one(
                session,
                actor,
                p,
                items[p.task],
                unit_names,
                existing,
                accepted,
                cycles,
                zone,
                problems,
                counts,
                audits,
                new_rows,
            )
    session.flush()
    for report, before, action, org_id in audits:
        after = report_snapshot(report) | {"source": "ledger"}
        record(session, actor, action, "report", report.id, report.item_id, org_id, before, after)
    _insert_new(session, actor, new_rows)
    return counts


NewReport = tuple[dict[str, Any], dict[int, float], int]
"""A report to create: its row, its target values, its item's organisation."""


def _insert_new(session: Session, actor: Principal, new_rows: list[NewReport]) -> None:
    """Create reports in bulk (a ledger brings thousands: ORM objects one by one cost seconds), with
    their values and one audit entry each, as `report_snapshot` writes it."""
    if not new_rows:
        return
    ids = session.scalars(
        insert(ProgressReport).returning(ProgressReport.id, sort_by_parameter_order=True),
        [r for r, _, _ in new_rows],
    ).all()
    values = [
        {"report_id": rid, "target_id": t, "actual": a}
        for rid, (_, v, _) in zip(ids, new_rows, strict=True)
        for t, a in v.items()
    ]
    if values:
        session.execute(insert(ReportValue), values)
    entries: list[AuditRow] = []
    for rid, (row, v, org_id) in zip(ids, new_rows, strict=True):
        after = {
            "version": 1,
            "state": row["state"],
            "progress": row["progress"],
            "percent": row["percent"],
            "narrative": row["narrative"],
            "review_note": None,
            "values": {str(t): v[t] for t in sorted(v)},
            "source": "ledger",
        }
        entries.append(("create", "report", rid, row["item_id"], org_id, None, after))
    record_many(session, actor, entries)


def _write_one(
    session: Session,
    actor: Principal,
    p: PlannedReport,
    item: WorkItem | None,
    unit_names: dict[int, str],
    existing: dict[tuple[int, int, int], ProgressReport],
    accepted: dict[tuple[int, int], list[tuple[int, dict[int, float]]]],
    cycles: list[Cycle],
    zone: ZoneInfo,
    problems: list[RowProblem],
    counts: WriteCounts,
    audits: list[tuple[ProgressReport, dict[str, Any] | None, str, int]],
    new_rows: list[NewReport],
) -> None:
    """Check one planned report and create or update it (nothing when refused, kept or the same)."""
    if item is None:
        return
    units = _unit_ids(item.assignments, unit_names)
    unit_id = units.get(p.unit or "")
    if unit_id is None:
        problems.append(RowProblem(p.row, f"“{p.unit}”不是该任务已明确的责任单位，进展未导入"))
        return
    previous: dict[int, float] = {}
    for cycle, values in sorted(accepted[(item.id, unit_id)], key=lambda c: c[0]):
        if cycle < p.cycle:
            previous.update(values)
    values, error = checked_values(p, facts_of(item.targets), target_keys(item.targets), previous)
    if error is not None:
        problems.append(RowProblem(p.row, f"{p.period}：{error}"))
        return
    report = existing.get((item.id, unit_id, p.cycle))
    when = _moment(cycles[p.cycle].due, zone)
    if report is not None and report.state in WORK_IN_PROGRESS:
        counts.kept += 1
        p.warnings.append("该单位本期报告正在填报或退回修改中，未覆盖")
        return
    if p.state == "accepted":
        accepted[(item.id, unit_id)].append((p.cycle, values))
    if report is None:
        row = {
            "item_id": item.id,
            "unit_id": unit_id,
            "cycle": p.cycle,
            "state": p.state,
            "progress": p.progress,
            "percent": float(p.percent),
            "narrative": p.narrative,
            "review_note": None,
            "first_submitted_at": when,
            "version": 1,
            "updated_by": actor.username,
            "updated_at": when,
        }
        new_rows.append((row, {t: float(a) for t, a in values.items()}, item.org_id))
        counts.created += 1
        return
    before = report_snapshot(report)
    if not p.stated and p.progress == report.progress:
        p.percent = report.percent  # a percent the ledger does not state stays as reported
    fresh = (
        p.state,
        p.progress,
        float(p.percent),
        p.narrative,
        {str(k): float(v) for k, v in values.items()},
    )
    if fresh == (
        before["state"],
        before["progress"],
        before["percent"],
        before["narrative"],
        before["values"],
    ):
        counts.unchanged += 1
        return
    report.state, report.progress, report.percent, report.narrative = (
        p.state,
        p.progress,
        float(p.percent),
        p.narrative,
    )
    report.first_submitted_at = report.first_submitted_at or when
    report.updated_by, report.updated_at = actor.username, when
    set_values(report, values, keep_others=True)
    audits.append((report, before, "update", item.org_id))
    counts.updated += 1
