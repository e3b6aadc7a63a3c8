"""Reading supervision (督查督办): urges and rectifications (整改) the actor may see, each as the pages
and the API show it, and the per-item flags the status rules count.  Issuing, answering and
signing off are `loop.supervision` and `loop.rectifications`."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.db.reports import EvidenceFile
from eduplan.db.supervision import Rectification, Urge
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import NotFound
from eduplan.services.tracking import views as v
from eduplan.services.tracking.evidence import evidence_view
from eduplan.services.tracking.scope import item_for, visible_items
from eduplan.services.view_rows import from_row

S = TypeVar("S", Urge, Rectification)


def unit_name(session: Session, unit_id: int | None) -> str | None:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    return unit.name if unit else None


def urge_view(session: Session, u: Urge) -> v.UrgeView:
    return from_row(v.UrgeView, u, unit_name=unit_name(session, u.unit_id))


def rect_view(session: Session, r: Rectification) -> v.RectificationView:
    evidence = session.scalars(
        select(EvidenceFile).where(EvidenceFile.rectification_id == r.id).order_by(EvidenceFile.id)
    )
    return rect_of(r, unit_name(session, r.unit_id) or "", [evidence_view(e) for e in evidence])


def rect_of(r: Rectification, unit_name: str, evidence: list[v.EvidenceView]) -> v.RectificationView:
    """A rectification's view, its unit's name and evidence read by the caller (a page: for many at once)."""
    return from_row(v.RectificationView, r, unit_name=unit_name, evidence=evidence)


def sees_unit(actor: Principal, unit_id: int | None) -> bool:
    return actor.role != "reporter" or unit_id is None or unit_id == actor.unit_id


def list_urges(
    sessions: SessionFactory, actor: Principal, item_id: int | None = None, open_only: bool = False
) -> list[v.UrgeView]:
    """Urges the actor may see (a reporter: its unit's and whole-item ones), newest first."""
    with sessions() as session:
        return urges_in(session, actor, item_id, open_only)


def supervision_flags(
    session: Session, item_ids: list[int], today: date
) -> dict[int, tuple[bool, bool, int]]:
    """Per item: an open red urge, an unanswered urge past its date, overdue rectifications."""
    flags: dict[int, list[Any]] = {}
    for item_id, level, state, due_on in session.execute(
        select(Urge.item_id, Urge.level, Urge.state, Urge.due_on).where(
            Urge.item_id.in_(item_ids), Urge.state != "closed"
        )
    ):
        f = flags.setdefault(item_id, [False, False, 0])
        f[0] = f[0] or level == "red"
        f[1] = f[1] or (state == "open" and due_on < today)
    for item_id, deadline in session.execute(
        select(Rectification.item_id, Rectification.deadline).where(
            Rectification.item_id.in_(item_ids), Rectification.state != "signed_off"
        )
    ):
        if deadline < today:
            flags.setdefault(item_id, [False, False, 0])[2] += 1
    return {k: (bool(a), bool(b), int(c)) for k, (a, b, c) in flags.items()}


def list_rectifications(
    sessions: SessionFactory, actor: Principal, item_id: int | None = None, state: str | None = None
) -> list[v.RectificationView]:
    """Rectifications the actor may see (a reporter: its unit's), oldest first."""
    with sessions() as session:
        return rectifications_in(session, actor, item_id, state)


def urge_for(session: Session, actor: Principal, urge_id: int) -> Urge:
    return _seen(session, actor, Urge, urge_id, "督办")


def rectification_for(session: Session, actor: Principal, rect_id: int) -> Rectification:
    return _seen(session, actor, Rectification, rect_id, "整改事项")


def _seen(session: Session, actor: Principal, model: type[S], row_id: int, word: str) -> S:
    """The urge or rectification `row_id`, if the actor sees its unit and its task; else `NotFound`."""
    row = session.get(model, row_id)
    if row is None or not sees_unit(actor, row.unit_id):
        raise NotFound(f"找不到{word} {row_id}")
    item_for(session, actor, row.item_id)
    return row


def urges_in(
    session: Session, actor: Principal, item_id: int | None = None, open_only: bool = False
) -> list[v.UrgeView]:
    """`list_urges` inside a session the caller holds (a page reads in one)."""
    query = select(Urge).join(WorkItem, Urge.item_id == WorkItem.id).where(visible_items(actor))
    if item_id is not None:
        query = query.where(Urge.item_id == item_id)
    if open_only:
        query = query.where(Urge.state != "closed")
    if actor.role == "reporter":
        query = query.where((Urge.unit_id.is_(None)) | (Urge.unit_id == actor.unit_id))
    return [urge_view(session, u) for u in session.scalars(query.order_by(Urge.id.desc()))]


def rectifications_in(
    session: Session, actor: Principal, item_id: int | None = None, state: str | None = None
) -> list[v.RectificationView]:
    """`list_rectifications` inside a session the caller holds (a page reads in one)."""
    query = (
        select(Rectification).join(WorkItem, Rectification.item_id == WorkItem.id).where(visible_items(actor))
    )
    if item_id is not None:
        query = query.where(Rectification.item_id == item_id)
    if state is not None:
        query = query.where(Rectification.state == state)
    if actor.role == "reporter":
        query = query.where(Rectification.unit_id == actor.unit_id)
    return [rect_view(session, r) for r in session.scalars(query.order_by(Rectification.id))]
