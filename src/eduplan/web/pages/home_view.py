"""The context of the home page (首页 驾驶舱), assembled from `services.loop.dashboard`: the figures,
which plans and units to list first, and the charts (HTML only; the ``.json`` twin has the same
figures without SVG).

Limits: at most `PLAN_ROWS` plans are listed (those needing attention first: most 严重滞后, then
滞后 tasks) with a link to the full list; units are listed whole up to `UNIT_ROWS`, else the first
and last `UNIT_ROWS // 2` of the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from eduplan.choices import unit_with_org
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import Principal
from eduplan.services.loop.dashboard import Dashboard, PlanSummary, UnitRank, org_dashboard
from eduplan.web import charts

PLAN_ROWS = 30
UNIT_ROWS = 40
CHART_ROWS = 12


@dataclass
class HomeView:
    """The dashboard plus what the page lists first and its charts."""

    dashboard: Dashboard
    plans: list[PlanSummary]
    plans_hidden: int
    top_units: list[UnitRank]
    bottom_units: list[UnitRank]
    can_manage: bool
    days_to_due: int | None
    charts: dict[str, str] = field(default_factory=dict)
    """Name → inline SVG (`Markup`, so the template does not escape it); empty in the .json twin."""


def attention(p: PlanSummary) -> tuple[int, int, int, int]:
    """Plans with the most red, then amber tasks, then missing reports first."""
    return (-p.counts["red"], -p.counts["amber"], -p.missing, p.plan_id)


def home_view(
    sessions: SessionFactory, actor: Principal, settings: Settings, today: date, with_charts: bool = True
) -> HomeView:
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
        d, shown, len(ordered) - len(shown), top, bottom, actor.manages, (due - today).days if due else None
    )
    if with_charts and d.plans:
        view.charts = _charts(d, ordered)
    return view


def _charts(d: Dashboard, ordered: list[PlanSummary]) -> dict[str, str]:
    t = d.totals
    out: dict[str, str] = {"lights": charts.lights_pie("任务红黄绿灯", t["green"], t["amber"], t["red"])}
    if len(d.plans) > 1:
        rows = [
            (p.title, p.counts["green"], p.counts["amber"], p.counts["red"]) for p in ordered[:CHART_ROWS]
        ]
        title = "各计划任务状态" if len(d.plans) <= CHART_ROWS else f"需关注的 {CHART_ROWS} 个计划"
        out["plans"] = charts.lights_chart(title, rows)
    if not d.unit_view and d.units:
        head = d.units[:CHART_ROWS]
        title = "单位报送完成率" if len(d.units) <= CHART_ROWS else f"报送完成率前 {CHART_ROWS} 名单位"
        names = [
            u.unit_name if u.org_name == d.scope else unit_with_org(u.org_name, u.unit_name) for u in head
        ]
        out["units"] = charts.bar_chart(title, [(n, u.rate) for n, u in zip(names, head, strict=True)])
    return out
