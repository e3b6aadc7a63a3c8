"""Reading progress reports (进展报送): one report, an item's reports, and the reviewer's warnings on a
submitted one (the value rules of `value_rules`, with the accepted values they compare against).
Drafting, submitting and reviewing are `loop.reports`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.db.reports import ProgressReport, ReportValue
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking import views as v
from eduplan.services.tracking.evidence import evidence_view
from eduplan.services.tracking.scope import item_for, report_for, sees_report
from eduplan.services.tracking.value_rules import PROGRESS_LABELS as PROGRESS_LABELS
from eduplan.services.tracking.value_rules import TargetFacts, check_values
from eduplan.services.view_rows import from_row


def report_view(r: ProgressReport, unit_name: str) -> v.ReportView:
    values = [
        v.ValueView(target_id=x.target_id, actual=x.actual)
        for x in sorted(r.values, key=lambda x: x.target_id)
    ]
    evidence = [evidence_view(e) for e in r.evidence]
    return from_row(v.ReportView, r, unit_name=unit_name, values=values, evidence=evidence)


def load_report_view(session: Session, r: ProgressReport) -> v.ReportView:
    unit = session.get(Unit, r.unit_id)
    return report_view(r, unit.name if unit else "")


def facts(item: WorkItem) -> list[TargetFacts]:
    """The item's targets as the value rules see them."""
    return [TargetFacts.of(t) for t in item.targets]


def accepted_values(session: Session, item_id: int) -> Accepted:
    """The values of an item's accepted reports, oldest cycle first (one statement)."""
    query = (
        select(ProgressReport.unit_id, ProgressReport.cycle, ReportValue.target_id, ReportValue.actual)
        .join(ReportValue, ReportValue.report_id == ProgressReport.id)
        .where(ProgressReport.item_id == item_id, ProgressReport.state == "accepted")
        .order_by(ProgressReport.cycle)
    )
    return [(u, c, t, a) for u, c, t, a in session.execute(query)]


def previous_values(accepted: Accepted, unit_id: int, cycle: int) -> dict[int, float]:
    """The last accepted value of each of a unit's targets before `cycle`."""
    return {t: a for u, c, t, a in accepted if u == unit_id and c < cycle}


def get_report(sessions: SessionFactory, actor: Principal, report_id: int) -> v.ReportView:
    with sessions() as session:
        view = load_report_view(session, report_for(session, actor, report_id))
        if view.state == "submitted":
            flag_warnings(session, [view])
        return view


def list_reports(
    sessions: SessionFactory, actor: Principal, item_id: int, cycle: int | None = None
) -> list[v.ReportView]:
    """The reports of an item the actor may read (drafts only of the actor's own unit)."""
    with sessions() as session:
        return reports_in(session, actor, item_id, cycle)


def reports_in(
    session: Session, actor: Principal, item_id: int, cycle: int | None = None
) -> list[v.ReportView]:
    """`list_reports` inside a session the caller holds: three statements however many reports (their
    values and evidence eagerly, the units' names in one go)."""
    item_for(session, actor, item_id)
    query = (
        select(ProgressReport)
        .where(ProgressReport.item_id == item_id)
        .options(selectinload(ProgressReport.values), selectinload(ProgressReport.evidence))
    )
    if cycle is not None:
        query = query.where(ProgressReport.cycle == cycle)
    rows = [
        r
        for r in session.scalars(query.order_by(ProgressReport.cycle, ProgressReport.unit_id)).all()
        if sees_report(actor, r)
    ]
    unit_ids = {r.unit_id for r in rows}
    names = {i: n for i, n in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)))}
    views = [report_view(r, names.get(r.unit_id, "")) for r in rows]
    waiting = [x for x in views if x.state == "submitted"]
    if waiting:
        flag_warnings(session, waiting)
    return views


def flag_warnings(session: Session, reports: list[v.ReportView]) -> None:
    """Fill in the warnings of reports waiting for review (all of one item)."""
    item = session.get(WorkItem, reports[0].item_id)
    assert item is not None
    targets, accepted = facts(item), accepted_values(session, item.id)
    for r in reports:
        values = {x.target_id: x.actual for x in r.values}
        previous = previous_values(accepted, r.unit_id, r.cycle)
        r.warnings = [f.message for f in check_values(targets, values, previous, r.narrative)]


Accepted = list[tuple[int, int, int, float]]
