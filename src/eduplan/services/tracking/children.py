"""The roll-up of a task handed down (下发), as its parent's page shows it: each child — a district's or
a school's task — with its light and progress (from the plan's status, `status`: rolled up in turn
from its own children), its latest report, whether its office has named its units (待分工), and its
open urges and rectifications; and the organisations below the task's that it may still be handed
down to.

Read in a fixed number of statements whatever the number of children (one per kind: the
organisations below with the children among them, the latest reports, the open urges, the open
rectifications); nothing is read for a reporter, who sees its own unit's tasks only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.reports import ProgressReport
from eduplan.db.supervision import Rectification, Urge
from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking import views as v
from eduplan.services.tracking.facts import COUNTED
from eduplan.services.tracking.levels import LEVEL_WORDS, ROLL_UP_RULE, child_level
from eduplan.services.tracking.scope import visible_items


@dataclass(kw_only=True)
class ChildRow:
    """One task handed down from the parent, as the parent's page lists it."""

    item_id: int
    org_id: int
    org_name: str
    received_on: date | None
    colour: str | None
    progress: float | None
    reasons: list[str]
    assigned: bool
    """Whether its office has named its units (else 待分工, or handed on further)."""
    handed_on: bool
    """Whether it was handed on further (its own units, if any, beside)."""
    latest_percent: float | None
    latest_cycle: int | None
    latest_narrative: str
    open_urges: int
    open_rectifications: int


@dataclass(kw_only=True)
class RollUp:
    """The children of a task and what it may still be handed down to."""

    level_word: str
    """What the children are (县区, 学校); empty when nothing is below the task's organisation."""
    children: list[ChildRow] = field(default_factory=list)
    options: list[tuple[int, str]] = field(default_factory=list)
    """Organisations directly below the task's that have no child of it yet (id, name)."""
    rule: str = ROLL_UP_RULE


def roll_up_in(
    session: Session, actor: Principal, item: v.WorkItemView, statuses: dict[int, v.ItemStatus]
) -> RollUp:
    """The roll-up of `item` as `actor` may see it; `statuses`: the plan's item statuses by id."""
    level = child_level(item.org_level) if item.org_level else None
    if not actor.reads_org or (level is None and not item.children):
        return RollUp(level_word="")
    child = and_(WorkItem.org_id == Organisation.id, WorkItem.parent_id == item.id, visible_items(actor))
    rows = session.execute(
        select(Organisation.id, Organisation.name, WorkItem.id, WorkItem.received_on)
        .outerjoin(WorkItem, child)
        .where(Organisation.parent_id == item.org_id)
        .order_by(Organisation.id)
    ).all()
    ids = [r[2] for r in rows if r[2] is not None]
    options = [(r[0], r[1]) for r in rows if r[2] is None] if actor.manages else []
    out = RollUp(level_word=LEVEL_WORDS.get(level or "", "下级单位"), children=[], options=options)
    if not ids:
        return out
    states: dict[int, set[str]] = defaultdict(set)
    for item_id, state in session.execute(
        select(Assignment.item_id, Assignment.state).where(Assignment.item_id.in_(ids))
    ):
        states[item_id].add(state)
    latest: dict[int, tuple[int, float, str]] = {}
    for item_id, cycle, percent, narrative in session.execute(
        select(ProgressReport.item_id, ProgressReport.cycle, ProgressReport.percent, ProgressReport.narrative)
        .where(ProgressReport.item_id.in_(ids), ProgressReport.state.in_(COUNTED))
        .order_by(ProgressReport.item_id, ProgressReport.cycle, ProgressReport.id)
    ):
        latest[item_id] = (cycle, percent, narrative)  # the last one read is the latest cycle's
    urges = dict(
        session.execute(
            select(Urge.item_id, func.count())
            .where(Urge.item_id.in_(ids), Urge.state == "open")
            .group_by(Urge.item_id)
        ).all()
    )
    fixes = dict(
        session.execute(
            select(Rectification.item_id, func.count())
            .where(Rectification.item_id.in_(ids), Rectification.state != "signed_off")
            .group_by(Rectification.item_id)
        ).all()
    )
    below = {s.parent_id for s in statuses.values()}  # children with tasks handed on from them
    for org_id, org_name, item_id, received_on in rows:
        if item_id is None:
            continue
        s = statuses.get(item_id)
        last = latest.get(item_id)
        out.children.append(
            ChildRow(
                item_id=item_id,
                org_id=org_id,
                org_name=org_name,
                received_on=received_on,
                colour=s.colour if s else None,
                progress=s.progress if s else None,
                reasons=s.reasons if s else [],
                assigned="assigned" in states[item_id],
                handed_on="handed_down" in states[item_id] or item_id in below,
                latest_percent=last[1] if last else None,
                latest_cycle=last[0] if last else None,
                latest_narrative=last[2] if last else "",
                open_urges=int(urges.get(item_id, 0)),
                open_rectifications=int(fixes.get(item_id, 0)),
            )
        )
    return out


def handdown_choices(
    sessions: SessionFactory, actor: Principal, org_id: int
) -> tuple[str, list[tuple[int, str]]]:
    """What an organisation's tasks are handed down to (县区, 学校; empty: nothing below it) and the
    organisations directly below it (id, name), for office staff whose scope holds it."""
    if not actor.manages:
        return "", []
    with sessions() as session:
        org = session.execute(
            select(Organisation.level, Organisation.path).where(Organisation.id == org_id)
        ).first()
        if org is None or not actor.sees_org(org.path):
            return "", []
        level = org.level
        below = child_level(level or "")
        if below is None:
            return "", []
        rows = session.execute(
            select(Organisation.id, Organisation.name)
            .where(Organisation.parent_id == org_id)
            .order_by(Organisation.id)
        ).all()
    return LEVEL_WORDS.get(below, "下级单位"), [(i, n) for i, n in rows]
