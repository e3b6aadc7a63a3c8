"""Pages of notices (issue 17): 通知设置 (/admin/notify) for administrators — a DingTalk robot
refused without its 加签 secret beside the field, a subscription's secret shown once; 投递记录
(/deliveries) for the office with Chinese dates and its .json twin; 我的账户's e-mail and calendar
forms (the calendar URL shown once, working without a login, dead once stopped)."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from tests.web.pages.conftest import PagesFor, post_form

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import notify

ZH_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def test_administrators_set_robots_and_subscriptions_on_the_page(
    admin_pages: TestClient, pages_for: PagesFor, world: World
) -> None:
    assert pages_for("office", world.password).get("/admin/notify").status_code == 403
    robot = {
        "org_id": world.org_id,
        "kind": "dingtalk",
        "name": "市局督查群",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=feedbeef",
    }
    refused = post_form(admin_pages, "/admin/notify/robots", robot, page="/admin/notify")
    assert refused.status_code == 422 and "加签" in refused.text and 'value="市局督查群"' in refused.text
    made = post_form(
        admin_pages, "/admin/notify/robots", robot | {"secret": "SEC" + "9" * 40}, page="/admin/notify"
    )
    assert made.status_code == 303
    page = admin_pages.get("/admin/notify").text
    assert "市局督查群" in page and "已加签" in page and "SEC999" not in page and "feedbeef" not in page
    hook = {
        "name": "OA 统一待办",
        "url": "https://oa.example.gov.cn/in",
        "events": ["urge.issued", "task.assigned"],
    }
    answer = post_form(admin_pages, "/admin/notify/webhooks", hook, page="/admin/notify")
    assert answer.status_code == 201
    secret = re.search(r'id="webhook-secret">([^<]+)<', answer.text).group(1)  # type: ignore[union-attr]
    again = admin_pages.get("/admin/notify").text
    assert secret not in again and "催办/督办下达" in again and "任务分工" in again
    data = admin_pages.get("/admin/notify.json").json()
    assert [r["name"] for r in data["robots"]] == ["市局督查群"] and secret not in str(data)
    none = post_form(
        admin_pages, "/admin/notify/webhooks", {"name": "x", "url": "https://x.cn/h"}, page="/admin/notify"
    )
    assert none.status_code == 422 and "至少一项" in none.text


def test_the_office_reads_the_delivery_log(
    pages_for: PagesFor, world: World, sessions: SessionFactory, settings: Settings
) -> None:
    broken = Settings(**{**settings.model_dump(), "webhook_urls": ["http://127.0.0.1:9/robot"]})
    notify.run_reminders(sessions, broken, date(2024, 5, 22))  # nobody listens on port 9
    office = pages_for("office", world.password)
    page = office.get("/deliveries")
    assert page.status_code == 200 and "投递记录" in page.text
    assert "逾期汇总" in page.text and "待发送" in page.text and "无法连接" in page.text
    assert ZH_DATE.search(page.text)
    data = office.get("/deliveries.json?state=pending").json()
    assert data["counts"]["pending"] == 2 and len(data["rows"]) == 2
    assert data["rows"][0]["destination"] == "全局机器人 http://127.0.0.1:9/robot"
    assert office.get("/deliveries.json?state=sent").json()["rows"] == []
    assert pages_for("jichu", world.password).get("/deliveries").status_code == 403


def test_account_page_sets_email_and_gives_a_calendar_url_once(
    pages_for: PagesFor, browser: TestClient, world: World
) -> None:
    jichu = pages_for("jichu", world.password)
    bad = post_form(jichu, "/account/email", {"email": "jichu"}, page="/account")
    assert bad.status_code == 422 and "邮箱地址格式不正确" in bad.text
    saved = post_form(jichu, "/account/email", {"email": "jichu@example.gov.cn"}, page="/account")
    assert saved.status_code == 303
    assert 'value="jichu@example.gov.cn"' in jichu.get("/account").text
    made = post_form(jichu, "/account/calendar", {}, page="/account")
    assert made.status_code == 201
    url = re.search(r'id="calendar-url">([^<]+)<', made.text).group(1)  # type: ignore[union-attr]
    path = url.removeprefix("http://127.0.0.1:8000")
    page = jichu.get("/account").text
    assert url not in page and "订阅已开启" in page and ZH_DATE.search(page)
    assert browser.get(path).status_code == 200
    stopped = post_form(jichu, "/account/calendar/revoke", {}, page="/account")
    assert stopped.status_code == 303 and browser.get(path).status_code == 404
    assert "尚未开启日历订阅" in jichu.get("/account").text
