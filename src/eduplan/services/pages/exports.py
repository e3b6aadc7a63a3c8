"""What the 导出 page (/plans/{plan_id}/exports) shows, assembled from the bulletin service: the two
downloads with their links and Chinese file names, the cycles a bulletin can be made of, and the
chosen cycle's bulletin figures (the HTML twin of the docx).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.export.names import bulletin_filename, ledger_filename
from eduplan.services.accounts import Principal
from eduplan.services.errors import Invalid
from eduplan.services.tracking.bulletin import (
    Bulletin,
    BulletinCycle,
    bulletin,
    due_bulletin_cycles,
    reporting_of,
)


def attachment(filename: str, ascii_name: str) -> str:
    """Content-Disposition with an ASCII fallback and the Chinese name (RFC 6266 / 5987)."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@dataclass(kw_only=True)
class ExportsPage:
    """The page's data: links, the cycle choice and the bulletin preview (None when no cycle is due)."""

    plan_id: int
    plan_title: str
    on: date
    on_given: bool
    cycle: int | None
    cycles: list[BulletinCycle]
    ledger_url: str | None
    ledger_filename: str
    bulletin_url: str | None
    bulletin_filename: str | None
    bulletin: Bulletin | None
    problem: str | None
    schedule_url: str | None = None
    """Where to open the plan for reporting, when it is not open yet."""


def _url(path: str, **params: object) -> str:
    given = {k: v for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(given)}" if given else path


def exports_page(
    sessions: SessionFactory,
    settings: Settings,
    actor: Principal,
    plan_id: int,
    today: date,
    cycle: int | None,
    on_given: bool,
) -> ExportsPage:
    """The exports page of a plan, as of `today` (the `on` day when the user gave one)."""
    title, is_open = reporting_of(sessions, actor, plan_id)  # NotFound: not the actor's to follow
    on = today.isoformat() if on_given else None
    base = f"/plans/{plan_id}"
    if not is_open:
        return ExportsPage(
            plan_id=plan_id,
            plan_title=title,
            on=today,
            on_given=on_given,
            cycle=None,
            cycles=[],
            ledger_url=None,
            ledger_filename=ledger_filename(title, today),
            bulletin_url=None,
            bulletin_filename=None,
            bulletin=None,
            problem="该计划尚未开启报送，还没有进展可以导出。请先设置报送周期（开启报送）。",
            schedule_url=f"{base}/schedule",
        )
    cycles = due_bulletin_cycles(sessions, actor, plan_id, today)
    found: Bulletin | None = None
    problem = None
    try:
        found = bulletin(sessions, settings, actor, plan_id, today, cycle)
    except Invalid as exc:
        problem = str(exc)
    return ExportsPage(
        plan_id=plan_id,
        plan_title=title,
        on=today,
        on_given=on_given,
        cycle=found.cycle.index if found else None,
        cycles=cycles,
        ledger_url=_url(f"{base}/ledger.xlsx", on=on),
        ledger_filename=ledger_filename(title, today),
        bulletin_url=_url(f"{base}/bulletin.docx", cycle=found.cycle.index, on=on) if found else None,
        bulletin_filename=bulletin_filename(found.plan_title, found.cycle.number) if found else None,
        bulletin=found,
        problem=problem,
    )
