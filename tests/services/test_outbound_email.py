"""E-mail for every user (issue 17): the address is set by the person or a manager, every message
carries the absolute address of the page it is about (`base_url`), and a day with nothing due
sends nothing.  Against a real SMTP server (aiosmtpd) started by the test."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from typing import Any

import pytest
from sqlalchemy import select
from tests.people import person
from tests.services.conftest import Mailbox

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.outbound import Delivery
from eduplan.samples.loop import World
from eduplan.services import loop, notify
from eduplan.services.accounts import Principal
from eduplan.services.accounts.contact import set_email
from eduplan.services.errors import Invalid, NotFound
from eduplan.services.notify import robot_settings
from eduplan.services.notify.sender import send_due

from .receivers import receiver

aiosmtpd_controller = pytest.importorskip(
    "aiosmtpd.controller", reason="aiosmtpd is not installed (pip install aiosmtpd)"
)
BASE = "https://eduplan.example.gov.cn"


class Inbox(Mailbox):
    """The conftest's mailbox, filled by a real SMTP server (aiosmtpd) instead of the minimal one."""

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def mail() -> Iterator[Inbox]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Inbox(port)
    controller = aiosmtpd_controller.Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box
    controller.stop()


def mailing(settings: Settings, box: Inbox, **extra: object) -> Settings:
    values = {
        "smtp_host": "127.0.0.1",
        "smtp_port": box.port,
        "smtp_from": "eduplan@example.gov.cn",
        "base_url": BASE,
    }
    return Settings(**{**settings.model_dump(), **values, **extra})


def test_an_urge_is_mailed_with_the_link_to_its_task(
    world: World, sessions: SessionFactory, settings: Settings, mail: Inbox
) -> None:
    jichu = person(world, "jichu", "reporter", "基础教育科")
    set_email(sessions, jichu, jichu.user_id or 0, " jichu@example.gov.cn ")
    office = person(world, "office", "office")
    loop.issue_urge(
        sessions, office, world.items["1"], "请于月底前补报佐证", "2024-06-10", world.units["基础教育科"]
    )
    sent = send_due(sessions, mailing(settings, mail))
    assert sent.count("email") == 1 and sent.errors == []
    (message,) = mail.to("jichu@example.gov.cn")
    assert "请于月底前补报佐证" in str(message["Subject"])
    assert f"{BASE}/items/{world.items['1']}" in message.get_content()


def test_reminders_link_to_the_report_form_and_the_plan(
    world: World, sessions: SessionFactory, settings: Settings, mail: Inbox
) -> None:
    for name, role, unit in (("jichu", "reporter", "基础教育科"), ("office", "office", None)):
        who = person(world, name, role, unit)
        set_email(sessions, who, who.user_id or 0, f"{name}@example.gov.cn")
    result = notify.run_reminders(sessions, mailing(settings, mail), date(2024, 5, 22))
    assert result.emails == len(mail.messages) > 0 and result.errors == []
    due = [m for m in mail.to("jichu@example.gov.cn") if "截止" in str(m["Subject"])]
    assert due and all(f"{BASE}/my/report" in m.get_content() for m in due)
    digests = mail.to("office@example.gov.cn")
    assert {f"{BASE}/plans/{world.plan_id}", f"{BASE}/plans/{world.district_plan_id}"} <= {
        line.removeprefix("查看详情：") for m in digests for line in m.get_content().splitlines()
    }


def test_a_day_with_nothing_due_sends_nothing(
    world: World, sessions: SessionFactory, settings: Settings, mail: Inbox
) -> None:
    with sessions.begin() as s:
        from eduplan.db.accounts import User

        for user in s.scalars(select(User)):
            user.email = f"{user.username}@example.gov.cn"
    with receiver() as robot:
        robot_settings.save_robot(
            sessions,
            Principal.system(),
            robot_settings.RobotInput(world.org_id, "wecom", "市局群", robot.url),
        )
        quiet = notify.run_reminders(sessions, mailing(settings, mail), date(2024, 1, 2))
        assert quiet.claimed and quiet.notices == 0 and quiet.emails == 0 and quiet.webhooks == 0
        assert mail.messages == [] and robot.got == []
        with sessions() as s:
            assert s.scalars(select(Delivery)).all() == []
        busy = notify.run_reminders(sessions, mailing(settings, mail), date(2024, 5, 22))  # a day with work
        assert busy.emails > 0 and len(robot.got) == 2


def test_without_a_mail_server_e_mails_are_marked_not_sent(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    jichu = person(world, "jichu", "reporter", "基础教育科")
    set_email(sessions, jichu, jichu.user_id or 0, "jichu@example.gov.cn")
    result = notify.run_reminders(sessions, settings, date(2024, 5, 22))  # no EDUPLAN_SMTP_HOST
    assert result.emails == 0 and result.errors == []
    with sessions() as s:
        states = {d.state for d in s.scalars(select(Delivery).where(Delivery.channel == "email"))}
    assert states == {"skipped"}


def test_who_may_set_an_address(world: World, sessions: SessionFactory) -> None:
    jichu = person(world, "jichu", "reporter", "基础教育科")
    office = person(world, "office", "office")
    assert set_email(sessions, office, world.users["jichu"], "ji@example.gov.cn").email == "ji@example.gov.cn"
    with pytest.raises(NotFound):  # a reporter sets only their own
        set_email(sessions, jichu, world.users["caiwu"], "x@example.gov.cn")
    with pytest.raises(Invalid, match="邮箱地址格式不正确"):
        set_email(sessions, jichu, world.users["jichu"], "not an address")
    assert set_email(sessions, jichu, world.users["jichu"], "").email is None  # cleared
