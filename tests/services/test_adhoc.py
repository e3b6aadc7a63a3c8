"""交办事项 created by hand (issue 14): a 领导批示 scanned on paper becomes a tracked task of the year's
register, assigned, signed and reported like any plan task; a monthly 常态化 duty recurs with no end,
each occurrence tracked (已报送 / 缺报); the refusals say what to do; everything is audited."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from tests.people import person, reporter

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.readers.ocr import engine_name
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Forbidden, Invalid
from eduplan.services.loop.adhoc import (
    AdhocInput,
    Attachment,
    CreatedItem,
    create_item,
    extend_open_schedules,
)
from eduplan.services.loop.life import sign
from eduplan.services.loop.reports import ReportInput
from eduplan.services.pages.todo import todo_page
from eduplan.services.tracking.adhoc import adhoc_in, attachment_of
from eduplan.services.tracking.dashboard import compute_dashboard
from eduplan.services.tracking.life import life_in

TODAY = date(2024, 5, 10)
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
INSTRUCTION = [
    "关于加强校园食品安全管理的批示",
    "请基础教育科牵头，会同各学校开展一次全面排查，",
    "六月底前报送排查结果。",
]


def scanned_instruction(lines: list[str] = INSTRUCTION) -> bytes:
    """A 批示件 as a scanner gives it: black text on a white page, a PNG."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 36)
    image = Image.new("L", (1240, 140 + 70 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(lines):
        draw.text((80, 80 + 70 * k), line, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def office(world: World) -> Principal:
    return person(world, "office", "office")


Giver = Callable[..., CreatedItem]


@pytest.fixture
def give_jichu(world: World, sessions: SessionFactory, office: Principal) -> Giver:
    """The office gives 基础教育科 an item (as its lead unit); `fields` are `AdhocInput`'s."""

    def give(today: date = TODAY, given_on: date | None = None, **fields: Any) -> CreatedItem:
        made = AdhocInput(lead_unit_id=world.units["基础教育科"], **fields)
        return create_item(sessions, office, made, today, given_on)

    return give


def _report(sessions: SessionFactory, who: Principal, item: int, cycle: int, on: datetime) -> None:
    draft = loop.save_report(
        sessions,
        who,
        item,
        who.unit_id or 0,
        cycle,
        ReportInput(percent=50, narrative="已开展排查"),
        None,
        TODAY,
    )
    loop.submit_report(sessions, who, draft.id, draft.version, on)


@pytest.mark.skipif(engine_name() is None, reason="no OCR engine installed (pip install rapidocr)")
def test_scanned_instruction_becomes_a_task_the_unit_signs_and_reports_on(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, give_jichu: Giver
) -> None:
    jichu = reporter(world, "jichu", "基础教育科")
    scan = scanned_instruction()
    made = give_jichu(
        source="instruction",
        proposer="王局长",
        reference="示教批〔2024〕3号",
        deadline="6月底前",
        attachment=Attachment(filename="批示件.png", data=scan, media_type="image/png"),
    )
    assert made.plan_title == "示例市2024年交办督办事项"
    assert made.text_from_attachment and "食品安全" in made.title
    item = tracking.get_item(sessions, office, made.item_id)
    assert "全面排查" in item.text and item.deadline == date(2024, 6, 30)
    assert [a.unit_name for a in item.assignments] == ["基础教育科"]
    with sessions() as session:
        shown = adhoc_in(session, office, made.item_id, TODAY, settings.timezone)
    assert shown is not None
    assert (shown.source_label, shown.proposer, shown.reference) == (
        "领导批示",
        "王局长",
        "示教批〔2024〕3号",
    )
    assert attachment_of(sessions, jichu, made.item_id).data == scan

    # the unit sees it in 我的待办, signs, then reports for the month it was given in
    todo = todo_page(sessions, settings, jichu, TODAY)
    entries = [e for e in todo.entries if e.item_id == made.item_id]
    assert [e.kind for e in entries if e.kind == "sign"] == ["sign"]
    assert all("食品安全" in e.task for e in entries)
    with sessions() as session:
        duty = life_in(session, jichu, made.item_id, 2, TODAY).mine
    assert duty is not None and duty.state == "to_sign"
    assert sign(sessions, jichu, made.item_id, duty.version).state == "signed"
    _report(sessions, jichu, made.item_id, 4, datetime(2024, 5, 20, 2, tzinfo=UTC))  # May: cycle 4
    [status] = [s for s in tracking.plan_status(sessions, settings, office, made.plan_id, TODAY).items]
    assert status.missing_reports == 0  # nothing owed from before the day it was given
    trail = [(e.action, e.entity) for e in tracking.item_audit(sessions, office, made.item_id)]
    assert ("create", "adhoc") in trail and ("sign", "duty") in trail


def test_monthly_duty_given_three_months_ago_tracks_each_occurrence(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, give_jichu: Giver
) -> None:
    jichu = reporter(world, "jichu", "基础教育科")
    made = give_jichu(
        source="routine",
        title="校园安全月度检查",
        text="每月开展一次校园安全检查，报送检查情况。",
        recurrence="monthly",
        given_on=date(2024, 2, 10),
    )
    assert made.plan_title == "示例市常态化工作（每月）"
    with sessions() as session:
        duty = life_in(session, jichu, made.item_id, 2, TODAY).mine
    assert duty is not None
    sign(sessions, jichu, made.item_id, duty.version)
    _report(sessions, jichu, made.item_id, 2, datetime(2024, 3, 20, 2, tzinfo=UTC))  # March, on time
    with sessions() as session:
        shown = adhoc_in(session, office, made.item_id, TODAY, settings.timezone)
    assert shown is not None and shown.recurrence_label == "每月"
    past = [o for o in shown.occurrences if o.due < TODAY]
    assert [(o.start, o.due) for o in past] == [
        (date(2024, 2, 1), date(2024, 2, 25)),
        (date(2024, 3, 1), date(2024, 3, 25)),
        (date(2024, 4, 1), date(2024, 4, 25)),
    ]
    assert [o.units[0].label for o in shown.occurrences] == ["缺报", "已报送", "缺报", "待报送"]
    assert shown.missed == 2
    [status] = tracking.plan_status(sessions, settings, office, made.plan_id, TODAY).items
    assert status.missing_reports == 2  # the lights and counts see the same occurrences
    # no end date: a year on, the occurrences simply go on
    give_jichu(source="routine", title="周报", recurrence="monthly", today=date(2025, 3, 3))
    with sessions() as session:
        later = adhoc_in(session, office, made.item_id, date(2025, 3, 3), settings.timezone)
    assert (
        later is not None and len(later.occurrences) == 14 and later.occurrences[-1].due == date(2025, 3, 25)
    )


def test_an_item_given_today_is_not_behind_on_its_first_day(
    sessions: SessionFactory, settings: Settings, office: Principal, give_jichu: Giver
) -> None:
    made = give_jichu(source="superior", title="迎接省教育督导", deadline="6月底前")
    # 序时进度 runs from the day it was given (5月10日), not from the register's 1月1日
    [status] = tracking.plan_status(sessions, settings, office, made.plan_id, TODAY).items
    assert (status.colour, status.expected) == ("green", 0.0)
    later = date(2024, 6, 4)  # 25 of 51 days
    [status] = tracking.plan_status(sessions, settings, office, made.plan_id, later).items
    assert status.expected == 49.0
    for rollups in (False, True):  # the dashboard's SQL (either way) starts it there too
        board = compute_dashboard(sessions, office, settings, TODAY, rollups=rollups)
        [summary] = [p for p in board.plans if p.plan_id == made.plan_id]
        # green: not behind 序时进度, and not 缺报 for April's cycle, due before the day it was given
        assert summary.counts == {"green": 1, "amber": 0, "red": 0}, (rollups, summary.counts)
        assert summary.missing == 0


def test_refusals_say_what_to_do(world: World, sessions: SessionFactory, office: Principal) -> None:
    unit = world.units["基础教育科"]
    jichu = reporter(world, "jichu", "基础教育科")
    with pytest.raises(Forbidden):
        create_item(sessions, jichu, AdhocInput(source="meeting", title="x", lead_unit_id=unit), TODAY)
    with pytest.raises(Invalid, match="事项来源"):
        create_item(sessions, office, AdhocInput(source="rumour", title="x", lead_unit_id=unit), TODAY)
    with pytest.raises(Invalid, match="重复周期"):
        create_item(sessions, office, AdhocInput(source="routine", title="x", lead_unit_id=unit), TODAY)
    with pytest.raises(Invalid, match="责任单位"):
        create_item(sessions, office, AdhocInput(source="meeting", title="x"), TODAY)
    with pytest.raises(Invalid, match="事项名称"):
        create_item(sessions, office, AdhocInput(source="meeting", lead_unit_id=unit), TODAY)
    with pytest.raises(Invalid, match="不属于本机构"):
        create_item(
            sessions, office, AdhocInput(source="meeting", title="x", lead_unit_id=unit + 10_000), TODAY
        )


def test_the_scheduler_moves_an_open_ended_duty_on_year_after_year(
    sessions: SessionFactory, settings: Settings, office: Principal, give_jichu: Giver
) -> None:
    made = give_jichu(source="routine", title="安全周报", recurrence="weekly")
    assert extend_open_schedules(sessions, TODAY) == 0  # already to the end of next year
    later = date(2026, 1, 5)
    assert extend_open_schedules(sessions, later) == 1
    assert extend_open_schedules(sessions, later) == 0
    with sessions() as session:
        shown = adhoc_in(session, office, made.item_id, later, settings.timezone)
    assert shown is not None and shown.occurrences[-1].start == later  # still going in 2026
    assert shown.occurrences[-1].due == date(2026, 1, 9)  # the week's Friday
    [status] = tracking.plan_status(sessions, settings, office, made.plan_id, later).items
    assert status.missing_reports == len(shown.occurrences) - 1
