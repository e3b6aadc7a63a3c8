"""The task's life reminders (issue 14): a unit that has not signed by the limit is reminded in its
inbox, the office gets one notice per task listing what waits there (signings overdue, 延期/办结/退回
requests) — once per task per day however often the job runs, again the next day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from tests.people import reporter

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.notifications import Notification
from eduplan.samples.loop import World
from eduplan.services.loop.life import sign
from eduplan.services.loop.life_requests import request_extension
from eduplan.services.notify.life_reminders import life_reminders_in, run_life_reminders
from eduplan.services.tracking.life import add_working_days, life_in

ITEM = "9"  # 落实教育经费投入: 计划财务科 alone


def notices(sessions: SessionFactory, world: World, name: str, item: int) -> list[Notification]:
    with sessions() as s:
        return list(
            s.scalars(
                select(Notification)
                .where(Notification.user_id == world.users[name], Notification.item_id == item)
                .where(Notification.kind.in_(("sign_overdue", "life_office")))
                .order_by(Notification.id)
            )
        )


def sign_due(sessions: SessionFactory, world: World, item: int) -> date:
    caiwu = reporter(world, "caiwu", "计划财务科")
    with sessions() as s:
        mine = life_in(s, caiwu, item, 2, date.today()).mine
    assert mine is not None
    return mine.sign_due


def test_unsigned_past_the_limit_is_reminded_once_a_day(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    item = world.items[ITEM]
    due = sign_due(sessions, world, item)
    run_life_reminders(sessions, settings, due)  # the last day to sign: not yet late
    assert notices(sessions, world, "caiwu", item) == []
    late = add_working_days(due, 1)
    first = run_life_reminders(sessions, settings, late)
    assert first.notices > 0
    again = run_life_reminders(sessions, settings, late)  # the same day again (the next tick)
    assert again.notices == 0
    with sessions.begin() as s:
        assert life_reminders_in(s, settings.sign_working_days, late) == 0
    [to_unit] = notices(sessions, world, "caiwu", item)
    assert to_unit.kind == "sign_overdue" and "签收逾期" in to_unit.title
    assert f"{due.year}年{due.month}月{due.day}日" in to_unit.title
    [to_office] = notices(sessions, world, "office", item)
    assert to_office.kind == "life_office" and "签收逾期：计划财务科" in to_office.body
    assert notices(sessions, world, "jichu", item) == []  # another unit's reporter
    assert notices(sessions, world, "leader", item) == []  # the office's list, not the leader's
    next_day = add_working_days(late, 1)
    assert run_life_reminders(sessions, settings, next_day).notices > 0
    assert len(notices(sessions, world, "caiwu", item)) == 2


def test_the_office_is_reminded_of_a_pending_extension_and_a_signed_unit_is_not(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    item = world.items[ITEM]
    caiwu = reporter(world, "caiwu", "计划财务科")
    due = sign_due(sessions, world, item)
    with sessions() as s:
        mine = life_in(s, caiwu, item, 2, due).mine
    assert mine is not None
    signed = sign(sessions, caiwu, item, mine.version)
    request_extension(sessions, caiwu, item, "2099-06-30", "资金未到位", signed.version, due)
    day = add_working_days(due, 3)
    assert run_life_reminders(sessions, settings, day).notices > 0
    assert notices(sessions, world, "caiwu", item) == []
    [to_office] = notices(sessions, world, "office", item)
    assert "1 项待处理" in to_office.title and "延期申请：计划财务科" in to_office.body
    assert "签收逾期" not in to_office.body
    assert to_office.item_id == item
