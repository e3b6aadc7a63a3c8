"""Which plan and organisation a task comes from, named for people (search hits, 对标 links):
``示例市教育局2024年教育工作要点`` of ``示例市``.  Every published plan may be named
(`visibility.readable_plans`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan


@dataclass(frozen=True)
class PlanName:
    title: str
    org_name: str


def plan_names(sessions: SessionFactory, plan_ids: Iterable[int]) -> dict[int, PlanName]:
    """Plan id → its title and its organisation's name (ids not found are left out)."""
    ids = sorted(set(plan_ids))
    if not ids:
        return {}
    with sessions() as s:
        rows = s.execute(
            select(Plan.id, Plan.title, Organisation.name)
            .join(Organisation, Organisation.id == Plan.org_id)
            .where(Plan.id.in_(ids))
        ).all()
    return {plan_id: PlanName(title, org) for plan_id, title, org in rows}
