"""对标 pages over the fictional comparison plans: the matrix, a cell opened side by side,
similar tasks with shared phrases marked, a plan's 特色 / year-over-year / 自查, the xlsx link, and
topic correction by office staff only (typed values come back escaped)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.compare_corpus import task_id
from tests.web.pages.conftest import PagesFor, csrf_of, post_form

from eduplan.db.engine import SessionFactory
from eduplan.samples.compare_plans import import_compare_plans
from eduplan.samples.loop import World
from eduplan.services.registry import TaskFilter, list_tasks

XSS = "<script>alert(1)</script>"


@pytest.fixture
def plans(sessions: SessionFactory, world: World) -> dict[str, int]:
    return import_compare_plans(sessions)


@pytest.fixture
def football(sessions: SessionFactory, plans: dict[str, int]) -> str:
    """The comparison page of the 2023 city plan's 推广校园足球, whose topics the tests correct."""
    return f"/compare/tasks/{task_id(sessions, plans['city2023'], '推广校园足球')}"


def test_the_matrix_links_cells_plans_and_the_workbook(pages_for: PagesFor, plans: dict[str, int]) -> None:
    viewer = pages_for("viewer", "示例Passw0rd2024")
    chosen = f"plan={plans['city2023']}&plan={plans['city2024']}&plan={plans['county']}"
    page = viewer.get(f"/compare?{chosen}")
    assert page.status_code == 200 and "规划 × 主题矩阵" in page.text and "样例县2024" in page.text
    assert f'href="/compare/topics/labor?{chosen.replace("&", "&amp;")}"' in page.text
    assert f'href="/compare/plans/{plans["county"]}?' in page.text
    xlsx = f"/api/v1/compare/export.xlsx?plan_id={plans['city2023']}&amp;plan_id={plans['city2024']}"
    assert xlsx in page.text
    workbook = viewer.get(xlsx.replace("&amp;", "&") + f"&plan_id={plans['county']}")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    data = viewer.get(f"/compare.json?{chosen}").json()
    assert {p["label"] for p in data["matrix"]["plans"]} == {"样例市2023", "样例市2024", "样例县2024"}
    cell = viewer.get(f"/compare/topics/labor?{chosen}")
    assert cell.status_code == 200 and "劳动教育" in cell.text and cell.text.count('class="card"') >= 3
    assert viewer.get("/compare/topics/nonsense").status_code == 404


def test_a_topic_cell_names_each_task_once(pages_for: PagesFor, plans: dict[str, int]) -> None:
    """Each task reads "一.1 深化劳动教育" once — not its title twice, nor a lone chapter number under it."""
    viewer = pages_for("viewer", "示例Passw0rd2024")
    cell = viewer.get(f"/compare/topics/labor?plan={plans['city2024']}").text
    assert cell.count("深化劳动教育") == 1
    assert re.search(r"一\.1 深化劳动教育", cell)
    assert not re.search(r'<p class="muted">\s*[一二三四五六七八九十]+\s*</p>', cell)


def test_similar_tasks_mark_shared_phrases(pages_for: PagesFor, plans: dict[str, int], sessions) -> None:
    office = pages_for("office", "示例Passw0rd2024")
    task = task_id(sessions, plans["city2023"], "加强劳动教育")
    page = office.get(f"/compare/tasks/{task}")
    assert page.status_code == 200 and "其他规划中的相似任务" in page.text and "<mark>" in page.text
    data = office.get(f"/compare/tasks/{task}.json").json()
    assert data["similar"]["matches"] and data["similar"]["matches"][0]["shared"]


def test_a_plan_shows_its_distinctive_tasks_changes_and_findings(
    pages_for: PagesFor, plans: dict[str, int]
) -> None:
    leader = pages_for("leader", "示例Passw0rd2024")
    county = leader.get(f"/compare/plans/{plans['county']}").text
    assert "特色工作" in county and "研学" in county
    city = leader.get(f"/compare/plans/{plans['city2024']}").text
    assert "样例市2023 → 样例市2024" in city and "校园足球" in city  # dropped
    five = leader.get(f"/compare/plans/{plans['five_year']}").text
    assert "一致性自查" in five and "错误 0 项，提醒 0 项" not in five


def test_only_staff_in_scope_correct_topics(
    pages_for: PagesFor, football: str, admin_pages: TestClient
) -> None:
    url = football
    viewer = pages_for("viewer", "示例Passw0rd2024")
    assert "保存主题校正" not in viewer.get(url).text
    assert post_form(viewer, f"{url}/topics", {"primary": "labor"}, page=url).status_code == 403
    office = pages_for("office", "示例Passw0rd2024")  # of 示例市, not 样例市
    assert post_form(office, f"{url}/topics", {"primary": "labor"}, page=url).status_code == 403
    bad = post_form(admin_pages, f"{url}/topics", {"primary": XSS}, page=url)
    assert bad.status_code == 422 and XSS not in bad.text and "&lt;script&gt;" in bad.text
    assert 'id="e-primary"' in bad.text
    done = post_form(admin_pages, f"{url}/topics", {"primary": "labor"}, page=url)
    assert done.status_code == 303
    assert "人工校正" in admin_pages.get(done.headers["location"]).text


def test_a_correction_saved_meanwhile_is_not_overwritten(
    pages_for: PagesFor, football: str, admin_pages: TestClient
) -> None:
    url = football
    second = pages_for("root", "Admin-Passw0rd!")
    stale_form = second.get(url).text  # the second editor opens the page first
    assert post_form(admin_pages, f"{url}/topics", {"primary": "labor"}, page=url).status_code == 303
    token = csrf_of(stale_form)
    seen = re.search(r'name="seen" value="([^"]*)"', stale_form)
    assert seen is not None
    late = second.post(f"{url}/topics", data={"csrf_token": token, "seen": seen.group(1), "primary": "pe"})
    assert late.status_code == 409 and "已被 root 改为" in late.text
    assert '<option value="pe" selected>' in late.text  # the second editor's choice is kept


def test_the_correction_form_shows_only_to_staff_who_may_correct_that_plan(
    pages_for: PagesFor, plans: dict[str, int], sessions, world: World, admin_pages
) -> None:
    office = pages_for("office", "示例Passw0rd2024")  # office staff of 示例市
    other = f"/compare/tasks/{task_id(sessions, plans['city2023'], '推广校园足球')}"  # a plan of 样例市
    page = office.get(other)
    assert page.status_code == 200 and "主题" in page.text
    assert "保存主题校正" not in page.text and 'name="primary"' not in page.text
    assert "所属机构（或其上级）的办公室/督查人员及管理员校正" in page.text
    assert office.get(f"{other}.json").json()["can_correct"] is False
    assert "保存主题校正" in admin_pages.get(other).text
    own = list_tasks(sessions, TaskFilter(plan_id=world.plan_id)).items[0].id
    mine = office.get(f"/compare/tasks/{own}")
    assert "保存主题校正" in mine.text and office.get(f"/compare/tasks/{own}.json").json()["can_correct"]
    done = post_form(
        office, f"/compare/tasks/{own}/topics", {"primary": "labor"}, page=f"/compare/tasks/{own}"
    )
    assert done.status_code == 303
