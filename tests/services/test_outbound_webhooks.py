"""Outbound webhooks (issue 17): a use case queues its event in its own transaction and returns
without waiting for the receiver; the background sender posts it signed (HMAC-SHA256 in
X-Eduplan-Signature), retries a failing receiver with backoff, and keeps a log.  Against a real
HTTP receiver started by the test that checks the signature as the README tells receivers to."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.outbound import Delivery
from eduplan.samples.loop import World
from eduplan.services import loop, notify
from eduplan.services.accounts import Principal
from eduplan.services.clock import utcnow
from eduplan.services.errors import Invalid
from eduplan.services.loop import ReportInput
from eduplan.services.notify import delivery_log, subscriptions
from eduplan.services.notify.sender import DeliverySender, send_due
from eduplan.services.notify.webhooks import emit

from .receivers import Answer, Received, receiver

ADMIN = Principal.system()


def office(world: World) -> Principal:
    return Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)


def verifier(secret: str) -> object:
    """A receiver's check, as the README documents it."""

    def judge(r: Received) -> Answer:
        stamp = r.headers.get("x-eduplan-timestamp", "")
        expected = (
            "sha256=" + hmac.new(secret.encode(), stamp.encode() + b"." + r.body, hashlib.sha256).hexdigest()
        )
        if not hmac.compare_digest(expected, r.headers.get("x-eduplan-signature", "")):
            return 401, b"bad signature"
        if abs(time.time() - int(stamp)) > 300:
            return 401, b"stale"
        return 204, b""

    return judge


def subscribe(sessions: SessionFactory, url: str, events: list[str], org_id: int | None = None) -> str:
    saved = subscriptions.save_subscription(
        sessions, ADMIN, subscriptions.SubscriptionInput("OA 统一待办", url, events, org_id)
    )
    assert saved.secret and len(saved.secret) >= 32
    return saved.secret


def rows(sessions: SessionFactory) -> list[Delivery]:
    with sessions() as s:
        return list(s.scalars(select(Delivery).where(Delivery.channel == "webhook").order_by(Delivery.id)))


def test_an_urge_reaches_the_subscriber_signed_after_the_use_case_returned(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    with receiver() as hook:
        secret = subscribe(sessions, hook.url, ["urge.issued", "report.submitted"])
        hook.judge = verifier(secret)  # type: ignore[assignment]
        urge = loop.issue_urge(
            sessions, office(world), world.items["1"], "请加快进度", "2024-06-10", world.units["基础教育科"]
        )
        assert hook.got == []  # queued with the urge, not sent while the office waited
        assert [(d.event, d.state) for d in rows(sessions)] == [("urge.issued", "pending")]
        sent = send_due(sessions, settings)
        assert sent.count("webhook") == 1 and sent.errors == []
        (request,) = hook.got
    body = json.loads(request.body)
    assert body["event"] == "urge.issued" and body["id"] == rows(sessions)[0].id
    assert body["data"]["urge_id"] == urge.id and body["data"]["note"] == "请加快进度"
    assert body["data"]["due_on"] == "2024-06-10" and body["data"]["org_id"] == world.org_id
    assert request.headers["x-eduplan-event"] == "urge.issued"
    assert request.headers["x-eduplan-delivery"] == str(body["id"])
    assert [(d.state, d.attempts) for d in rows(sessions)] == [("sent", 1)]


def test_a_receiver_that_fails_twice_then_succeeds(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    configured = Settings(**{**settings.model_dump(), "delivery_backoff_seconds": 30})
    with receiver(answers=[(500, b"down"), (503, b"busy"), (200, b"ok")]) as hook:
        subscribe(sessions, hook.url, ["report.submitted", "report.accepted"])
        caiwu = Principal(
            world.users["caiwu"], "caiwu", "reporter", world.org_id, "示例市", world.units["计划财务科"]
        )
        draft = loop.save_report(
            sessions, caiwu, world.items["9"], caiwu.unit_id or 0, 4, ReportInput(), None, date(2024, 5, 22)
        )
        loop.submit_report(sessions, caiwu, draft.id, draft.version, now=datetime(2024, 5, 20, tzinfo=UTC))
        now = utcnow()
        first = send_due(sessions, configured, now)
        assert first.count("webhook") == 0 and "HTTP 500" in first.errors[0]
        assert send_due(sessions, configured, now + timedelta(seconds=29)).errors == []  # backing off
        second = send_due(sessions, configured, now + timedelta(seconds=31))
        assert second.count("webhook") == 0 and "HTTP 503" in second.errors[0]
        assert send_due(sessions, configured, now + timedelta(seconds=31 + 59)).errors == []  # doubled
        third = send_due(sessions, configured, now + timedelta(seconds=31 + 61))
        assert third.count("webhook") == 1 and third.errors == []
        assert len(hook.got) == 3
        assert len({r.headers["x-eduplan-delivery"] for r in hook.got}) == 1  # one delivery, tried thrice
        assert json.loads(hook.got[-1].body)["data"]["unit_id"] == world.units["计划财务科"]
    (done,) = rows(sessions)
    assert (done.event, done.state, done.attempts, done.last_error) == ("report.submitted", "sent", 3, None)
    log = delivery_log.list_deliveries(sessions, office(world), channel="webhook")
    assert [(r.event_label, r.state_label, r.attempts, r.destination) for r in log.rows] == [
        ("进展报告已报送", "已送达", 3, "OA 统一待办")
    ]


def test_an_unreachable_receiver_breaks_nothing(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/hook"
    subscribe(sessions, url, ["urge.issued"])
    urge = loop.issue_urge(sessions, office(world), world.items["1"], "请答复", "2024-06-10")
    assert urge.id  # the urge is made all the same
    sent = send_due(sessions, settings)
    assert sent.count("webhook") == 0 and "无法连接" in sent.errors[0]
    assert [(d.state, d.attempts) for d in rows(sessions)] == [("pending", 1)]


def test_events_follow_the_subscriptions_choice_and_organisation(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    with sessions.begin() as s:
        other = Organisation(name="别市", level="city", parent_id=None, path="别市")
        s.add(other)
        s.flush()
        other_id = other.id
    with receiver() as mine, receiver() as theirs, receiver() as urges_only:
        subscribe(sessions, mine.url, ["rectification.raised"], world.org_id)
        subscribe(sessions, theirs.url, ["rectification.raised"], other_id)
        subscribe(sessions, urges_only.url, ["urge.issued"])
        loop.raise_rectification(
            sessions, office(world), world.items["1"], world.units["基础教育科"], "台账不全", "2024-07-01"
        )
        send_due(sessions, settings)
        assert len(mine.got) == 1 and theirs.got == [] and urges_only.got == []
        assert json.loads(mine.got[0].body)["data"]["finding"] == "台账不全"


def test_the_background_sender_delivers_and_a_rolled_back_change_sends_nothing(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    with receiver() as hook:
        subscribe(sessions, hook.url, ["task.assigned", "urge.issued"])
        with pytest.raises(RuntimeError), sessions.begin() as s:  # a use case failing after its emit
            emit(s, "urge.issued", {"org_id": world.org_id, "urge_id": 0})
            raise RuntimeError("失败")
        assert rows(sessions) == []
        fast = Settings(**{**settings.model_dump(), "delivery_poll_seconds": 0.05})
        sender = DeliverySender(sessions, fast)
        sender.start()
        try:
            loop.issue_urge(sessions, office(world), world.items["2"], "请答复", "2024-06-10")
            deadline = time.monotonic() + 10
            while not hook.got and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            sender.stop()
        assert len(hook.got) == 1 and json.loads(hook.got[0].body)["event"] == "urge.issued"


def test_deadline_passed_is_sent_once_per_task_and_deadline(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    with receiver() as hook:
        subscribe(sessions, hook.url, ["deadline.passed"])
        notify.run_reminders(sessions, settings, date(2024, 12, 2))
        first = len(hook.got)
        notify.run_reminders(sessions, settings, date(2024, 12, 3))  # the next day: still overdue
        assert first > 0 and len(hook.got) == first
        events = [json.loads(r.body) for r in hook.got]
    assert {e["event"] for e in events} == {"deadline.passed"}
    assert len({e["data"]["item_id"] for e in events}) == first


def test_only_known_events_can_be_emitted_or_chosen(world: World, sessions: SessionFactory) -> None:
    with pytest.raises(ValueError), sessions.begin() as s:
        emit(s, "report.submited", {})
    with pytest.raises(Invalid, match="至少一项"):
        subscriptions.save_subscription(
            sessions, ADMIN, subscriptions.SubscriptionInput("x", "http://127.0.0.1/h", ["nope"])
        )


def test_the_readmes_verification_accepts_a_real_delivery(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?def verify.*?)```", readme, re.S).group(1)  # type: ignore[union-attr]
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # the snippet receivers are told to copy
    with receiver() as hook:
        secret = subscribe(sessions, hook.url, ["urge.issued"])
        loop.issue_urge(sessions, office(world), world.items["1"], "请答复", "2024-06-10")
        send_due(sessions, settings)
        (request,) = hook.got
    names = ("X-Eduplan-Timestamp", "X-Eduplan-Signature")
    headers = {n: request.headers[n.lower()] for n in names}
    assert namespace["verify"](secret, headers, request.body)
    assert not namespace["verify"](secret, headers, request.body.replace(b"\\u", b"\\U") + b" ")
    assert not namespace["verify"]("another-secret-of-32-characters!", headers, request.body)


def test_two_senders_at_once_send_each_delivery_once(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    with receiver() as hook:
        subscribe(sessions, hook.url, ["urge.issued"])
        for n in range(12):
            loop.issue_urge(sessions, office(world), world.items["1"], f"第{n}次催办", "2024-06-10")
        reports: list[Any] = []
        senders = [
            threading.Thread(target=lambda: reports.append(send_due(sessions, settings))) for _ in range(2)
        ]
        for t in senders:
            t.start()
        for t in senders:
            t.join(timeout=60)
        ids = [r.headers["x-eduplan-delivery"] for r in hook.got]
    assert len(ids) == 12 and len(set(ids)) == 12  # every urge once, whoever sent it
    assert sum(r.count("webhook") for r in reports) == 12
    assert {d.state for d in rows(sessions)} == {"sent"}
