"""Words people read (issue 15): no page of the demo registry shows a system code — a report state,
a role of a unit, a cycle, a comparator, a parameter name — where a person reads text.  Every role
walks its main pages (首页, 规划, a plan, a task, 我的任务, 督办, 整改, 考核, 对标, 检索, 导出, 单位与用户)
over the demo world (`samples.demo_world`: units, named accounts, past reports, 督办 and 整改), and
the visible text of each page (not attributes, scripts or the `.json` twins) is searched for the
codes of `eduplan.choices`."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from tests.web.pages.conftest import PagesFor

from eduplan import choices
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.demo_world import DemoWorld, build_demo_world
from eduplan.samples.loop import SAMPLE_PASSWORD
from eduplan.services.clock import today
from eduplan.services.tracking import list_items

CODES = sorted(
    {
        code
        for table in (
            choices.PLAN_KIND_LABELS,
            choices.UNIT_ROLE_LABELS,
            choices.ASSIGNMENT_STATE_LABELS,
            choices.CYCLE_LABELS,
            choices.PROGRESS_LABELS,
            choices.REPORT_STATE_LABELS,
            choices.URGE_LEVEL_LABELS,
            choices.URGE_STATE_LABELS,
            choices.RECTIFICATION_STATE_LABELS,
            choices.RUBRIC_LABELS,
            {"between": "", "unit_id": "", "item_id": "", "plan_id": "", "None": "", "missing": ""},
        )
        for code in table
        if code and code.isascii()
    }
)
"""English codes a person must never read (roles are left out: logins such as `office` are names)."""
_CODE = re.compile(r"(?<![A-Za-z0-9_./-])(" + "|".join(map(re.escape, CODES)) + r")(?![A-Za-z0-9_])")
_SIGN = re.compile(r"(?:>=|<=)\s*[0-9]")
"""A comparator code before a number (">= 85%"): pages write ≥ 85%."""


class _Text(HTMLParser):
    """The text a person sees: text nodes outside script, style and template."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def codes_in(html: str) -> list[str]:
    text = visible_text(html)
    return sorted({m.group(1) for m in _CODE.finditer(text)} | set(_SIGN.findall(text)))


def test_the_check_finds_a_code_and_passes_words() -> None:
    assert codes_in("<p>义教科（responsible）</p>") == ["responsible"]
    assert codes_in("<p>目标 >= 85%</p>") == [">= 8"]
    assert codes_in("<p>between 2期</p>") == ["between"]
    assert codes_in('<p title="draft">草稿</p><script>var s="draft"</script>') == []
    assert codes_in("<p>义教科（责任） ≥ 85% /plans/3.json eduplan</p>") == []


@pytest.fixture
def demo(sessions: SessionFactory, settings: Settings) -> DemoWorld:
    return build_demo_world(sessions, settings, today(settings.timezone), SAMPLE_PASSWORD)


def _pages(demo: DemoWorld, sessions: SessionFactory) -> list[str]:
    office = demo.principals["office"]
    items = [i.id for i in list_items(sessions, office, demo.plan_id)][:4]
    items += [i.id for i in list_items(sessions, office, demo.projects_plan_id)][:2]
    return [
        "/",
        "/plans",
        f"/plans/{demo.plan_id}",
        f"/plans/{demo.five_year_plan_id}",
        f"/plans/{demo.projects_plan_id}",
        f"/plans/{demo.plan_id}/schedule",
        f"/plans/{demo.plan_id}/exports",
        *(f"/items/{i}" for i in items),
        "/my",
        "/my/report",
        "/supervision",
        f"/supervision/new?item={items[0]}",
        "/rectifications",
        f"/rectifications/new?item={items[0]}",
        "/evaluation",
        f"/evaluation?plan={demo.plan_id}",
        "/compare",
        f"/compare/plans/{demo.plan_id}",
        "/compare/targets",
        "/search?q=学前",
        "/admin",
        "/account",
        "/items/notanumber",
    ]


@pytest.mark.parametrize("username", ["admin", "leader", "office", "viewer", "jichu", "jiaqu"])
def test_no_page_shows_a_code(
    username: str, demo: DemoWorld, sessions: SessionFactory, pages_for: PagesFor
) -> None:
    client = pages_for(username, SAMPLE_PASSWORD)
    found = {}
    for url in _pages(demo, sessions):
        page = client.get(url)
        if page.status_code >= 300 and page.status_code not in (400, 404, 422):
            continue  # a page this role does not have (redirected or refused)
        codes = codes_in(page.text)
        if "示例市市" in visible_text(
            page.text
        ):  # a unit's place said twice (a chart's 示例市市教育科学研究院)
            codes.append("示例市市")
        if codes:
            found[url] = codes
    assert found == {}
