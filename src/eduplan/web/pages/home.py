"""首页（驾驶舱）: the dashboard of the signed-in user's organisation — every plan's completion and
红黄绿 counts, overdue tasks, missing and late reports, units ranked by reporting completeness, this
cycle's deadline, with charts; a unit reporter sees their unit's view; an empty registry shows the
first steps.  The figures come from `services.tracking.dashboard` (see `home_view`)."""

from __future__ import annotations

from fastapi import APIRouter

from eduplan.choices import unit_with_org
from eduplan.services.pages.home import CHART_ROWS, HomeView, attention, home_view
from eduplan.services.tracking.dashboard import Dashboard, PlanSummary
from eduplan.web import charts
from eduplan.web.pages.context import PageCtx
from eduplan.web.pages.render import page

router = APIRouter(include_in_schema=False)


@page(router, "/", "home.html")
def home(ctx: PageCtx) -> HomeView:
    """The dashboard of the signed-in user's organisation (charts on the HTML page only)."""
    view = home_view(ctx.sessions, ctx.who, ctx.settings, ctx.today)
    if not ctx.request.url.path.endswith(".json") and view.dashboard.plans:
        view.charts = _charts(view.dashboard, sorted(view.dashboard.plans, key=attention))
    return view


def _charts(d: Dashboard, ordered: list[PlanSummary]) -> dict[str, str]:
    """The home page's charts (pygal SVG), drawn from the page's figures."""
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
