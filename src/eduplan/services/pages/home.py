"""The context of the home page (首页 驾驶舱), assembled from `services.tracking.dashboard`: the figures,
which plans and units to list first, and the charts (HTML only; the ``.json`` twin has the same
figures without SVG).

Limits: at most `PLAN_ROWS` plans are listed (those needing attention first: most 严重滞后, then
滞后 tasks) with a link to the full list; units are listed whole up to `UNIT_ROWS`, else the first
and last `UNIT_ROWS // 2` of the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import Principal
from eduplan.services.tracking.dashboard import Dashboard, PlanSummary, UnitRank, org_dashboard
from eduplan.services.tracking.measures import EXPLANATION

PLAN_ROWS = 30
UNIT_ROWS = 40
CHART_ROWS = 12


@dataclass(kw_only=True)
class HomeView:
    """The dashboard plus what the page lists first and its charts."""

    dashboard: Dashboard
    plans: list[PlanSummary]
    plans_hidden: int
    top_units: list[UnitRank]
    bottom_units: list[UnitRank]
    can_manage: bool
    days_to_due: int | None
    several_tiers: bool = False
    """Whether the ranked units fall in more than one group (`levels.tier`): each rank then shows its group."""
    charts: dict[str, str] = field(default_factory=dict)
    """Name → inline SVG (`Markup`, so the template does not escape it), drawn by the web layer
    (`web.pages.home`); empty in the .json twin."""
    explanation: str = EXPLANATION
    """What 任务, 完成 and 平均进度 mean (`loop.measures`), shown under the plans."""


def attention(p: PlanSummary) -> tuple[int, int, int, int]:
    """Plans with the most red, then amber tasks, then missing reports first."""
    return (-p.counts["red"], -p.counts["amber"], -p.missing, p.plan_id)


def home_view(sessions: SessionFactory, actor: Principal, settings: Settings, today: date) -> HomeView:
    """The home page of `actor` as of `today`."""
    d = org_dashboard(sessions, actor, settings, today)
    ordered = sorted(d.plans, key=attention)
    shown = ordered[:PLAN_ROWS]
    units = d.units
    if len(units) <= UNIT_ROWS:
        top, bottom = units, []
    else:
        top, bottom = units[: UNIT_ROWS // 2], units[-(UNIT_ROWS // 2) :]
    due = d.next_due
    view = HomeView(
        dashboard=d,
        plans=shown,
        plans_hidden=len(ordered) - len(shown),
        top_units=top,
        bottom_units=bottom,
        can_manage=actor.manages,
        days_to_due=(due - today).days if due else None,
        several_tiers=len({u.tier for u in units}) > 1,
    )
    return view
