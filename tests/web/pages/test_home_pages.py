"""首页（驾驶舱）: what a leader, a unit reporter and the administrator of an empty registry see; the
.json twin; charts as inline SVG with Chinese labels and nothing from outside the page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.people import reporter
from tests.reporting import OwnReports
from tests.web.pages.conftest import PagesFor

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services.accounts import Principal
from eduplan.services.clock import today
from eduplan.services.loop import ReportInput
from eduplan.services.tracking.dashboard import org_dashboard


def report_some(world: World, sessions: SessionFactory) -> None:
    caiwu = OwnReports(sessions, reporter(world, "caiwu", "计划财务科"), datetime(2024, 5, 1).date())
    for cycle in range(3):
        on_time = datetime(2024, cycle + 1, 20, tzinfo=UTC)
        caiwu.file(world.items["9"], cycle, ReportInput("in_progress", 30), on_time)


def test_a_leader_sees_every_plan_units_and_charts(
    world: World, sessions: SessionFactory, settings: Settings, pages_for: PagesFor
) -> None:
    report_some(world, sessions)
    html = pages_for("leader", world.password).get("/").text
    assert "示例市 · 驾驶舱" in html
    assert "示例市教育局2024年教育工作要点" in html and f'href="/plans/{world.plan_id}"' in html
    assert "单位报送完成率排名" in html and "计划财务科" in html
    expected = org_dashboard(sessions, Principal.system(), settings, today(settings.timezone))
    main = next(p for p in expected.plans if p.plan_id == world.plan_id)
    row = re.search(rf'href="/plans/{world.plan_id}".*?</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r'class="num">([^<]*)</td>', row.group(0))
    assert cells[0] == "11" and cells[2:5] == [str(main.counts[c]) for c in ("green", "amber", "red")]
    assert html.count("<svg") == 3  # lights ring, plans' lights, units' completeness
    assert 'aria-label="任务红黄绿灯"' in html and "严重滞后" in html


def test_charts_are_inline_svg_with_chinese_labels_and_no_external_reference(
    world: World, pages_for: PagesFor
) -> None:
    html = pages_for("office", world.password).get("/").text
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(svgs) == 3
    for svg in svgs:
        assert re.search(r'role="img" aria-label="[^"]*[\u4e00-\u9fff]', svg)
        assert "<script" not in svg and "<!--" not in svg
        assert not re.search(r'(?:href|src)="(?:https?:)?//', svg)
        assert "Noto Sans CJK SC" in svg  # the CJK font stack
    assert "#b42318" in html and "#16733a" in html  # app.css's --red and --green
    without_namespaces = re.sub(r'xmlns(?::\w+)?="[^"]*"', "", html)
    assert "http://" not in without_namespaces and "https://" not in without_namespaces


def test_a_reporter_sees_the_view_of_its_unit(
    world: World, sessions: SessionFactory, settings: Settings, pages_for: PagesFor
) -> None:
    report_some(world, sessions)
    client = pages_for("caiwu", world.password)
    html = client.get("/").text
    assert "计划财务科 · 本单位报送" in html and "本单位报送完成率" in html
    assert 'href="/my/report"' in html
    assert 'href="/evaluation"' not in html and 'href="/supervision"' not in html  # not a reporter's pages
    assert "发展规划科" not in html and "单位报送完成率排名" not in html  # no other unit
    data = client.get("/.json").json()
    assert data["dashboard"]["unit_view"] is True
    assert [u["unit_name"] for u in data["dashboard"]["units"]] == ["计划财务科"]
    main = next(p for p in data["dashboard"]["plans"] if p["plan_id"] == world.plan_id)
    assert main["tasks"] == 2  # items 7 and 9
    unit = data["dashboard"]["units"][0]
    assert unit["filed"] == 3 and unit["rate"] == round(100 * 3 / unit["expected"], 1)


def test_the_json_twin_has_the_figures_without_svg(world: World, pages_for: PagesFor) -> None:
    data = pages_for("leader", world.password).get("/.json").json()
    assert data["charts"] == {}
    totals = data["dashboard"]["totals"]
    assert totals["tasks"] == 14 and totals["plans"] == 2
    assert "next_due" in data["dashboard"] and all("completion" in p for p in data["dashboard"]["plans"])
    # the one task no unit has yet is 待分工, in no colour (issue 14)
    assert totals["green"] + totals["amber"] + totals["red"] == 13
    assert {p["title"] for p in data["dashboard"]["plans"]} == {
        "示例市教育局2024年教育工作要点",
        "示例市教育局2024年教育重点项目安排",
    }


def test_an_empty_registry_shows_the_first_steps(admin_pages) -> None:
    html = admin_pages.get("/").text
    assert "开始使用" in html and 'href="/plans/import"' in html
    assert "开启报送" in html and "分工" in html
    assert "<svg" not in html


def test_a_plan_title_with_markup_is_escaped_in_table_and_chart(
    world: World, sessions: SessionFactory, pages_for: PagesFor
) -> None:
    from sqlalchemy import update

    from eduplan.db.plans import Plan

    with sessions.begin() as session:
        session.execute(
            update(Plan).where(Plan.id == world.plan_id).values(title="<script>alert(1)</script>要点")
        )
    html = pages_for("leader", world.password).get("/").text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;要点" in html
