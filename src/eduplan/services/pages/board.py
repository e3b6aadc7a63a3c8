"""The 督办 board and the 整改 list as the supervision pages show them: urges and rectifications
the actor may see, each with its task's number, title and plan, whether it is overdue, and the
filter choices (units, plans) that occur among them.

Read-only and scoped exactly like `supervision.list_urges` / `rectifications.list_rectifications`
(a reporter: its own unit's, plus urges on a whole task).  Every list is read with a constant
number of queries (no query per row); the board is not paged — open urges are the office's
working set, a few hundred at most.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from eduplan.choices import unit_with_org
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation, Unit
from eduplan.db.plans import Plan
from eduplan.db.reports import EvidenceFile
from eduplan.db.supervision import Rectification, Urge
from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking import views as v
from eduplan.services.tracking.evidence import evidence_view
from eduplan.services.tracking.items import latest_tasks
from eduplan.services.tracking.scope import item_for, visible_items
from eduplan.services.tracking.supervision import rect_of, rect_view, rectification_for
from eduplan.services.tracking.views import ItemLabel
from eduplan.services.view_rows import from_row

LEVEL_ORDER = {"red": 0, "yellow": 1}
T = TypeVar("T")


@dataclass(kw_only=True)
class Choice:
    value: int
    label: str


@dataclass(kw_only=True)
class Board:
    """What both boards show beside their rows: the day, the rows counted by level or state, how many
    are overdue, and the units and plans to filter by (those among everything the actor sees)."""

    today: date
    counts: dict[str, int]
    overdue: int
    units: list[Choice]
    plans: list[Choice]


@dataclass(kw_only=True)
class BoardRow:
    """What every row of a board says besides its urge or rectification: its task, and whether it is
    overdue (an urge unanswered past its date, a rectification not signed off by its deadline)."""

    item: ItemLabel
    overdue: bool


@dataclass(kw_only=True)
class BoardUrge(BoardRow):
    urge: v.UrgeView


@dataclass(kw_only=True)
class UrgeBoard(Board):
    """Open (or filtered) urges, 督办 (red) first, then by answer date."""

    urges: list[BoardUrge]


@dataclass(kw_only=True)
class RectRow(BoardRow):
    rectification: v.RectificationView


@dataclass(kw_only=True)
class RectBoard(Board):
    """Rectifications, the overdue ones first, then by deadline; signed-off ones last."""

    rows: list[RectRow]


@dataclass(kw_only=True)
class AssignedUnit:
    unit_id: int
    name: str
    role: str


def item_labels(session: Session, item_ids: set[int]) -> dict[int, ItemLabel]:
    """Number, title and plan of each item (two queries, whatever the count)."""
    if not item_ids:
        return {}
    rows = session.execute(
        select(WorkItem.id, WorkItem.tracked_id, WorkItem.plan_id, Plan.title)
        .join(Plan, WorkItem.plan_id == Plan.id)
        .where(WorkItem.id.in_(item_ids))
    ).all()
    texts = latest_tasks(session, {r.tracked_id for r in rows})
    out = {}
    for r in rows:
        t = texts.get(r.tracked_id)
        out[r.id] = ItemLabel(
            item_id=r.id,
            plan_id=r.plan_id,
            plan_title=r.title,
            number=t.number if t else "",
            title=t.title if t else "",
        )
    return out


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    """Units by name; where the board mixes levels (a city's 科室 beside its districts' 基础教育科 of the
    same name), every unit of another organisation than the board's own carries it (甲区基础教育科)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Unit.id, Unit.name, Unit.org_id, Organisation.name, Organisation.path)
        .join(Organisation, Organisation.id == Unit.org_id)
        .where(Unit.id.in_(ids))
    ).all()
    home = min(rows, key=lambda r: len(r.path)).org_id  # the board's own: the highest level shown
    return {r.id: r.name if r.org_id == home else unit_with_org(r[3], r.name) for r in rows}


def _unit_choices(session: Session, ids: set[int]) -> list[Choice]:
    names = _names(session, ids)
    return [Choice(value=i, label=n) for i, n in sorted(names.items(), key=lambda x: x[1])]


def _plan_choices(labels: dict[int, ItemLabel]) -> list[Choice]:
    plans = {label.plan_id: label.plan_title for label in labels.values()}
    return [Choice(value=i, label=t) for i, t in sorted(plans.items())]


def _narrowed(
    query: Select[T], unit: InstrumentedAttribute[Any], unit_id: int | None, plan_id: int | None
) -> Select[T]:
    """`query` (joined to `WorkItem`) kept to one unit and one plan when they are given."""
    if unit_id is not None:
        query = query.where(unit == unit_id)
    if plan_id is not None:
        query = query.where(WorkItem.plan_id == plan_id)
    return query


def _labels_and_choices(
    session: Session, shown: set[int], everything: Sequence[tuple[int, int | None]]
) -> tuple[dict[int, ItemLabel], list[Choice], list[Choice]]:
    """Labels of the shown items and of all the (item, unit) pairs the actor sees, and the unit and
    plan choices among those pairs (so a filter never hides its own alternatives)."""
    labels = item_labels(session, shown | {i for i, _u in everything})
    units = _unit_choices(session, {u for _i, u in everything if u is not None})
    return labels, units, _plan_choices({i: labels[i] for i, _u in everything})


def _tally(keys: tuple[str, ...], values: Iterable[str]) -> dict[str, int]:
    """How many of `values` are each key (the keys first, at 0, in their order)."""
    counts = dict.fromkeys(keys, 0)
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _urge_scope(actor: Principal) -> ColumnElement[bool]:
    condition = visible_items(actor)
    if actor.role == "reporter":
        condition = condition & (Urge.unit_id.is_(None) | (Urge.unit_id == actor.unit_id))
    return condition


def urge_board(
    sessions: SessionFactory,
    actor: Principal,
    today: date,
    level: str | None = None,
    state: str | None = None,
    unit_id: int | None = None,
    plan_id: int | None = None,
) -> UrgeBoard:
    """Urges the actor may see; `state` None means every urge not yet closed (办结)."""
    base = select(Urge).join(WorkItem, Urge.item_id == WorkItem.id).where(_urge_scope(actor))
    query = _narrowed(base, Urge.unit_id, unit_id, plan_id)
    query = query.where(Urge.state == state) if state else query.where(Urge.state != "closed")
    if level:
        query = query.where(Urge.level == level)
    with sessions() as session:
        urges = list(session.scalars(query))
        names = _names(session, {u.unit_id for u in urges if u.unit_id})
        everything = session.execute(
            base.with_only_columns(Urge.item_id, Urge.unit_id).where(Urge.state != "closed")
        ).all()
        labels, units, plans = _labels_and_choices(session, {u.item_id for u in urges}, everything)
        views = []
        for u in urges:
            view = from_row(v.UrgeView, u, unit_name=names.get(u.unit_id) if u.unit_id else None)
            views.append(
                BoardUrge(urge=view, item=labels[u.item_id], overdue=u.state == "open" and u.due_on < today)
            )
    views.sort(key=lambda b: (LEVEL_ORDER.get(b.urge.level, 9), not b.overdue, b.urge.due_on, b.urge.id))
    counts = _tally(("red", "yellow"), (b.urge.level for b in views))
    overdue = sum(b.overdue for b in views)
    return UrgeBoard(today=today, counts=counts, overdue=overdue, units=units, plans=plans, urges=views)


def rectification_board(
    sessions: SessionFactory,
    actor: Principal,
    today: date,
    state: str | None = None,
    unit_id: int | None = None,
    plan_id: int | None = None,
) -> RectBoard:
    """Rectifications the actor may see, the overdue ones first, then by deadline."""
    base = (
        select(Rectification).join(WorkItem, Rectification.item_id == WorkItem.id).where(visible_items(actor))
    )
    if actor.role == "reporter":
        base = base.where(Rectification.unit_id == actor.unit_id)
    query = _narrowed(base, Rectification.unit_id, unit_id, plan_id)
    if state:
        query = query.where(Rectification.state == state)
    with sessions() as session:
        rects = list(session.scalars(query))
        ids = [r.id for r in rects]
        evidence: dict[int, list[v.EvidenceView]] = {}
        if ids:
            for e in session.scalars(
                select(EvidenceFile).where(EvidenceFile.rectification_id.in_(ids)).order_by(EvidenceFile.id)
            ):
                evidence.setdefault(e.rectification_id or 0, []).append(evidence_view(e))
        everything = session.execute(
            base.with_only_columns(Rectification.item_id, Rectification.unit_id)
        ).all()
        names = _names(session, {r.unit_id for r in rects})
        labels, units, plans = _labels_and_choices(session, {r.item_id for r in rects}, everything)
        rows = []
        for r in rects:
            view = rect_of(r, names.get(r.unit_id, ""), evidence.get(r.id, []))
            rows.append(
                RectRow(
                    rectification=view,
                    item=labels[r.item_id],
                    overdue=r.state != "signed_off" and r.deadline < today,
                )
            )
    rows.sort(
        key=lambda x: (
            x.rectification.state == "signed_off",
            not x.overdue,
            x.rectification.deadline,
            x.rectification.id,
        )
    )
    counts = _tally(("open", "submitted", "signed_off"), (x.rectification.state for x in rows))
    overdue = sum(x.overdue for x in rows)
    return RectBoard(today=today, counts=counts, overdue=overdue, units=units, plans=plans, rows=rows)


def rectification_detail(sessions: SessionFactory, actor: Principal, rect_id: int, today: date) -> RectRow:
    """One rectification the actor may see, with its task and whether it is overdue."""
    with sessions() as session:
        rect = rectification_for(session, actor, rect_id)
        view = rect_view(session, rect)
        label = item_labels(session, {rect.item_id})[rect.item_id]
    return RectRow(
        rectification=view, item=label, overdue=view.state != "signed_off" and view.deadline < today
    )


def assigned_units(
    sessions: SessionFactory, actor: Principal, item_id: int
) -> tuple[ItemLabel, list[AssignedUnit]]:
    """A task the actor sees and the units assigned to it (for the forms that address one)."""
    with sessions() as session:
        item = item_for(session, actor, item_id)
        rows = session.execute(
            select(Assignment.unit_id, Unit.name, Assignment.role)
            .join(Unit, Assignment.unit_id == Unit.id)
            .where(Assignment.item_id == item.id, Assignment.state == "assigned")
            .order_by(Assignment.position)
        ).all()
        label = item_labels(session, {item.id})[item.id]
    return label, [AssignedUnit(unit_id=u or 0, name=n, role=r) for u, n, r in rows]
