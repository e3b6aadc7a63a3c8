"""下发: a task handed down one level as child work items — a city's to its districts, a district's
to its schools (`tracking.levels.child_level`), so that a task reaches every level and each runs the
same life (its own units, reports, lights, hand-down).

Each child belongs to an organisation directly below the item's (chosen by id, or by name: created
on first sight), inherits the deadline (and follows it while staff do not set its own) and the
targets; a target whose 其中… parts name the children (市本级5个、溧阳市4个…) gives each named one its
own share as the child's target, and those it does not name get no share of it.  Without a list,
the districts named by the targets' parts are used.  A child records the day it was received
(`received_on`: its report cycles count from there) and waits for its organisation's office to name
its units or hand it on (`received`, 待分工 — not 待明确); the parent's group words (各县区, 各学校)
become `handed_down`, so a task handed down is never again shown as 待明确.  Handing down twice to
an organisation changes nothing.

When the parent's deadline moves — by an approved extension (延期), or set by hand by its office
(`assign.set_deadline`) — its children follow
(`follow_deadline`, at every depth): each child that inherits the deadline, or whose own approved
extension is now earlier than the parent's new one, takes the new date; a child with its own later
approved extension, or a deadline its office set, keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.work import Assignment, ItemTarget, WorkItem
from eduplan.parsing.units import group_hint
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import today as local_today
from eduplan.services.clock import utcnow
from eduplan.services.errors import Invalid
from eduplan.services.tracking.items import item_snapshot
from eduplan.services.tracking.levels import LEVEL_WORDS, child_level
from eduplan.services.tracking.rollups import lock_plan, refresh_group
from eduplan.services.tracking.scope import managed_item

CITY_SHARE = re.compile(r"^(?:市本级|市直|本级|市属|区本级|县本级)")
DISTRICT = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:区|县|市|旗)$")
SCHOOL_GROUP = re.compile(r"学校|各校|校（园）|幼儿园")


@dataclass
class HandDownResult:
    """The children made (and those that already existed), by organisation name."""

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


def child_parts(parts: list[dict[str, Any]], level: str) -> dict[str, float]:
    """The shares of a target's parts that may name children of `level`: districts for a city's
    task, any part but the organisation's own (本级) for a district's."""
    if level == "county":
        return district_parts(parts)
    return {str(p["label"]): float(p["value"]) for p in parts if not CITY_SHARE.match(str(p["label"]))}


def _child_org(session: Session, parent: Organisation, name: str, level: str) -> Organisation:
    """The organisation `name` directly below `parent` (created on first sight, at `level`)."""
    below = session.scalars(select(Organisation).where(Organisation.parent_id == parent.id)).all()
    found = next((o for o in below if o.name == name or _stem(o.name) == _stem(name)), None)
    if found is not None:
        return found
    org = Organisation(name=name, level=level, parent_id=parent.id, path=f"{parent.path}/{name}")
    session.add(org)
    session.flush()
    return org


def _share(target: ItemTarget, name: str, level: str) -> float | None:
    """The child's value of a target: its part, the whole value when no part names a child,
    None when parts name children but not this one."""
    shares = child_parts(target.parts or [], level)
    if not shares:
        return target.value
    return next((v for label, v in shares.items() if _stem(label) == _stem(name)), None)


def _names(session: Session, item: WorkItem, names: list[str], org_ids: list[int]) -> list[str]:
    """The children's names: those given, those of the organisations chosen (which must be
    directly below the item's), else the districts the targets' parts name."""
    out = [d.strip() for d in names if d.strip()]
    if org_ids:
        chosen = session.scalars(select(Organisation).where(Organisation.id.in_(org_ids))).all()
        if len(chosen) != len(set(org_ids)) or any(o.parent_id != item.org_id for o in chosen):
            raise Invalid(f"只能下发给{item.organisation.name}的下级单位，请从列表中选择")
        out += [o.name for o in sorted(chosen, key=lambda o: o.id)]
    if not out and item.organisation.level == "city":
        out = list(dict.fromkeys(label for t in item.targets for label in district_parts(t.parts or [])))
    return list(dict.fromkeys(out))


def _carried(item: WorkItem, level: str) -> None:
    """The parent's words now carried by its children: 各县区 (各学校) and a received item's
    waiting row become `handed_down` (not 待明确)."""
    for a in item.assignments:
        handed = a.state == "received" or (
            a.state == "unspecified"
            and (group_hint(a.name) == "handdown" or (level == "school" and SCHOOL_GROUP.search(a.name)))
        )
        if handed:
            a.state = "handed_down"


def follow_deadline(session: Session, actor: Principal, item: WorkItem) -> list[int]:
    """The items handed down from `item`, at any depth, moved to its deadline after an extension or
    a deadline set by hand (caller's transaction; each change audited); returns their ids."""
    moved: list[int] = []
    parents = [item]
    while parents:
        parent = parents.pop()
        day = parent.deadline
        if day is None:
            continue
        for child in session.scalars(select(WorkItem).where(WorkItem.parent_id == parent.id)).all():
            own = child.deadline_source not in (None, "inherited")
            if own and not (child.deadline_source == "extension" and (child.deadline or day) < day):
                continue  # its own later extension, or a deadline its office set
            if child.deadline == day and child.deadline_source == "inherited":
                parents.append(child)
                continue
            before = item_snapshot(child)
            child.deadline, child.deadline_text, child.deadline_source = (
                day,
                parent.deadline_text,
                "inherited",
            )
            child.updated_by, child.updated_at = actor.username, utcnow()
            session.flush()
            record(
                session,
                actor,
                "deadline",
                "item",
                child.id,
                child.id,
                child.org_id,
                before,
                item_snapshot(child),
            )
            moved.append(child.id)
            parents.append(child)
    return moved


def hand_down(
    sessions: SessionFactory,
    actor: Principal,
    item_id: int,
    districts: list[str] | None = None,
    org_ids: list[int] | None = None,
    today: date | None = None,
) -> HandDownResult:
    """Hand an item down to the organisations below it (names, or ids), or to the districts its
    targets' parts name; `today` is the day they receive it (default: today in the zone)."""
    received = today or local_today(Settings().timezone)
    with sessions.begin() as session:
        item = managed_item(session, actor, item_id)
        lock_plan(session.connection(), item.plan_id)  # before any write (`rollups.lock_plan`)
        level = child_level(item.organisation.level)
        if level is None:
            raise Invalid(f"{item.organisation.name}没有下级单位，不能再下发")
        names = _names(session, item, districts or [], org_ids or [])
        if not names:
            raise Invalid(f"请选择下发的{LEVEL_WORDS.get(level, '下级单位')}（目标的分解中未列出）")
        result = HandDownResult({}, {})
        now = utcnow()
        before = item_snapshot(item)
        _carried(item, level)
        for name in names:
            org = _child_org(session, item.organisation, name, level)
            child = session.scalars(
                select(WorkItem).where(WorkItem.tracked_id == item.tracked_id, WorkItem.org_id == org.id)
            ).first()
            if child is not None:
                result.existing[name] = child.id
                continue
            child = WorkItem(
                tracked_id=item.tracked_id,
                plan_id=item.plan_id,
                org_id=org.id,
                parent_id=item.id,
                active=True,
                deadline=item.deadline,
                deadline_text=item.deadline_text,
                deadline_source="inherited" if item.deadline else None,
                received_on=received,
                updated_by=actor.username,
                updated_at=now,
            )
            child.assignments = [
                Assignment(unit_id=None, role="responsible", state="received", name=org.name, position=0)
            ]
            position = 0
            for t in item.targets:
                value = _share(t, name, level)
                if value is None:
                    continue
                child.targets.append(
                    ItemTarget(
                        parent_id=t.id,
                        position=position,
                        text=t.text,
                        subject=t.subject,
                        comparator=t.comparator,
                        value=value,
                        value_max=None if value != t.value else t.value_max,
                        unit=t.unit,
                        parts=[],
                    )
                )
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
        if item_snapshot(item) != before:
            item.updated_by, item.updated_at = actor.username, now
            session.flush()
            refresh_group(session.connection(), item.plan_id, item.org_id)
        return result
