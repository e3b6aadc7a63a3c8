"""检索 page: two-character words find tasks, the match is highlighted (and nothing else is taken
as markup), hits link to the plan page and the work item, results are paged."""

from __future__ import annotations

import re

from tests.web.pages.conftest import PagesFor

from eduplan.samples.loop import World
from eduplan.services.registry import import_document

XSS = "<script>alert(1)</script>"


def test_a_two_character_word_finds_tasks_with_the_match_marked(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    page = office.get("/search", params={"q": "学前"})
    assert page.status_code == 200 and 'value="学前"' in page.text
    assert "<mark>学前</mark>" in page.text and "找到" in page.text
    hit = f'href="/plans/{world.district_plan_id}#task-2"'
    assert hit in page.text  # 3.推进学前教育普及普惠 is the third task of the district plan
    assert f'href="/items/{world.district_items["3"]}"' in page.text
    data = office.get("/search.json", params={"q": "学前", "plan": world.district_plan_id}).json()
    assert data["total"] == 1 and data["hits"][0]["number"] == "3"
    assert data["hits"][0]["plan_url"] == f"/plans/{world.district_plan_id}#task-2"


def test_a_reporter_gets_item_links_only_for_its_own_tasks(pages_for: PagesFor, world: World) -> None:
    jichu = pages_for("jichu", world.password)
    data = jichu.get("/search.json", params={"q": "学前", "plan": world.district_plan_id}).json()
    assert data["hits"][0]["item_url"] is None and data["hits"][0]["plan_url"].startswith("/plans/")


def test_typed_markup_comes_back_escaped(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    page = office.get("/search", params={"q": XSS})
    assert page.status_code == 200 and XSS not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "没有找到" in page.text
    assert "<mark>" not in page.text


def test_many_hits_are_paged(pages_for: PagesFor, world: World, sessions) -> None:
    lines = ["示例市教育局2025年学前教育工作安排", "一、学前教育"]
    lines += [f"{k}.推进第{k}批幼儿园建设。年内完成学前教育项目{k}个。" for k in range(1, 26)]
    import_document(sessions, "\n".join(lines).encode(), "示例市2025年学前教育工作安排.txt")
    office = pages_for("office", world.password)
    first = office.get("/search", params={"q": "学前"}).text
    total = int(re.search(r"找到 ([\d,]+) 项任务", first).group(1).replace(",", ""))
    assert total >= 26
    assert "下一页" in first and "上一页" not in first and first.count('class="card hit"') == 20
    second = office.get("/search", params={"q": "学前", "offset": 20}).text
    assert "上一页" in second and second.count('class="card hit"') == min(20, total - 20)
    assert 'start="21"' in second and 'href="/search?q=%E5%AD%A6%E5%89%8D&amp;offset=0"' in second
