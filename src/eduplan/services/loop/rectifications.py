"""Rectification items (整改) of supervision: a finding an assigned unit must put right by a deadline
(a date, or words such as 9月底前).  The unit records its measures and evidence (required) and
submits; office staff sign it off (销号) or send it back with a note.  销号 of the last outstanding
rectification of a 督办 closes that 督办 (issue 14).  Scoped like urges
(`supervision`): a reporter sees its own unit's.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.reports import EvidenceFile
from eduplan.db.supervision import Rectification, Urge
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Conflict, Invalid
from eduplan.services.loop.evidence import attach, checked
from eduplan.services.loop.supervision import (
    change_record,
    rect_snapshot,
    require_assigned,
    require_unit_reporter,
    urge_snapshot,
)
from eduplan.services.tracking import views as v
from eduplan.services.tracking.deadlines import resolve_deadline
from eduplan.services.tracking.scope import item_for, managed_item
from eduplan.services.tracking.supervision import rect_view, rectification_for, urge_for


def raise_rectification(
    sessions: SessionFactory,
    actor: Principal,
    item_id: int,
    unit_id: int,
    finding: str,
    deadline: date | str,
    urge_id: int | None = None,
) -> v.RectificationView:
    """A finding an assigned unit must put right by `deadline` (office staff)."""
    if not finding.strip():
        raise Invalid("请写明整改问题")
    with sessions.begin() as session:
        item = managed_item(session, actor, item_id)
        require_assigned(item, unit_id)
        if urge_id is not None and urge_for(session, actor, urge_id).item_id != item.id:
            raise Invalid("督办不属于该任务")
        day, _words = resolve_deadline(session, item.plan_id, deadline)
        now = utcnow()
        rect = Rectification(
            item_id=item.id,
            urge_id=urge_id,
            unit_id=unit_id,
            finding=finding.strip(),
            deadline=day,
            state="open",
            measures="",
            review_note=None,
            signed_off_by=None,
            signed_off_at=None,
            updated_by=actor.username,
            updated_at=now,
        )
        session.add(rect)
        session.flush()
        after = rect_snapshot(rect) | {"finding": rect.finding}
        record(session, actor, "raise", "rectification", rect.id, item.id, item.org_id, None, after)
        _emit_raised(session, item, rect)
        return rect_view(session, rect)


def _emit_raised(session: Session, item: WorkItem, rect: Rectification) -> None:
    from eduplan.services.notify.webhooks import emit_for_unit

    data = {"unit_id": rect.unit_id, "finding": rect.finding, "deadline": rect.deadline.isoformat()}
    emit_for_unit(session, "rectification.raised", item, ("rectification", rect.id), data)


def add_rectification_evidence(
    sessions: SessionFactory, settings: Settings, actor: Principal, rect_id: int, filename: str, data: bytes
) -> v.EvidenceView:
    """Attach evidence of the measures to an open rectification of the actor's unit."""
    found = checked(settings, filename, data)
    with sessions.begin() as session:
        rect = rectification_for(session, actor, rect_id)
        item = item_for(session, actor, rect.item_id)
        require_unit_reporter(actor, item, rect.unit_id)
        if rect.state != "open":
            raise Conflict("整改已提交，不能再添加佐证材料")
        return attach(session, settings, actor, item, data, found, rectification_id=rect.id)


def submit_rectification(
    sessions: SessionFactory, actor: Principal, rect_id: int, measures: str, version: int
) -> v.RectificationView:
    """The unit's measures, submitted for sign-off; evidence must be attached first."""
    if not measures.strip():
        raise Invalid("请写明整改措施")

    def apply(session: Session, rect: Rectification, item: WorkItem) -> None:
        require_unit_reporter(actor, item, rect.unit_id)
        if rect.state != "open":
            raise Conflict("整改已提交或已销号")
        if (
            session.scalars(select(EvidenceFile.id).where(EvidenceFile.rectification_id == rect.id)).first()
            is None
        ):
            raise Invalid("请先上传整改佐证材料")
        rect.state, rect.measures = "submitted", measures.strip()

    return change_record(sessions, actor, "rectification", rect_id, version, "submit", apply)  # type: ignore[no-any-return]


def close_settled_urge(session: Session, actor: Principal, rect: Rectification, item: WorkItem) -> None:
    """销号 of an 整改 closes the 督办 it came from when nothing else of that urge is outstanding
    (another of its rectifications still open or waiting): it no longer shows or costs points."""
    if rect.urge_id is None:
        return
    urge = session.get(Urge, rect.urge_id)
    if urge is None or urge.state == "closed":
        return
    others = select(Rectification.id).where(
        Rectification.urge_id == urge.id, Rectification.id != rect.id, Rectification.state != "signed_off"
    )
    if session.scalars(others).first() is not None:
        return
    before = urge_snapshot(urge)
    urge.state, urge.updated_by, urge.updated_at = "closed", actor.username, utcnow()
    session.flush()
    after = urge_snapshot(urge) | {"note": "整改销号，督办随之办结"}
    record(session, actor, "close", "urge", urge.id, item.id, item.org_id, before, after)


def sign_off(
    sessions: SessionFactory,
    actor: Principal,
    rect_id: int,
    version: int,
    accept: bool,
    note: str | None = None,
) -> v.RectificationView:
    """销号 (accept) a submitted rectification, or send it back with a note (office staff)."""
    actor.require_manager()

    def apply(session: Session, rect: Rectification, item: WorkItem) -> None:
        if rect.state != "submitted":
            raise Conflict("只有已提交的整改可以销号或退回")
        if accept:
            rect.state, rect.signed_off_by, rect.signed_off_at = "signed_off", actor.username, utcnow()
            rect.review_note = (note or "").strip() or None
            close_settled_urge(session, actor, rect, item)
        else:
            if not (note or "").strip():
                raise Invalid("退回整改时请写明原因")
            rect.state, rect.review_note = "open", (note or "").strip()

    action = "sign_off" if accept else "send_back"
    return change_record(sessions, actor, "rectification", rect_id, version, action, apply)  # type: ignore[no-any-return]
