"""下发: a city's task handed down to its districts as child work items.

Each child belongs to the district (an organisation below the item's), inherits the deadline
(and follows it while staff do not set its own) and the targets; a target whose 其中… parts name
districts (市本级5个、溧阳市4个…) gives each named district its own share as the child's target,
and districts it does not name get no share of it.  Without a list of districts, the districts
named by the targets' parts are used.  The child's units are to be specified (待明确) by the
district's own office.  Handing down twice to a district changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.work import Assignment, ItemTarget, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Invalid
from eduplan.services.tracking.items import item_snapshot
from eduplan.services.tracking.rollups import lock_plan, refresh_group
from eduplan.services.tracking.scope import managed_item

CITY_SHARE = re.compile(r"^(?:市本级|市直|本级|市属)")
DISTRICT = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:区|县|市|旗)$")


@dataclass
class HandDownResult:
    """The children made (and those that already existed), by district."""

    created: dict[str, int]
    existing: dict[str, int]


def _stem(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "区县市旗" else name


def district_parts(parts: list[dict[str, Any]]) -> dict[str, float]:
    """The shares of a target's parts that name districts (市本级 and the like left out)."""
    return {
        p["label"]: float(p["value"])
        for p in parts
        if DISTRICT.match(str(p["label"])) and not CITY_SHARE.match(str(p["label"]))
    }


def _district(session: Session, parent: Organisation, name: str) -> Organisation:
    """The organisation of a district below `parent`, by name (created on first sight)."""
    below = session.scalars(select(Organisation).where(Organisation.parent_id == parent.id)).all()
    found = next((o for o in below if o.name == name or _stem(o.name) == _stem(name)), None)
    if found is not None:
        return found
    org = Organisation(name=name, level="county", parent_id=parent.id, path=f"{parent.path}/{name}")
    session.add(org)
    session.flush()
    return org


def _share(target: ItemTarget, district: str) -> float | None:
    """The child's value of a target: its district's part, the whole value when no part names a
    district, None when parts name districts but not this one."""
    shares = district_parts(target.parts or [])
    if not shares:
        return target.value
    match = next((v for label, v in shares.items() if _stem(label) == _stem(district)), None)
    return match


def hand_down(
    sessions: SessionFactory, actor: Principal, item_id: int, districts: list[str] | None = None
) -> HandDownResult:
    """Hand an item down to districts (names), or to the districts its targets' parts name."""
    with sessions.begin() as session:
        item = managed_item(session, actor, item_id)
        lock_plan(session.connection(), item.plan_id)  # before any write (`rollups.lock_plan`)
        if item.parent_id is not None:
            raise Invalid("已下发的任务不能再次下发")
        names = [d.strip() for d in districts or [] if d.strip()]
        if not names:
            names = list(
                dict.fromkeys(label for t in item.targets for label in district_parts(t.parts or []))
            )
        if not names:
            raise Invalid("请指定下发的县区（目标的分解中未列出县区）")
        result = HandDownResult({}, {})
        now = utcnow()
        for name in names:
            org = _district(session, item.organisation, name)
            child = session.scalars(
                select(WorkItem).where(WorkItem.tracked_id == item.tracked_id, WorkItem.org_id == org.id)
            ).first()
            if child is not None:
                result.existing[name] = child.id
                continue
            child = WorkItem(
                tracked_id=item.tracked_id, plan_id=item.plan_id, org_id=org.id, parent_id=item.id,
                active=True, deadline=item.deadline, deadline_text=item.deadline_text,
                deadline_source="inherited" if item.deadline else None, updated_by=actor.username,
                updated_at=now,
            )  # fmt: skip
            child.assignments = [
                Assignment(
                    unit_id=None,
                    role="responsible",
                    state="unspecified",
                    name=f"{org.name}各相关科室",
                    position=0,
                )
            ]
            position = 0
            for t in item.targets:
                value = _share(t, name)
                if value is None:
                    continue
                child.targets.append(
                    ItemTarget(
                        parent_id=t.id, position=position, text=t.text, subject=t.subject,
                        comparator=t.comparator, value=value, value_max=None if value != t.value else t.value_max,
                        unit=t.unit, parts=[],
                    )
                )  # fmt: skip
                position += 1
            session.add(child)
            session.flush()
            refresh_group(session.connection(), child.plan_id, child.org_id)
            after = item_snapshot(child) | {
                "district": org.name,
                "targets": [(t.subject, t.value) for t in child.targets],
            }
            record(session, actor, "hand_down", "item", child.id, item.id, item.org_id, None, after)
            record(session, actor, "hand_down", "item", child.id, child.id, org.id, None, after)
            result.created[name] = child.id
        return result
