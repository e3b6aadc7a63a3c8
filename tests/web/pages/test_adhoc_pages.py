"""新建交办事项 (/adhoc/new, issue 14) through the pages: the office uploads a scanned 批示件 with no typed
text, the task page says where it came from and links the scan, the unit finds it in 我的待办 and signs
it; a monthly 常态化 duty given three months ago lists its occurrences, the unreported ones 缺报; a
refused form keeps what was typed and opens on its first error; reporters cannot open the form."""

from __future__ import annotations

import re
from datetime import date

import pytest
from tests.services.test_adhoc import scanned_instruction
from tests.web.pages.conftest import PagesFor, csrf_of, post_form
from tests.web.pages.test_life_pages import follow, version_in

from eduplan.readers.ocr import engine_name
from eduplan.samples.loop import World
from eduplan.services.clock import today


def _months_ago(day: date, months: int) -> date:
    m = day.month - 1 - months
    return date(day.year + m // 12, m % 12 + 1, min(day.day, 28))


@pytest.mark.skipif(engine_name() is None, reason="no OCR engine installed (pip install rapidocr)")
def test_a_scanned_instruction_is_created_signed_and_shows_its_source(
    pages_for: PagesFor, world: World
) -> None:
    office, jichu = pages_for("office", world.password), pages_for("jichu", world.password)
    assert 'href="/adhoc/new"' in office.get("/supervision").text
    form = office.get("/adhoc/new").text
    assert "领导批示" in form and "政协提案" in form and "每季度" in form
    scan = scanned_instruction()
    sent = office.post(
        "/adhoc/new",
        data={
            "csrf_token": csrf_of(form),
            "source": "instruction",
            "proposer": "王局长",
            "lead_unit": str(world.units["基础教育科"]),
            "support_units": [str(world.units["发展规划科"])],
            "deadline": "12月31日前",
        },
        files={"file": ("批示件.png", scan, "image/png")},
    )
    url = sent.headers["location"]
    assert re.fullmatch(r"/items/\d+", url)
    page = follow(office, sent)
    assert "已创建交办事项" in page and "内容由附件识别，请核对" in page
    assert "来源：领导批示" in page and "王局长" in page and "全面排查" in page
    assert "交办督办事项" in page  # the year's register, in the breadcrumbs
    assert "新建交办事项" in page and "新建adhoc" not in page  # the audit trail, in words
    link = re.search(r'href="(/adhoc/\d+/attachment)">批示件.png<', page)
    assert link is not None
    got = jichu.get(link.group(1))  # the unit reads the scan it was given
    assert got.status_code == 200 and got.content == scan and got.headers["content-type"] == "image/png"

    todo = jichu.get("/todo").text
    assert "食品安全" in todo and url in todo
    mine = jichu.get(url).text
    v = version_in(mine, f"{url}/life/sign")
    assert "已签收" in follow(jichu, post_form(jichu, f"{url}/life/sign", {"version": v}, page=url))


def test_a_monthly_duty_lists_its_occurrences_with_the_missed_ones(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    now = today("Asia/Shanghai")
    given = _months_ago(now, 3)
    sent = post_form(
        office,
        "/adhoc/new",
        {
            "source": "routine",
            "title": "校园安全月度检查",
            "text": "每月开展一次校园安全检查",
            "lead_unit": str(world.units["基础教育科"]),
            "recurrence": "monthly",
            "given_on": given.isoformat(),
        },
    )
    page = follow(office, sent)
    assert "重复" in page and "每月（常态化，无截止日期）" in page and "常态化工作（每月）" in page
    table = page.split('class="stack occurrences"')[1].split("</table>")[0]
    assert table.count('">缺报</span>') == 3  # three months gone, none reported
    assert table.count('">待报送</span>') in (0, 1)  # this month's, while it is still open
    assert "缺报 3 次" in page  # the light's count agrees


def test_a_refused_form_keeps_what_was_typed_and_reporters_cannot_open_it(
    pages_for: PagesFor, world: World
) -> None:
    office, jichu = pages_for("office", world.password), pages_for("jichu", world.password)
    refused = post_form(
        office,
        "/adhoc/new",
        {"source": "meeting", "title": "落实局党组会议定的课后服务事项", "lead_unit": ""},
    )
    assert refused.status_code == 422
    assert "请选择责任单位" in refused.text and "落实局党组会议定的课后服务事项" in refused.text
    assert re.search(r'<select id="f-lead_unit"[^>]*aria-invalid="true"[^>]*autofocus', refused.text)
    assert jichu.get("/adhoc/new").status_code == 403
    assert office.get(f"/adhoc/{world.items['9']}/attachment").status_code == 404


def test_the_register_is_an_ordinary_plan_on_every_plan_page(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    sent = post_form(
        office,
        "/adhoc/new",
        {
            "source": "npc_proposal",
            "title": "关于增加城区学位供给的建议",
            "text": "建议新建两所小学，缓解城区入学压力。",
            "proposer": "李代表",
            "lead_unit": str(world.units["发展规划科"]),
            "deadline": "9月底前",
        },
    )
    page = follow(office, sent)
    plan = re.search(r'<a href="/plans/(\d+)">(示例市\d{4}年交办督办事项)</a>', page)
    assert plan is not None
    plan_id, title = plan.groups()
    assert title in office.get("/plans").text
    detail = office.get(f"/plans/{plan_id}")
    assert (
        detail.status_code == 200
        and "关于增加城区学位供给的建议" in detail.text
        and "人大建议" in detail.text
    )
    for url in (
        f"/plans/{plan_id}.json",
        f"/plans/{plan_id}/exports",
        f"/plans/{plan_id}/ledger.xlsx",
        f"/compare/plans/{plan_id}",
        f"/api/v1/plans/{plan_id}",
        "/",
        "/search?q=学位",
    ):
        assert office.get(url).status_code == 200, url
    assert "关于增加城区学位供给的建议" in office.get("/search?q=城区学位").text
