"""Group robots per organisation (issue 17): a city's DingTalk robot gets its digests signed as
DingTalk checks them (加签), a robot that answers a non-zero errcode or an HTTP error is retried with
backoff and then shown as failed — never counted as sent — and the global EDUPLAN_WEBHOOK_URLS is
the fallback of an organisation without robots.  Against a real HTTP receiver started by the test."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.outbound import Delivery
from eduplan.samples.loop import World
from eduplan.services import notify
from eduplan.services.accounts import Principal
from eduplan.services.clock import utcnow
from eduplan.services.errors import Forbidden, Invalid, NotFound
from eduplan.services.notify import delivery_log, robot_settings
from eduplan.services.notify.robots import signed_url
from eduplan.services.notify.sender import send_due

from .receivers import OK, Answer, Received, receiver

DAY = date(2024, 5, 22)  # both sample plans have something overdue: each gets a digest
SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
ADMIN = Principal.system()


def dingtalk_judge(secret: str) -> object:
    """DingTalk's check, written from its documentation: sign = urlsafe(base64(HMAC-SHA256(secret,
    timestamp + "\\n" + secret))), timestamp within an hour of now."""

    def judge(r: Received) -> Answer:
        stamp = r.query.get("timestamp", "0")
        expected = base64.b64encode(
            hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
        ).decode()
        fresh = abs(int(stamp) - time.time() * 1000) < 3600_000
        if r.query.get("sign") != expected or not fresh:
            return 200, b'{"errcode":310000,"errmsg":"sign not match"}'
        return OK

    return judge


def with_settings(settings: Settings, **extra: object) -> Settings:
    return Settings(**{**settings.model_dump(), **extra})


def add_district(sessions: SessionFactory) -> int:
    with sessions.begin() as s:
        org = Organisation(name="示例区", level="county", parent_id=None, path="示例市/示例区")
        s.add(org)
        s.flush()
        return org.id


def deliveries(sessions: SessionFactory) -> list[Delivery]:
    with sessions() as s:
        return list(s.scalars(select(Delivery).order_by(Delivery.id)))


def test_each_organisations_signed_robot_gets_its_own_digests(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    district = add_district(sessions)
    with receiver(judge=dingtalk_judge(SECRET)) as city, receiver() as wecom, receiver() as legacy:  # type: ignore[arg-type]
        robot_settings.save_robot(
            sessions,
            ADMIN,
            robot_settings.RobotInput(world.org_id, "dingtalk", "市局督查群", city.url, SECRET),
        )
        robot_settings.save_robot(
            sessions,
            ADMIN,
            robot_settings.RobotInput(district, "wecom", "区局工作群", wecom.url + "?key=abc"),
        )
        result = notify.run_reminders(sessions, with_settings(settings, webhook_urls=[legacy.url]), DAY)
        assert result.errors == [] and result.webhooks == 2
        assert len(city.got) == 2 and wecom.got == [] and legacy.got == []  # the district had nothing due
        message = json.loads(city.got[0].body)
        assert message["msgtype"] == "text" and "逾期汇总" in message["text"]["content"]
        assert f"查看：http://127.0.0.1:8000/plans/{world.plan_id}" in message["text"]["content"] or (
            f"/plans/{world.district_plan_id}" in message["text"]["content"]
        )
    log = delivery_log.list_deliveries(sessions, ADMIN, channel="robot")
    assert [r.state_label for r in log.rows] == ["已送达", "已送达"]
    assert {r.destination for r in log.rows} == {"市局督查群"} and log.counts["sent"] == 2


def test_a_wrong_signature_is_retried_with_backoff_then_failed_never_sent(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    configured = with_settings(settings, delivery_max_attempts=3, delivery_backoff_seconds=60)
    with receiver(judge=dingtalk_judge(SECRET)) as robot:  # type: ignore[arg-type]
        wrong = robot_settings.RobotInput(world.org_id, "dingtalk", "市局督查群", robot.url, "SECwrong")
        robot_settings.save_robot(sessions, ADMIN, wrong)
        result = notify.run_reminders(sessions, configured, DAY)
        assert result.webhooks == 0 and len(result.errors) == 2 and "310000" in result.errors[0]
        first = deliveries(sessions)
        assert [(d.state, d.attempts) for d in first] == [("pending", 1), ("pending", 1)]
        now = utcnow()
        assert send_due(sessions, configured, now + timedelta(seconds=30)).errors == []  # not yet due
        assert len(robot.got) == 2
        second = send_due(sessions, configured, now + timedelta(seconds=61))
        assert second.count("robot") == 0 and len(second.errors) == 2 and len(robot.got) == 4
        third = send_due(sessions, configured, now + timedelta(seconds=61 + 121))  # waits doubled
        assert third.count("robot") == 0 and len(robot.got) == 6
        assert send_due(sessions, configured, now + timedelta(days=1)).errors == []  # given up
        assert len(robot.got) == 6
    final = deliveries(sessions)
    assert [(d.state, d.attempts) for d in final] == [("failed", 3), ("failed", 3)]
    assert all("310000" in (d.last_error or "") for d in final)
    log = delivery_log.list_deliveries(sessions, ADMIN, state="failed")
    assert log.counts == {"pending": 0, "sent": 0, "failed": 2, "skipped": 0}
    assert "sign not match" in (log.rows[0].last_error or "")
    stranger = Principal(None, "other", "office", None, "别市", None)
    with pytest.raises(NotFound):  # another city's office does not even see it
        delivery_log.retry(sessions, stranger, final[0].id)
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    delivery_log.retry(sessions, office, final[0].id)  # once the secret is put right
    again = deliveries(sessions)[0]
    assert (again.state, again.attempts, again.finished_at) == ("pending", 0, None)
    with pytest.raises(Invalid, match="只有失败的投递"):
        delivery_log.retry(sessions, office, final[0].id)


def test_an_http_error_is_retried_and_then_sent(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    configured = with_settings(settings, delivery_backoff_seconds=10)
    with receiver(answers=[(502, b"bad gateway"), (502, b"bad gateway"), OK]) as robot:
        robot_settings.save_robot(
            sessions, ADMIN, robot_settings.RobotInput(world.org_id, "wecom", "市局群", robot.url)
        )
        result = notify.run_reminders(sessions, configured, DAY)
        assert result.webhooks == 0 and all("HTTP 502" in e for e in result.errors)
        again = send_due(sessions, configured, utcnow() + timedelta(seconds=11))
        assert again.count("robot") == 2 and again.errors == []
    assert [(d.state, d.attempts) for d in deliveries(sessions)] == [("sent", 2), ("sent", 2)]


def test_the_global_list_serves_organisations_without_robots(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    with receiver() as legacy:
        result = notify.run_reminders(sessions, with_settings(settings, webhook_urls=[legacy.url]), DAY)
        assert result.webhooks == 2 and len(legacy.got) == 2 and "sign" not in legacy.got[0].query


def test_robots_are_set_by_administrators_with_their_secret(world: World, sessions: SessionFactory) -> None:
    unsigned = robot_settings.RobotInput(
        world.org_id, "dingtalk", "市局群", "https://oapi.dingtalk.com/robot/send?access_token=abcd1234"
    )
    with pytest.raises(Invalid, match="加签"):
        robot_settings.save_robot(sessions, ADMIN, unsigned)
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    with pytest.raises(Forbidden):
        robot_settings.save_robot(
            sessions, office, robot_settings.RobotInput(**{**unsigned.__dict__, "secret": SECRET})
        )
    made = robot_settings.save_robot(
        sessions, ADMIN, robot_settings.RobotInput(**{**unsigned.__dict__, "secret": SECRET})
    )
    assert made.signed and made.url == "https://oapi.dingtalk.com/robot/send?…1234"
    kept = robot_settings.save_robot(
        sessions, ADMIN, robot_settings.RobotInput(**{**unsigned.__dict__, "name": "改名"}), made.id
    )
    assert kept.signed and kept.name == "改名"  # a change without a secret keeps the stored one


def test_signed_url_follows_dingtalks_example_format() -> None:
    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=XXX", "SECabc", 1577262236757)
    assert url.startswith(
        "https://oapi.dingtalk.com/robot/send?access_token=XXX&timestamp=1577262236757&sign="
    )
    sign = url.rsplit("sign=", 1)[1]
    assert "%" in sign or sign.isalnum()  # url-encoded base64 (+, / and = escaped)
    raw = base64.b64encode(hmac.new(b"SECabc", b"1577262236757\nSECabc", hashlib.sha256).digest()).decode()
    from urllib.parse import unquote

    assert unquote(sign) == raw
