"""The plans a person may choose on the loop's pages (年终考核, 督办): only those whose implementation
they follow (`registry.visibility.followed_plans`) and that are open for reporting — a list never
offers a plan that then answers "找不到计划".  Newest year first, each labelled with its organisation.
Limits: the first `LIMIT` plans."""

from __future__ import annotations

from sqlalchemy import select

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan
from eduplan.db.work import ReportingSchedule
from eduplan.services.accounts.principal import Principal
from eduplan.services.pages.board import Choice
from eduplan.services.registry.visibility import followed_plans

LIMIT = 200


def followed_plan_choices(sessions: SessionFactory, actor: Principal) -> list[Choice]:
    """The open plans the actor follows, as choices ``标题（机构）``."""
    with sessions() as s:
        rows = s.execute(
            select(Plan.id, Plan.title, Organisation.name)
            .join(Organisation, Organisation.id == Plan.org_id)
            .join(ReportingSchedule, ReportingSchedule.plan_id == Plan.id)
            .where(followed_plans(actor))
            .order_by(Plan.year.desc().nulls_last(), Plan.id.desc())
            .limit(LIMIT)
        ).all()
    return [Choice(value=plan_id, label=f"{title}（{org}）") for plan_id, title, org in rows]
