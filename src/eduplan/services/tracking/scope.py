"""Who sees which work items and reports: every loop query goes through these.

- Administrators (and the system) see everything.
- Leaders, office staff and viewers see the items of their organisation and of the organisations
  below it (a city sees the tasks it handed down to its districts; a district never sees another
  district's).
- Unit reporters see only the items their unit is assigned to, and only their unit's reports.
- A draft is seen by the reporters of its unit only.

Whatever is outside the scope is answered as not found, so that its existence does not leak.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.orm import Session

from eduplan.db.orgs import Organisation
from eduplan.db.reports import ProgressReport
from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import NotFound


def orgs_within(path: str) -> ColumnElement[bool]:
    """Organisations at or below a path."""
    return or_(Organisation.path == path, Organisation.path.startswith(path + "/", autoescape=True))


def visible_items(actor: Principal) -> ColumnElement[bool]:
    """The condition on `WorkItem` rows the actor may read."""
    if actor.org_path is None:
        return true() if actor.is_admin else false()
    in_scope = WorkItem.org_id.in_(select(Organisation.id).where(orgs_within(actor.org_path)))
    if actor.reads_org:
        return in_scope
    if actor.role == "reporter" and actor.unit_id is not None:
        own = exists().where(Assignment.item_id == WorkItem.id, Assignment.unit_id == actor.unit_id)
        return in_scope & own
    return false()


def item_for(session: Session, actor: Principal, item_id: int) -> WorkItem:
    """A work item the actor may read, else `NotFound`.  Asked again in the same session (a page
    reads in one), the answer is remembered rather than read again."""
    memo = session.info.setdefault("readable_items", {})
    key = (id(actor), item_id)
    item = memo.get(key)
    if item is None:
        item = session.scalars(select(WorkItem).where(WorkItem.id == item_id, visible_items(actor))).first()
        if item is None:
            raise NotFound(f"找不到任务 {item_id}")
        memo[key] = item
    return item  # type: ignore[no-any-return]


def managed_item(session: Session, actor: Principal, item_id: int) -> WorkItem:
    """A work item the actor may change (office staff in scope), else `NotFound`/`Forbidden`."""
    item = item_for(session, actor, item_id)
    actor.require_manager()
    return item


def sees_report(actor: Principal, report: ProgressReport) -> bool:
    """Whether the actor (who already sees the report's item) may read this report."""
    if report.state == "draft":
        return actor.role == "reporter" and actor.unit_id == report.unit_id
    if actor.role == "reporter":
        return actor.unit_id == report.unit_id
    return True


def report_for(session: Session, actor: Principal, report_id: int) -> ProgressReport:
    """A report the actor may read, else `NotFound`."""
    report = session.get(ProgressReport, report_id)
    if report is None or not sees_report(actor, report):
        raise NotFound(f"找不到报告 {report_id}")
    item_for(session, actor, report.item_id)
    return report
