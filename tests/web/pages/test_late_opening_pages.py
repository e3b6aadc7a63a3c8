"""开启报送 on a plan whose period is over asks before it makes a year of overdue cycles, and the
报送安排 page numbers its periods as everywhere else — January is 第1期, December 第12期 (issue 15)."""

from __future__ import annotations

import re

from tests.web.pages.conftest import PagesFor, post_form

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services.registry import import_document

PAST_PLAN = (
    "示例市教育局2023年校园安全工作要点\n一、筑牢校园安全防线\n1.开展应急演练。年内组织应急演练不少于4次。\n"
    "责任单位：安全稳定科\n2.排查安全隐患。全面排查校园安全隐患。\n责任单位：安全稳定科\n"
)


def test_opening_a_past_year_is_confirmed_first(
    world: World, sessions: SessionFactory, pages_for: PagesFor
) -> None:
    plan_id = import_document(sessions, PAST_PLAN.encode(), "2023年安全要点.txt", org="示例市").plan_id
    office = pages_for("office", world.password)
    url = f"/plans/{plan_id}/schedule"
    fields = {"cycle": "monthly", "due_day": "25", "starts_on": "", "ends_on": "", "version": ""}
    asked = post_form(office, url, fields)
    assert asked.status_code == 409
    assert "报送期（2023年1月1日至2023年12月31日）已经结束" in asked.text and "12 期" in asked.text
    assert 'name="confirm" value="yes"' in asked.text and 'value="25"' in asked.text  # typed values kept
    assert office.get(url + ".json").json()["current"] is None  # nothing was opened
    opened = post_form(office, url, fields | {"confirm": "yes"})
    assert opened.status_code == 303 and "已开启报送" in office.get(opened.headers["location"]).text
    # periods are numbered from 1, as on every other page
    page = office.get(url).text
    numbers = re.findall(r'data-label="期次">([^<]+)<', page)
    assert numbers[0] == "第1期" and numbers[-1] == "第12期"
    # changing the schedule of an open plan is not asked again
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    again = post_form(office, url, fields | {"due_day": "20", "version": version.group(1)})
    assert again.status_code == 303
