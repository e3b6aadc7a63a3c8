"""Notifications: the inbox, reminders before report due dates and deadlines, the overdue digest by
e-mail (to a local SMTP server) and webhook, each sent once — even by two processes at once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from eduplan.config import Settings
from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.db.notifications import JobRun, Notification
from eduplan.samples.loop import World
from eduplan.services import loop, notify, tracking
from eduplan.services.accounts import Principal
from eduplan.services.loop import ReportInput
from eduplan.services.notify import reminders
from eduplan.services.notify.scheduler import Scheduler

from .conftest import Hooks, Mailbox

DAY = date(2024, 5, 22)  # May's reports are due on the 25th: three days ahead
SRC = Path(__file__).resolve().parents[2] / "src"


def with_mail(settings: Settings, smtp: Mailbox, hooks: Hooks | None = None) -> Settings:
    extra = {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_from": "eduplan@example.cn"}
    if hooks is not None:
        extra["webhook_urls"] = [hooks.url]  # type: ignore[assignment]
    return Settings(**{**settings.model_dump(), **extra})


def give_emails(sessions: SessionFactory) -> None:
    with sessions.begin() as s:
        for user in s.scalars(select(User)):
            user.email = f"{user.username}@example.cn"


def inbox(sessions: SessionFactory, world: World, name: str) -> list[notify.NotificationView]:
    who = Principal(world.users[name], name, "viewer", world.org_id, "示例市", None)
    return notify.list_inbox(sessions, who)


def test_reminders_digest_email_and_webhook_once(
    world: World, sessions: SessionFactory, settings: Settings, smtp: Mailbox, webhook: Hooks
) -> None:
    give_emails(sessions)
    caiwu = Principal(
        world.users["caiwu"], "caiwu", "reporter", world.org_id, "示例市", world.units["计划财务科"]
    )
    report = loop.save_report(
        sessions, caiwu, world.items["9"], caiwu.unit_id or 0, 4, ReportInput(), None, DAY
    )
    loop.submit_report(sessions, caiwu, report.id, report.version, now=datetime(2024, 5, 20, tzinfo=UTC))
    configured = with_mail(settings, smtp, webhook)
    first = notify.run_reminders(sessions, configured, DAY)
    assert first.claimed and not first.errors
    due = [n for n in inbox(sessions, world, "jichu") if n.kind == "due"]
    assert len(due) == 1 and "第 5 期进展报告 05月25日 截止" in due[0].title
    assert "1. 加快中小学幼儿园建设" in due[0].body  # 基础教育科's tasks not yet reported
    caiwu_due = [n for n in inbox(sessions, world, "caiwu") if n.kind == "due" and "工作要点" in n.title]
    assert len(caiwu_due) == 1 and "落实教育经费投入" not in caiwu_due[0].body  # reported already
    assert "建设智慧校园" in caiwu_due[0].body
    digest = [n for n in inbox(sessions, world, "office") if n.kind == "digest"]
    assert len(digest) == 2  # one per plan open for reporting
    assert any("第 4 期未报送单位" in n.body for n in digest)
    assert [n.kind for n in inbox(sessions, world, "viewer")] == []
    mails = smtp.to("jichu@example.cn")
    assert len(mails) == 1 and "截止" in str(mails[0]["Subject"])
    assert "加快中小学幼儿园建设" in mails[0].get_content()
    assert first.emails == len(smtp.messages) and first.webhooks == len(webhook.posts) == 2
    assert json.loads(webhook.posts[0])["msgtype"] == "text"
    assert "逾期汇总" in json.loads(webhook.posts[0])["text"]["content"]

    again = notify.run_reminders(sessions, configured, DAY)  # the same day again: nothing
    assert not again.claimed and len(smtp.messages) == first.emails and len(webhook.posts) == 2
    tomorrow = notify.run_reminders(sessions, configured, date(2024, 5, 23))
    assert tomorrow.claimed
    assert len([n for n in inbox(sessions, world, "jichu") if n.kind == "due"]) == 1  # reminded once per slot
    assert len([n for n in inbox(sessions, world, "office") if n.kind == "digest"]) == 4  # a digest a day


def test_two_processes_send_each_reminder_once(
    world: World, sessions: SessionFactory, settings: Settings, smtp: Mailbox
) -> None:
    give_emails(sessions)
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "EDUPLAN_DATABASE_URL": settings.database_url,
        "EDUPLAN_DATA_DIR": str(settings.data_dir),
        "EDUPLAN_SMTP_HOST": "127.0.0.1",
        "EDUPLAN_SMTP_PORT": str(smtp.port),
    }
    command = [sys.executable, "-m", "eduplan.cli", "remind", "--on", DAY.isoformat()]
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [r.communicate(timeout=120) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outputs
    said = [out for out, _err in outputs]
    assert sorted("未重复发送" in out for out in said) == [False, True], said  # one ran, one stood aside
    with sessions() as s:
        assert len(s.scalars(select(JobRun)).all()) == 1
        notices = s.scalars(select(Notification)).all()
    mails = [(r, str(m["Subject"])) for rcpts, m in smtp.messages for r in rcpts]
    assert len(mails) == len(set(mails)) > 0  # nobody got the same mail twice
    assert len(mails) == len(notices)  # one mail per notice, every user having an address


def test_events_reach_the_inbox_and_are_marked_read(world: World, sessions: SessionFactory) -> None:
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    jichu = Principal(
        world.users["jichu"], "jichu", "reporter", world.org_id, "示例市", world.units["基础教育科"]
    )
    report = loop.save_report(
        sessions, jichu, world.items["1"], jichu.unit_id or 0, 4, ReportInput(), None, DAY
    )
    sent = loop.submit_report(sessions, jichu, report.id, report.version)
    loop.review_report(sessions, office, report.id, "return", sent.version, "请补充数据")
    loop.issue_urge(sessions, office, world.items["1"], "请加快进度", "5月31日前", jichu.unit_id)
    got = notify.list_inbox(sessions, jichu)
    assert [n.kind for n in got] == ["urge", "returned"] and "请补充数据" in got[1].title
    assert notify.mark_read(sessions, jichu, got[1].id) == 1
    assert [n.read for n in notify.list_inbox(sessions, jichu)] == [False, True]
    assert notify.mark_read(sessions, jichu) == 1
    assert notify.list_inbox(sessions, jichu, unread_only=True) == []


def test_the_scheduler_runs_the_job(world: World, sessions: SessionFactory, settings: Settings) -> None:
    Scheduler(sessions, settings).run_once()
    Scheduler(sessions, settings).run_once()
    with sessions() as s:
        runs = s.scalars(select(JobRun)).all()
    assert len(runs) == 1 and runs[0].finished_at is not None and "notices" in (runs[0].outcome or "")


def test_an_unreachable_mail_server_is_reported_not_fatal(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    give_emails(sessions)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    broken = Settings(**{**settings.model_dump(), "smtp_host": "127.0.0.1", "smtp_port": port})
    result = notify.run_reminders(sessions, broken, DAY)
    assert result.claimed and result.notices > 0 and result.emails == 0
    assert result.errors and "e-mail" in result.errors[0]
    assert [n.kind for n in inbox(sessions, world, "jichu")]  # the inbox has them all the same


def test_a_run_that_fails_leaves_the_day_to_the_next_try(
    world: World, sessions: SessionFactory, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = reminders.load_facts

    def broken(*_args: object, **_kw: object) -> object:  # a crash half-way through the run
        raise RuntimeError("连接中断")

    monkeypatch.setattr(reminders, "load_facts", broken)
    with pytest.raises(RuntimeError):
        notify.run_reminders(sessions, settings, DAY)
    with sessions() as s:  # neither the claim nor half of the notices were kept
        assert s.scalars(select(JobRun)).all() == [] and s.scalars(select(Notification)).all() == []
    monkeypatch.setattr(reminders, "load_facts", real)
    retry = notify.run_reminders(sessions, settings, DAY)  # the scheduler's next tick
    assert retry.claimed and retry.notices > 0
    assert [n.kind for n in inbox(sessions, world, "jichu")] == ["due"]


def test_the_daily_run_escalates_unanswered_urges(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    caiwu = world.units["计划财务科"]
    urge = loop.issue_urge(sessions, office, world.items["9"], "请报送绩效评价进展", "5月20日前", caiwu)
    assert urge.level == "yellow"
    result = notify.run_reminders(sessions, settings, DAY)  # 22 May: two days past its date
    assert result.escalated == [urge.id]
    digest = next(n for n in inbox(sessions, world, "office") if n.kind == "digest" and "工作要点" in n.title)
    assert "督办逾期未答复" in digest.body
    red = tracking.list_urges(sessions, office, world.items["9"])[0]
    assert (red.level, red.due_on) == ("red", date(2024, 5, 29))  # a week to answer
    trail = [(e.action, e.username) for e in tracking.item_audit(sessions, office, world.items["9"])]
    assert trail[-1] == ("escalate", "system")
    assert notify.run_reminders(sessions, settings, date(2024, 5, 23)).escalated == []  # once
