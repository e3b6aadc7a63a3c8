"""Lists that do not lead to a dead end (issue 15, "Scoping"): 年终考核 and 督办 offer only the plans
whose implementation the person follows — another city's newer plan is neither listed nor opened by
default ("找不到计划 3")."""

from __future__ import annotations

import re

import pytest
from tests.web.pages.conftest import PagesFor

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services.accounts import Principal
from eduplan.services.loop import ScheduleInput, open_plan
from eduplan.services.registry import import_document

OTHER_CITY = (
    "别的市教育局2025年校园安全工作要点\n一、筑牢校园安全防线\n1.开展应急演练。年内组织应急演练不少于4次。\n"
    "责任单位：安全稳定科\n2.排查安全隐患。全面排查校园安全隐患。\n责任单位：安全稳定科\n"
)


@pytest.fixture
def other_city(world: World, sessions: SessionFactory) -> int:
    """A newer plan of another city, open for reporting (it would sort first)."""
    plan_id = import_document(sessions, OTHER_CITY.encode(), "别的市2025年要点.txt", org="别的市").plan_id
    open_plan(sessions, Principal.system(), plan_id, ScheduleInput("monthly", 25))
    return plan_id


def _options(html: str) -> list[int]:
    select = re.search(r'<select id="f-plan" name="plan">(.*?)</select>', html, re.S)
    assert select, "no plan choice"
    return [int(v) for v in re.findall(r'<option value="(\d+)"', select.group(1))]


@pytest.mark.parametrize("name", ["office", "leader", "caiwu"])
def test_the_evaluation_offers_only_plans_the_person_follows(
    world: World, other_city: int, pages_for: PagesFor, name: str
) -> None:
    client = pages_for(name, world.password)
    page = client.get("/evaluation")
    assert page.status_code == 200
    options = _options(page.text)
    assert other_city not in options and options and set(options) <= {world.plan_id, world.district_plan_id}
    assert "找不到计划" not in page.text and "考核排名" in page.text
    assert "别的市" not in page.text


def test_the_urge_form_offers_only_plans_the_office_follows(
    world: World, other_city: int, pages_for: PagesFor
) -> None:
    office = pages_for("office", world.password)
    form = office.get(f"/supervision/new?plan={world.plan_id}")
    assert form.status_code == 200, form.text
    options = _options(form.text)
    assert other_city not in options and world.plan_id in options, "别的市" in form.text


def test_a_search_hit_says_which_plan_and_organisation_it_comes_from_and_opens(
    world: World, other_city: int, pages_for: PagesFor
) -> None:
    office = pages_for("office", world.password)
    page = office.get("/search", params={"q": "应急演练"})
    assert "出自《别的市教育局2025年校园安全工作要点》（别的市）" in page.text
    hit = office.get("/search.json", params={"q": "应急演练"}).json()["hits"][0]
    assert (hit["plan_title"], hit["org_name"], hit["item_url"]) == (
        "别的市教育局2025年校园安全工作要点",
        "别的市",
        None,
    )
    assert office.get(hit["plan_url"]).status_code == 200  # the document, read-only


def test_every_link_of_the_compare_page_opens(world: World, other_city: int, pages_for: PagesFor) -> None:
    """对标 links of another organisation's plan led to 404 (issue 15)."""
    office = pages_for("office", world.password)
    page = office.get("/compare")
    assert page.status_code == 200
    links = set(re.findall(r'href="(/compare/(?:plans|topics|tasks)/[^"]+)"', page.text))
    assert any(f"/compare/plans/{other_city}" in link for link in links), links
    for link in sorted(links):
        assert office.get(link.replace("&amp;", "&")).status_code == 200, link
