"""Who reads what of the registry — the one policy the pages, their ``.json`` twins and the API follow.

- **Published plans are open to every signed-in user** (`readable_plans`), whatever their
  organisation and role, for 对标: a plan's structure, tasks, targets, indicator tables, key projects,
  topics, versions and their differences, search hits and the compare pages.  Every plan in the
  registry is published: a document enters it only when an import is confirmed (drafts live apart).
- **Internal records stay inside the implementation loop's scope** (`services.tracking.scope`): work
  items, assignments, progress reports, evidence, urges, rectifications, comments, evaluations and
  audit entries of another organisation answer 404.  A plan page of a plan the user does not follow
  (`followed_plans`) shows the document without its lights, work items, reporting state or links to
  its internal pages.
- **Original uploads are the importing organisation's** (`reads_sources`): the file a version was
  imported from is served to administrators and to leaders, office staff and viewers of the plan's
  organisation or above it; unit reporters and other organisations get 404 (and no link to it).
  Import drafts are their uploader's only (`services.drafts`).

Lists follow the same policy, so that they never offer what then answers 404: the plan list, the
API's plans, search hits and compare links name published plans, which every signed-in user opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, exists, select, true

from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan
from eduplan.db.work import WorkItem
from eduplan.services.registry.errors import NotFound

if TYPE_CHECKING:
    from eduplan.db.engine import SessionFactory
    from eduplan.services.accounts.principal import Principal


def readable_plans(_actor: Principal) -> ColumnElement[bool]:
    """The condition on `Plan` rows a signed-in actor may read: every published plan."""
    return true()


def followed_plans(actor: Principal) -> ColumnElement[bool]:
    """The plans whose implementation the actor follows (their lights, items and reports):
    administrators every plan; leaders, office staff and viewers those of their organisation and the
    organisations below it; anyone also a plan with a work item they see (a district's task handed
    down from the city's plan, a reporter's own unit's tasks)."""
    from eduplan.services.tracking.scope import orgs_within, visible_items

    if actor.org_path is None:
        return true() if actor.is_admin else Plan.id.is_(None)
    handed = exists().where(WorkItem.plan_id == Plan.id, visible_items(actor))
    if actor.reads_org:
        return Plan.org_id.in_(select(Organisation.id).where(orgs_within(actor.org_path))) | handed
    return handed


def reads_sources(actor: Principal, org_path: str) -> bool:
    """Whether the actor may download the original files of a plan of the organisation `org_path`."""
    return actor.is_admin or (actor.reads_org and actor.sees_org(org_path))


def check_sources(actor: Principal, org_path: str, plan_id: int) -> None:
    """`NotFound` unless the actor may download the plan's original files (its existence not leaked)."""
    if not reads_sources(actor, org_path):
        raise NotFound(f"找不到计划 {plan_id} 的原始文件")


def check_readable(sessions: SessionFactory, actor: Principal, plan_id: int) -> None:
    """`NotFound` unless the actor may read the plan (`readable_plans`) — the check the API's plan
    routes make, as the pages and their ``.json`` twins make it in their queries."""
    with sessions() as s:
        if s.scalars(select(Plan.id).where(Plan.id == plan_id, readable_plans(actor))).first() is None:
            raise NotFound(f"找不到计划 {plan_id}")
