"""Progress reports (进展报送): a unit's reporter drafts, saves and submits; office staff return a
report for revision or accept it.  draft → submitted → accepted, or submitted → returned → (edited)
→ submitted.  Only draft and returned reports can be edited, by the reporters of their unit; every
save carries the version read (optimistic locking) and is written to the audit log.  Every write
refreshes the slot's summary (`report_slots`) in the same transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from eduplan.db.engine import SessionFactory
from eduplan.db.reports import ProgressReport, ReportValue
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record, snapshot
from eduplan.services.clock import utcnow
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound
from eduplan.services.loop.locking import check_version, stale
from eduplan.services.loop.report_slots import refresh_slot
from eduplan.services.tracking import views as v
from eduplan.services.tracking.plans import schedule_of
from eduplan.services.tracking.reports import accepted_values, facts, load_report_view, previous_values
from eduplan.services.tracking.schedule import cycles
from eduplan.services.tracking.scope import item_for, report_for
from eduplan.services.tracking.value_rules import PROGRESS_LABELS as PROGRESS_LABELS
from eduplan.services.tracking.value_rules import check_values, status_problems

EDITABLE = ("draft", "returned")
Decision = Literal["accept", "return"]


@dataclass
class ReportInput:
    """What a reporter fills in: status, percent done, narrative, actual values by target id."""

    progress: str = "in_progress"
    percent: float = 0.0
    narrative: str = ""
    values: dict[int, float] = field(default_factory=dict)


def report_snapshot(r: ProgressReport) -> dict[str, Any]:
    """What the audit log keeps of a report and a conflict reports on."""
    values = {str(x.target_id): x.actual for x in sorted(r.values, key=lambda x: x.target_id)}
    kept = snapshot(r, "version", "state", "progress", "percent", "narrative", "review_note")
    return kept | {"values": values}


def require_reporter(actor: Principal, item: WorkItem, unit_id: int) -> None:
    """Only a reporter of an assigned unit writes that unit's reports."""
    if actor.role != "reporter" or actor.unit_id != unit_id:
        raise Forbidden("只能填报本单位的报告")
    if not any(a.unit_id == unit_id and a.state == "assigned" for a in item.assignments):
        raise Forbidden("本单位不是该任务的责任单位")


"""(unit, cycle, target, actual) of an item's accepted reports, by cycle."""


def _validate(session: Session, item: WorkItem, unit_id: int, cycle: int, data: ReportInput) -> list[str]:
    """Check a report against the value rules: errors raise `Invalid` naming each field (``t<id>``
    for a target), warnings are returned."""
    problems = status_problems(data.progress, data.percent)
    if problems:
        raise Invalid(next(iter(problems.values())), fields=problems)
    unknown = set(data.values) - {t.id for t in item.targets}
    if unknown:
        raise Invalid(f"目标 {sorted(unknown)} 不属于该任务")
    if not all(math.isfinite(float(x)) for x in data.values.values()):
        raise Invalid("目标实际值须为有限的数字")  # NaN would hit a NOT NULL column, ∞ every sum
    previous = previous_values(accepted_values(session, item.id), unit_id, cycle)
    found = check_values(facts(item), data.values, previous, data.narrative)
    errors = {f"t{f.target_id}": f.message for f in found if f.level == "error"}
    if errors:
        raise Invalid("；".join(errors.values()), reasons=list(errors.values()), fields=errors)
    return [f.message for f in found]


def _existing(session: Session, item_id: int, unit_id: int, cycle: int) -> ProgressReport | None:
    return session.scalars(
        select(ProgressReport).where(
            ProgressReport.item_id == item_id,
            ProgressReport.unit_id == unit_id,
            ProgressReport.cycle == cycle,
        )
    ).first()


def set_values(report: ProgressReport, values: dict[int, float], keep_others: bool = False) -> None:
    """The report's target values become `values`, kept rows updated in place: replacing them
    with new rows would insert a (report, target) pair before deleting the old one.  The values of
    other targets go, unless `keep_others` (a ledger that names only some targets)."""
    kept = {v.target_id: v for v in report.values}
    for target_id, actual in values.items():
        if target_id in kept:
            kept[target_id].actual = float(actual)
        else:
            report.values.append(ReportValue(target_id=target_id, actual=float(actual)))
    if not keep_others:
        for row in [kept[t] for t in kept if t not in values]:
            report.values.remove(row)


def save_report(
    sessions: SessionFactory,
    actor: Principal,
    item_id: int,
    unit_id: int,
    cycle: int,
    data: ReportInput,
    version: int | None,
    today: date,
) -> v.ReportView:
    """Create (version None) or edit (the version read) a unit's draft for one cycle."""
    try:
        with sessions.begin() as session:
            return save_in(session, actor, item_id, unit_id, cycle, data, version, today)
    except (StaleDataError, IntegrityError):
        with sessions() as session:
            found = _existing(session, item_id, unit_id, cycle)
            if found is None:
                raise
            raise stale(session, "report", found.id, version, report_snapshot(found)) from None


def save_in(
    session: Session,
    actor: Principal,
    item_id: int,
    unit_id: int,
    cycle: int,
    data: ReportInput,
    version: int | None,
    today: date,
    refresh: bool = True,
) -> v.ReportView:
    """`save_report` inside the caller's transaction; with `refresh` False the caller refreshes the
    slot's summary and rollups (`report_batch`, once for many rows)."""
    item = item_for(session, actor, item_id)
    require_reporter(actor, item, unit_id)
    schedule = schedule_of(session, item.plan_id)
    all_cycles = cycles(schedule.cycle, schedule.due_day, schedule.starts_on, schedule.ends_on)
    if not 0 <= cycle < len(all_cycles):
        raise Invalid(f"报送周期 {cycle} 不存在（0–{len(all_cycles) - 1}）")
    if all_cycles[cycle].start > today:
        raise Invalid(f"第 {cycle + 1} 期（{all_cycles[cycle].start} 起）尚未开始")
    warnings = _validate(session, item, unit_id, cycle, data)
    report = _existing(session, item.id, unit_id, cycle)
    before = report_snapshot(report) if report else None
    if report is None:
        if version is not None:
            raise NotFound("该报告不存在，无法按版本修改")
        # a new report has no evidence yet: saying so spares `_view` a query for it
        report = ProgressReport(item_id=item.id, unit_id=unit_id, cycle=cycle, state="draft", evidence=[])
        session.add(report)
    else:
        assert before is not None
        check_version(session, "report", report.id, version, before)
        if report.state not in EDITABLE:
            raise Conflict("报告已报送，不能再修改（可请督查人员退回修改）")
    report.progress, report.percent, report.narrative = (
        data.progress,
        float(data.percent),
        data.narrative,
    )
    report.updated_by, report.updated_at = actor.username, utcnow()
    set_values(report, data.values)
    session.flush()
    if refresh:
        refresh_slot(session, report.item_id, report.unit_id)
    after = report_snapshot(report)
    action = "create" if before is None else "update"
    record(session, actor, action, "report", report.id, item.id, item.org_id, before, after)
    view = load_report_view(session, report)
    view.warnings = warnings
    return view


def _transition(
    sessions: SessionFactory,
    actor: Principal,
    report_id: int,
    version: int,
    action: str,
    note: str | None,
    now: datetime | None = None,
) -> v.ReportView:
    try:
        with sessions.begin() as session:
            return transition_in(session, actor, report_id, version, action, note, now)
    except StaleDataError:
        with sessions() as session:
            found = session.get(ProgressReport, report_id)
            assert found is not None
            raise stale(session, "report", found.id, version, report_snapshot(found)) from None


def transition_in(
    session: Session,
    actor: Principal,
    report_id: int,
    version: int,
    action: str,
    note: str | None,
    now: datetime | None = None,
    refresh: bool = True,
) -> v.ReportView:
    """Submit, accept or return a report inside the caller's transaction (`refresh` as in `save_in`)."""
    report = report_for(session, actor, report_id)
    item = item_for(session, actor, report.item_id)
    before = report_snapshot(report)
    if action == "submit":
        require_reporter(actor, item, report.unit_id)
    else:
        actor.require_manager()
    check_version(session, "report", report.id, version, before)
    allowed = {"submit": EDITABLE, "accept": ("submitted",), "return": ("submitted",)}[action]
    if report.state not in allowed:
        raise Conflict(
            f"报告当前状态为 {report.state}，不能{ {'submit': '报送', 'accept': '审核通过', 'return': '退回'}[action] }"
        )
    now = now or utcnow()
    if action == "submit":
        report.state = "submitted"
        report.first_submitted_at = report.first_submitted_at or now
    elif action == "accept":
        report.state = "accepted"
        report.review_note = note or report.review_note
    else:
        if not (note or "").strip():
            raise Invalid("退回时请写明修改意见")
        report.state, report.review_note = "returned", (note or "").strip()
    report.updated_by, report.updated_at = actor.username, now
    session.flush()
    if refresh:
        refresh_slot(session, report.item_id, report.unit_id)
    record(session, actor, action, "report", report.id, item.id, item.org_id, before, report_snapshot(report))
    if action == "return":
        _tell_unit(session, report, f"报告被退回修改：{report.review_note}")
    _emit_report(session, item, report, action)
    return load_report_view(session, report)


def _emit_report(session: Session, item: WorkItem, report: ProgressReport, action: str) -> None:
    from eduplan.services.notify.webhooks import emit_for_item

    event = {"submit": "report.submitted", "accept": "report.accepted", "return": "report.returned"}[action]
    data = {
        "report_id": report.id,
        "unit_id": report.unit_id,
        "cycle": report.cycle,
        "state": report.state,
        "progress": report.progress,
        "percent": report.percent,
        "review_note": report.review_note,
        "by": report.updated_by,
    }
    emit_for_item(session, event, item, data, f"{event}:{report.id}:{report.version}")


def _tell_unit(session: Session, report: ProgressReport, title: str) -> None:
    from eduplan.services.notify.inbox import Notice, deliver, reporters_of

    users = reporters_of(session, [report.unit_id])
    deliver(
        session,
        users,
        Notice(f"report:{report.id}:{report.version}", "returned", title, title, report.item_id),
    )


def submit_report(
    sessions: SessionFactory, actor: Principal, report_id: int, version: int, now: datetime | None = None
) -> v.ReportView:
    """Submit a draft (or a returned report, revised) for review."""
    return _transition(sessions, actor, report_id, version, "submit", None, now)


def review_report(
    sessions: SessionFactory,
    actor: Principal,
    report_id: int,
    decision: Decision,
    version: int,
    note: str | None = None,
) -> v.ReportView:
    """Accept a submitted report, or return it for revision with a note (office staff)."""
    return _transition(sessions, actor, report_id, version, decision, note)
