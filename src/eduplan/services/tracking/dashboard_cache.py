"""Dashboards kept while nothing they are computed from has changed.

The dashboard statement (`dashboard_query`) costs a few hundred milliseconds at 1,000 plans and
1,000,000 reports, and leaders open the same dashboard many times between two reports.  Every
change the loop makes to reports, assignments, schedules, urges, rectifications, evaluations, the
unit directory and comments is written with an entry in the append-only audit log in the same
transaction (`services.audit.record`), and every import makes a new plan version; so a dashboard
stays exact while the newest audit entry and the registry's stamp (`registry.memo.STAMP`) are the
same, for the same scope and day.  Reading that stamp is a few index lookups.

Limits: one cache per process (each `eduplan serve` process reads the stamp from the database, so a
change made through another process is seen at once); at most `MAX_ENTRIES` dashboards (least
recently used out).  Writes that bypass the services (a bulk generator) must clear it (`clear`).
The stamp is read before the dashboard, so a dashboard may be slightly newer than its stamp, never
older.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import TypeVar

from sqlalchemy import select

from eduplan.db.audit import AuditEntry
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts.principal import Principal
from eduplan.services.registry.memo import STAMP, Memo

T = TypeVar("T")
MAX_ENTRIES = 64

_LATEST_AUDIT = select(AuditEntry.id, AuditEntry.at).order_by(AuditEntry.id.desc()).limit(1)

_dashboards = Memo(MAX_ENTRIES)


def stamp(sessions: SessionFactory) -> tuple[object, ...]:
    """What identifies the loop's and the registry's content right now."""
    with sessions() as session:
        conn = session.connection()
        audit = conn.execute(_LATEST_AUDIT).first()
        registry = conn.execute(STAMP).one()
        return (str(conn.engine.url), tuple(audit) if audit else None, tuple(registry))


def cached(
    sessions: SessionFactory, actor: Principal, today: date, extra: Hashable, build: Callable[[], T]
) -> T:
    """`build()`'s dashboard for (actor's scope, today, extra), reused while the stamp holds."""
    key = (
        stamp(sessions),
        actor.role,
        actor.org_id,
        actor.org_path,
        actor.unit_id,
        today,
        extra,
    )
    return _dashboards.get(key, build)


def clear() -> None:
    """Forget every dashboard (after writing rows without the services, as the benchmarks do)."""
    _dashboards.clear()
