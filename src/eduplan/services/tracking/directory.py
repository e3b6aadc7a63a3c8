"""Reading the unit directory (单位目录) for the loop's forms: the units a task may be assigned to,
by name.  Adding or changing units is `loop.directory`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.orgs import Unit


def unit_options(session: Session, org_id: int, limit: int = 500) -> list[tuple[int, str]]:
    """(id, name) of an organisation's units, by name: one statement."""
    query = select(Unit.id, Unit.name).where(Unit.org_id == org_id).order_by(Unit.name, Unit.id).limit(limit)
    return [(i, n) for i, n in session.execute(query)]
