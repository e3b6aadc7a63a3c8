"""Hand-down from the web (下发, issue 14): the city's office hands a task to districts from the task
page, a district's office hands its part on to its schools from 分工总览, and the parent's page shows
the roll-up of its children (light, progress, latest report, urges) — not 待明确."""

from __future__ import annotations

from sqlalchemy import Engine

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import accounts, tracking
from eduplan.services.accounts import Principal, UserCreate

from .conftest import PagesFor, post_form
from .test_query_counts import counting


def test_handing_down_from_the_web_and_the_roll_up(
    pages_for: PagesFor, world: World, sessions: SessionFactory, settings: Settings, engine: Engine
) -> None:
    task = world.district_items["1"]  # 责任单位：发展规划科、各县区教育局; 甲区4个、乙区6个 …
    url = f"/items/{task}"
    office = pages_for("office", world.password)
    before = office.get(url).text
    assert 'id="handdown"' in before and "下发至县区" in before and "应下发至各县区" in before
    done = post_form(office, f"{url}/handdown", {"names": "甲区、乙区"}, page=url)
    assert done.status_code == 303 and done.headers["location"] == f"{url}#handdown"
    page = office.get(url).text
    assert "下发至 2 个县区" in page and "甲区" in page and "乙区" in page
    assert "应下发至各县区" not in page and "已下发" in page  # no longer 待明确
    assert "按各自分得的目标数加权平均" in page  # the rule is said beside the roll-up
    children = {c["org_name"]: c for c in office.get(f"{url}.json").json()["rollup"]["children"]}
    assert set(children) == {"甲区", "乙区"} and children["甲区"]["assigned"] is False
    jia_item = children["甲区"]["item_id"]
    assert "待分工" in page  # the districts have not named their units yet

    # the district's office hands its part on to its schools from 分工总览
    jia_org = tracking.get_item(sessions, Principal.system(), jia_item).org_id
    accounts.create_user(
        sessions,
        settings,
        Principal.system(),
        UserCreate("jia-office", "office", "甲区办公室", jia_org, None, world.password),
    )
    jia = pages_for("jia-office", world.password)
    overview = f"/plans/{world.district_plan_id}/assignments?item={jia_item}"
    listing = jia.get(overview).text
    assert "或下发至学校" in listing and "待分工" in listing
    back = f"/plans/{world.district_plan_id}/assignments#item-{jia_item}"
    empty = post_form(jia, f"/items/{jia_item}/handdown", {"names": "", "back": back}, page=overview)
    assert empty.status_code == 303 and "请选择下发的学校" in jia.get(overview).text
    sent = post_form(jia, f"/items/{jia_item}/handdown", {"names": "实验小学", "back": back}, page=overview)
    assert sent.status_code == 303 and sent.headers["location"] == back
    district_page = jia.get(f"/items/{jia_item}").text
    assert "下发至 1 个学校" in district_page and "实验小学" in district_page
    # a second hand-down to the same school makes nothing new; the school cannot hand down further
    school = jia.get(f"/items/{jia_item}.json").json()["rollup"]["children"][0]
    assert school["org_name"] == "实验小学"
    again = post_form(jia, f"/items/{jia_item}/handdown", {"names": "实验小学"}, page=f"/items/{jia_item}")
    assert again.status_code == 303
    assert len(jia.get(f"/items/{jia_item}.json").json()["rollup"]["children"]) == 1
    school_page = jia.get(f"/items/{school['item_id']}").text
    assert 'action="/items/{}/handdown"'.format(school["item_id"]) not in school_page

    # the city sees the district handed its part on; the district cannot see the city's task
    city_page = office.get(url).text
    assert "已继续下发" in city_page
    # the roll-up reads one statement per kind, however many children
    with counting(engine) as two:
        office.get(url)
    post_form(office, f"{url}/handdown", {"names": "丙县"}, page=url)
    with counting(engine) as three:
        assert "下发至 3 个县区" in office.get(url).text
    assert len(three) == len(two)
    assert jia.get(url).status_code == 404
    # a unit's reporter sees no hand-down form
    reporter = pages_for("guihua", world.password)
    assert f'action="/items/{task}/handdown"' not in reporter.get(url).text
    refused = post_form(reporter, f"{url}/handdown", {"names": "丙县"}, page="/my")
    assert refused.status_code in (403, 404)
