"""Closing a year (年度归档): office staff or an administrator archive the plans of one year of an
organisation; from then on those plans are read-only.

A plan belongs to the year it is for (`Plan.year`; a five-year plan to its last year).  Read-only is
enforced in one place for every write use case, present and future: a ``before_flush`` hook on
every ORM session (`_refuse_archived_writes`, installed when the loop's use cases are loaded) looks
at the work items, schedules, assignments, targets, reports and their values, evidence, urges,
rectifications, comments and evaluations being written, and when any belongs to an archived plan
raises `Conflict` (409) naming the plan and the year — before anything reaches the database, so
nothing is half-written.  The registry, search, comparison, status and the 台账/通报 exports only
read, and work as before.  The daily reminder job leaves archived plans alone (`archived_plans`).

Limits: bulk ``UPDATE``/``DELETE`` statements bypass the ORM hook (the services use them only for
derived rollups and sessions); an administrator can reopen a year (`reopen_year`), audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, event, func, select
from sqlalchemy.orm import Session

from eduplan.db.archive import ArchivedYear
from eduplan.db.comments import Comment
from eduplan.db.engine import SessionFactory
from eduplan.db.evaluation import EvaluationRubric, UnitAssessment
from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan
from eduplan.db.reports import EvidenceFile, ProgressReport, ReportValue
from eduplan.db.supervision import Rectification, Urge
from eduplan.db.work import Assignment, ItemTarget, ReportingSchedule, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import as_utc, utcnow
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound

_BY_PLAN = (WorkItem, ReportingSchedule, EvaluationRubric, UnitAssessment)
_BY_ITEM = (Assignment, ItemTarget, ProgressReport, Urge, Rectification, Comment)


@dataclass(kw_only=True)
class ArchiveView:
    """An archived year of an organisation."""

    id: int
    org_id: int
    org_name: str
    year: int
    archived_by: str
    archived_at: datetime
    plans: int

    @property
    def note(self) -> str:
        at = self.archived_at
        return f"{self.year}年度已于{at.year}年{at.month}月{at.day}日归档（只读）"


def plan_year() -> Any:
    """The year a plan belongs to, as SQL: its year, or a five-year plan's last year."""
    return func.coalesce(Plan.year, Plan.period_end)


def _archived_join() -> Any:
    return and_(ArchivedYear.org_id == Plan.org_id, ArchivedYear.year == plan_year())


def archived_plans() -> Select[Any]:
    """The ids of every archived plan (for ``Plan.id.not_in(…)`` in jobs that must skip them)."""
    return select(Plan.id).join(ArchivedYear, _archived_join())


def _view(row: ArchivedYear, org_name: str, plans: int) -> ArchiveView:
    return ArchiveView(
        id=row.id,
        org_id=row.org_id,
        org_name=org_name,
        year=row.year,
        archived_by=row.archived_by,
        archived_at=as_utc(row.archived_at),
        plans=plans,
    )


def _count(session: Session, org_id: int, year: int) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Plan).where(Plan.org_id == org_id, plan_year() == year)
        )
        or 0
    )


def _org(session: Session, actor: Principal, org_id: int) -> Organisation:
    actor.require_manager()
    org = session.get(Organisation, org_id)
    if org is None or not actor.sees_org(org.path):
        raise NotFound(f"找不到机构 {org_id}")
    return org


def archive_year(sessions: SessionFactory, actor: Principal, org_id: int, year: int) -> ArchiveView:
    """Archive the plans of `org_id` for `year` (office staff of that organisation or above, admins)."""
    with sessions.begin() as session:
        org = _org(session, actor, org_id)
        plans = _count(session, org_id, year)
        if not plans:
            raise Invalid(f"{org.name}没有 {year} 年度的计划，无需归档")
        if session.scalar(
            select(ArchivedYear.id).where(ArchivedYear.org_id == org_id, ArchivedYear.year == year)
        ):
            raise Conflict(f"{org.name} {year} 年度已经归档")
        row = ArchivedYear(org_id=org_id, year=year, archived_by=actor.username, archived_at=utcnow())
        session.add(row)
        session.flush()
        record(session, actor, "archive", "year", row.id, None, org_id, None, {"year": year, "plans": plans})
        return _view(row, org.name, plans)


def archive_plan_year(sessions: SessionFactory, actor: Principal, plan_id: int) -> ArchiveView:
    """Archive the year the plan belongs to, in the plan's organisation (the page's button)."""
    with sessions() as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFound(f"找不到计划 {plan_id}")
        org_id, year = plan.org_id, plan.year or plan.period_end
    if year is None:
        raise Invalid("这份计划没有年份，无法按年度归档")
    return archive_year(sessions, actor, org_id, year)


def reopen_year(sessions: SessionFactory, actor: Principal, org_id: int, year: int) -> None:
    """Take a year out of the archive (administrators only: a closed year is meant to stay closed)."""
    if not actor.is_admin:
        raise Forbidden("只有管理员可以撤销年度归档")
    with sessions.begin() as session:
        _org(session, actor, org_id)
        row = session.scalars(
            select(ArchivedYear).where(ArchivedYear.org_id == org_id, ArchivedYear.year == year)
        ).first()
        if row is None:
            raise NotFound(f"{year} 年度没有归档")
        before = {"year": year, "archived_by": row.archived_by}
        record(session, actor, "reopen", "year", row.id, None, org_id, before, None)
        session.delete(row)


def list_archives(sessions: SessionFactory, actor: Principal) -> list[ArchiveView]:
    """The archived years of the organisations the actor sees, newest year first."""
    with sessions() as session:
        rows = session.execute(
            select(ArchivedYear, Organisation.name, Organisation.path)
            .join(Organisation, ArchivedYear.org_id == Organisation.id)
            .order_by(ArchivedYear.year.desc(), Organisation.path)
        ).all()
        return [
            _view(row, name, _count(session, row.org_id, row.year))
            for row, name, path in rows
            if actor.is_admin or actor.sees_org(path)
        ]


def plan_archive(sessions: SessionFactory, plan_id: int) -> ArchiveView | None:
    """The archive the plan is in, or None (the plan page shows it)."""
    with sessions() as session:
        found = session.execute(
            select(ArchivedYear, Organisation.name)
            .join(Plan, _archived_join())
            .join(Organisation, ArchivedYear.org_id == Organisation.id)
            .where(Plan.id == plan_id)
        ).first()
        if found is None:
            return None
        return _view(found[0], found[1], _count(session, found[0].org_id, found[0].year))


# -- read-only: one hook for every write ---------------------------------------------------------------
def _written(session: Session) -> tuple[set[int], set[int], set[int], set[int]]:
    """Plan, item, report and rectification ids of the rows this flush writes."""
    plans: set[int] = set()
    items: set[int] = set()
    reports: set[int] = set()
    fixes: set[int] = set()
    changed = [o for o in session.dirty if session.is_modified(o)]
    for obj in [*session.new, *changed, *session.deleted]:
        if isinstance(obj, _BY_PLAN):
            plans.add(obj.plan_id)
        elif isinstance(obj, _BY_ITEM):
            items.add(obj.item_id)
        elif isinstance(obj, ReportValue):
            reports.add(obj.report_id)
        elif isinstance(obj, EvidenceFile):
            reports.add(obj.report_id or 0)
            fixes.add(obj.rectification_id or 0)
    return (
        {p for p in plans if p},
        {i for i in items if i},
        {r for r in reports if r},
        {f for f in fixes if f},
    )


def _refuse_archived_writes(session: Session, _context: Any, _instances: Any) -> None:
    plans, items, reports, fixes = _written(session)
    if not (plans or items or reports or fixes):
        return
    with session.no_autoflush:
        if reports:
            items |= set(
                session.scalars(select(ProgressReport.item_id).where(ProgressReport.id.in_(reports)))
            )
        if fixes:
            items |= set(session.scalars(select(Rectification.item_id).where(Rectification.id.in_(fixes))))
        if items:
            plans |= set(session.scalars(select(WorkItem.plan_id).where(WorkItem.id.in_(items))))
        found = session.execute(
            select(Plan.title, ArchivedYear.year)
            .join(ArchivedYear, _archived_join())
            .where(Plan.id.in_(plans))
        ).first()
    if found is not None:
        raise Conflict(
            f"《{found.title}》所属的 {found.year} 年度已归档，只能查阅和导出，不能再修改；"
            "确需修改请联系管理员撤销归档"
        )


def install() -> None:
    """Make every ORM session refuse writes to archived plans (idempotent)."""
    if not event.contains(Session, "before_flush", _refuse_archived_writes):
        event.listen(Session, "before_flush", _refuse_archived_writes)
