"""填报模板: what goes into a unit's Excel template for one reporting cycle of a plan.

One row per task the unit is assigned to (status, percent, narrative), with one row per target under
it (target, the last accepted value, this cycle's actual).  Each row is prefilled with the unit's
report of the cycle when it has one, else with its last report (最多报一次, `report_carry`), else left
blank; a report already submitted or accepted is shown but not editable (never asked twice).  Each
row keeps the report's id and `version`, so that an upload later sees whether someone changed the
report since (optimistic locking, as on the web).

Who may make one: a unit's reporter for its own unit; office staff (and the system, for the CLI)
for any unit of their scope, to hand to that unit.  Building the workbook is `export/
report_template_xlsx.py`; reading it back and saving is `report_upload`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.db.plans import Plan
from eduplan.db.reports import ProgressReport
from eduplan.services.accounts.principal import Principal
from eduplan.services.clock import utcnow
from eduplan.services.errors import Forbidden, Invalid, NotFound
from eduplan.services.report_carry import CarriedOver, carried_over
from eduplan.services.tracking.items import list_items
from eduplan.services.tracking.plans import schedule_of
from eduplan.services.tracking.schedule import current_cycle, cycles
from eduplan.services.tracking.value_rules import TargetFacts
from eduplan.services.tracking.views import WorkItemView
from eduplan.services.unit_reports import accepted_before, cycle_reports

EDITABLE = ("missing", "draft", "returned")


@dataclass
class TemplateTarget:
    """A target of a task as the template shows it; `prefill` is what the actual cell starts with."""

    facts: TargetFacts
    text: str
    last_accepted: float | None
    prefill: float | None


@dataclass(kw_only=True)
class TemplateRow:
    """A task the unit reports on in the cycle, with what its row starts with."""

    item_id: int
    number: str
    title: str
    deadline: date | None
    report_id: int | None
    version: int | None
    state: str
    """missing (not begun), draft, submitted, returned or accepted."""
    progress: str
    percent: float | None
    narrative: str
    carried_from: int | None
    """The cycle (from 0) whose report the row starts from, when it is carried over."""
    targets: list[TemplateTarget] = field(default_factory=list)
    review_note: str = ""
    """The office's note on a report returned for revision (退回意见)."""

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE


@dataclass
class ReportTemplate:
    """A unit's template for one cycle of a plan."""

    plan_id: int
    plan_title: str
    org_id: int
    unit_id: int
    unit_name: str
    cycle: int
    cycle_start: date
    cycle_end: date
    due: date
    made_at: datetime
    made_by: str
    rows: list[TemplateRow] = field(default_factory=list)


def _unit(session: Session, actor: Principal, unit_id: int | None) -> Unit:
    """The unit the template is for: the reporter's own, or one named by office staff."""
    if actor.role == "reporter":
        if unit_id not in (None, actor.unit_id):
            raise Forbidden("只能下载本单位的填报模板")
        unit_id = actor.unit_id
    elif not actor.manages:
        raise Forbidden("只有单位填报员或办公室/督查人员可以下载填报模板")
    if unit_id is None:
        raise Invalid("请指定单位")
    unit = session.get(Unit, unit_id)
    if unit is None or not actor.sees_org(unit.organisation.path):
        raise NotFound(f"找不到单位 {unit_id}")
    return unit


def find_unit(sessions: SessionFactory, plan_id: int, name: str) -> int:
    """A unit of a plan's organisation by its name or id (the CLI's ``--unit``), else `NotFound`."""
    with sessions() as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFound(f"找不到计划 {plan_id}")
        query = select(Unit.id).where(Unit.org_id == plan.org_id)
        wanted = name.strip()
        found = session.scalars(
            query.where(Unit.id == int(wanted)) if wanted.isdigit() else query.where(Unit.name == wanted)
        ).first()
    if found is None:
        raise NotFound(f"找不到单位“{name}”，请写单位全称（如 基础教育科）")
    return found


def _made_by(session: Session, actor: Principal) -> str:
    user = session.get(User, actor.user_id) if actor.user_id else None
    return user.display_name if user else "系统"


def _row(
    item: WorkItemView, r: ProgressReport | None, c: CarriedOver | None
) -> tuple[TemplateRow, dict[int, float]]:
    """A task's row and the actuals it starts with: the unit's report of the cycle, else the last one
    carried over (still missing), else blank."""
    row = TemplateRow(
        item_id=item.id,
        number=item.number,
        title=item.title,
        deadline=item.deadline,
        report_id=None,
        version=None,
        state="missing",
        progress="",
        percent=None,
        narrative="",
        carried_from=None,
    )
    if r is not None:
        row.report_id, row.version, row.state = r.id, r.version, r.state
        row.progress, row.percent, row.narrative = r.progress, r.percent, r.narrative
        row.review_note = r.review_note or ""
        return row, {x.target_id: x.actual for x in r.values}
    if c is not None:
        row.progress, row.percent, row.narrative, row.carried_from = (
            c.progress,
            c.percent,
            c.narrative,
            c.cycle,
        )
        return row, c.values
    return row, {}


def report_template(
    sessions: SessionFactory,
    actor: Principal,
    plan_id: int,
    unit_id: int | None,
    today: date,
    cycle: int | None = None,
) -> ReportTemplate:
    """The template of `unit_id` (a reporter: their own) for `cycle` of a plan (default: the current)."""
    with sessions() as session:
        unit = _unit(session, actor, unit_id)
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFound(f"找不到计划 {plan_id}")
        schedule = schedule_of(session, plan_id)
        all_cycles = cycles(schedule.cycle, schedule.due_day, schedule.starts_on, schedule.ends_on)
        if cycle is None:
            now = current_cycle(all_cycles, today)
            if now is None:
                raise Invalid(f"报送尚未开始（第 1 期自 {all_cycles[0].start} 起）")
        elif not 0 <= cycle < len(all_cycles):
            raise Invalid(f"报送周期 {cycle + 1} 不存在（共 {len(all_cycles)} 期）")
        else:
            now = all_cycles[cycle]
            if now.start > today:
                raise Invalid(f"第 {cycle + 1} 期（{now.start} 起）尚未开始")
        made_by, unit_name, org_id = _made_by(session, actor), unit.name, unit.org_id
    items = [
        i
        for i in list_items(sessions, actor, plan_id=plan_id, unit_id=unit.id)
        if any(a.unit_id == unit.id and a.state == "assigned" for a in i.assignments)
    ]
    if not items:
        raise NotFound(f"{unit_name}在该计划中没有需要报送的任务")
    template = ReportTemplate(
        plan_id,
        plan.title,
        org_id,
        unit.id,
        unit_name,
        now.index,
        now.start,
        now.end,
        now.due,
        utcnow(),
        made_by,
    )
    with sessions() as session:
        ids = [i.id for i in items]
        reports = cycle_reports(session, ids, unit.id, now.index)
        accepted = accepted_before(session, ids, unit.id, now.index)
        carried = carried_over(session, unit.id, {i: now.index for i in ids if i not in reports})
    for item in items:
        r = reports.get(item.id)
        row, values = _row(item, r, carried.get(item.id))
        for t in item.targets:
            facts = TargetFacts.of(t)
            last = accepted.get(item.id, {}).get(t.id)
            prefill = values.get(t.id, last if r is None else None)
            row.targets.append(TemplateTarget(facts, t.text, last, prefill))
        template.rows.append(row)
    return template
