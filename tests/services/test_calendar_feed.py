"""Personal calendar feeds (issue 17): a secret URL per user with the dates they must act on —
task deadlines, report due dates, urges and rectifications — read back with `icalendar` as a
calendar app would; a replaced or revoked secret, or a deactivated account, gives nothing."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar
from tests.people import person

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import accounts, loop
from eduplan.services.accounts import Principal
from eduplan.services.errors import Forbidden, NotFound
from eduplan.services.loop import ReportInput
from eduplan.services.notify import calendar

TODAY = date(2024, 5, 22)


def events(sessions: SessionFactory, settings: Settings, token: str) -> dict[str, tuple[date, str, str]]:
    parsed = Calendar.from_ical(calendar.render_feed(sessions, settings, token, TODAY))
    return {
        str(e["uid"]): (e.decoded("dtstart"), str(e["summary"]), str(e["url"])) for e in parsed.walk("VEVENT")
    }


def test_a_reporters_feed_lists_what_their_unit_must_do(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    settings = Settings(**{**settings.model_dump(), "base_url": "https://eduplan.example.gov.cn/"})
    jichu = person(world, "jichu", "reporter", "基础教育科")
    office = person(world, "office", "office")
    unit = world.units["基础教育科"]
    item = world.items["1"]
    urge = loop.issue_urge(sessions, office, item, "请答复进度", "2024-06-10", unit)
    rect = loop.raise_rectification(sessions, office, item, unit, "佐证不全", "2024-07-01")
    token = calendar.issue_feed(sessions, jichu)
    assert token.startswith("cal_") and calendar.feed_created(sessions, jichu) is not None
    found = events(sessions, settings, token)
    assert found[f"urge-{urge.id}@eduplan"][0] == date(2024, 6, 10)
    assert found[f"urge-{urge.id}@eduplan"][1].startswith("催办答复截止：1.")
    assert found[f"urge-{urge.id}@eduplan"][2] == f"https://eduplan.example.gov.cn/items/{item}"
    assert found[f"rect-{rect.id}@eduplan"][:2] == (date(2024, 7, 1), found[f"rect-{rect.id}@eduplan"][1])
    may = [v for k, v in found.items() if k.startswith(f"cycle-{world.plan_id}-4-")]
    assert may and may[0][0] == date(2024, 5, 25) and "第 5 期进展报告截止" in may[0][1]
    assert may[0][2].endswith("/my/report")
    deadlines = [v for k, v in found.items() if k.startswith("task-")]
    assert deadlines and all(v[1].startswith("任务到期：") for v in deadlines)
    assert not any(k.startswith(f"cycle-{world.plan_id}-0-") for k in found)  # January is too long ago
    caiwu = events(
        sessions, settings, calendar.issue_feed(sessions, person(world, "caiwu", "reporter", "计划财务科"))
    )
    assert f"urge-{urge.id}@eduplan" not in caiwu  # another unit's urge


def test_a_filed_cycle_leaves_the_feed(world: World, sessions: SessionFactory, settings: Settings) -> None:
    caiwu = person(world, "caiwu", "reporter", "计划财务科")
    token = calendar.issue_feed(sessions, caiwu)
    before = events(sessions, settings, token)
    assert any(k.startswith(f"cycle-{world.plan_id}-4-") for k in before)
    filed = 0
    for item in world.items.values():
        try:
            draft = loop.save_report(sessions, caiwu, item, caiwu.unit_id or 0, 4, ReportInput(), None, TODAY)
        except (Forbidden, NotFound):  # not one of the unit's tasks
            continue
        loop.submit_report(sessions, caiwu, draft.id, draft.version)
        filed += 1
    assert filed >= 2
    after = events(sessions, settings, token)
    assert not any(k.startswith(f"cycle-{world.plan_id}-4-") for k in after)


def test_a_replaced_or_revoked_secret_finds_nothing(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    jichu = person(world, "jichu", "reporter", "基础教育科")
    old = calendar.issue_feed(sessions, jichu)
    new = calendar.issue_feed(sessions, jichu)
    with pytest.raises(NotFound):
        calendar.render_feed(sessions, settings, old, TODAY)
    assert events(sessions, settings, new)
    assert calendar.revoke_feed(sessions, jichu) and not calendar.revoke_feed(sessions, jichu)
    with pytest.raises(NotFound):
        calendar.render_feed(sessions, settings, new, TODAY)
    again = calendar.issue_feed(sessions, jichu)
    accounts.set_active(sessions, Principal.system(), world.users["jichu"], False)
    with pytest.raises(NotFound):
        calendar.render_feed(sessions, settings, again, TODAY)
    with pytest.raises(NotFound):
        calendar.render_feed(sessions, settings, "cal_guessed", TODAY)


def test_office_staff_follow_up_their_organisations_urges(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    office = person(world, "office", "office")
    urge = loop.issue_urge(sessions, office, world.items["2"], "请答复", "2024-06-12")
    found = events(sessions, settings, calendar.issue_feed(sessions, office))
    assert found[f"urge-{urge.id}@eduplan"][0] == date(2024, 6, 12)
    assert any(k.startswith(f"cycle-{world.district_plan_id}-") for k in found)
    viewer = person(world, "viewer", "viewer")
    assert events(sessions, settings, calendar.issue_feed(sessions, viewer)) == {}
