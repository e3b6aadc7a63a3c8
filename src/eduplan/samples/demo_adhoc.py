"""The demo's 交办事项 and 领导批示 (issue 14), made through the services so audit and inbox are real.

- a 领导批示 given as a 交办事项 a few days before the demo's today, to 基础教育科 (not signed yet: it
  waits in the unit's 我的待办);
- a monthly 常态化 duty, 校园安全月度检查, given to 安全稳定科 about three months before today: signed,
  each occurrence due since reported on time but one (缺报);
- a 批示 of the leader on the annual plan's campus-safety task, with a 办理期限, announced to its units.

Deterministic: the same day gives the same data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from eduplan.db.engine import SessionFactory
from eduplan.samples.demo_world import DemoWorld
from eduplan.services.accounts import Principal
from eduplan.services.loop import ReportInput, save_report, submit_report
from eduplan.services.loop.adhoc import AdhocInput, create_item
from eduplan.services.loop.instructions import write_instruction
from eduplan.services.loop.life import sign
from eduplan.services.tracking import get_schedule, list_items
from eduplan.services.tracking.life import life_in
from eduplan.services.tracking.rules import expected_progress, owes_cycle

INSTRUCTION_TITLE = "关于开展校园食品安全专项排查的批示"
INSTRUCTION_TEXT = (
    "近期外地发生学校食品安全事件，请基础教育科牵头，会同各学校对食堂、校外供餐开展一次全面排查，"
    "发现问题立即整改，排查结果按时报送。"
)
DUTY_TITLE = "校园安全月度检查"
DUTY_TEXT = "每月开展一次校园安全检查（消防、食品、交通、校舍），报送检查情况和问题清单。"
LEADER_WORDS = "校园安全无小事。请安全稳定科会同各区教育局在寒假前完成一轮隐患排查，重大隐患即时上报，办理情况报局办公室。"


def _at(day: date) -> datetime:
    """10:00 in 示例市 (UTC+8) of that day."""
    return datetime.combine(day, time(2, 0), tzinfo=UTC)


def _signed(sessions: SessionFactory, reporter: Principal, item_id: int, today: date) -> None:
    with sessions() as session:
        duty = life_in(session, reporter, item_id, 2, today).mine
    if duty is not None and duty.state == "to_sign":
        sign(sessions, reporter, item_id, duty.version)


def fill_adhoc(sessions: SessionFactory, world: DemoWorld, today: date) -> dict[str, int]:
    """The two 交办事项 and the 批示 (see the module); their ids go to `world.ids`, counts returned."""
    office, leader = world.principals["office"], world.principals["leader"]
    given = today - timedelta(days=3)
    instruction = create_item(
        sessions,
        office,
        AdhocInput(
            source="instruction",
            title=INSTRUCTION_TITLE,
            text=INSTRUCTION_TEXT,
            proposer="李明（分管局领导）",
            reference=f"示教批〔{given.year}〕7号",
            lead_unit_id=world.units["基础教育科"],
            support_unit_ids=(world.units["安全稳定科"],),
            deadline=(given + timedelta(days=30)).isoformat(),
        ),
        today,
        given_on=given,
    )
    world.ids["adhoc_instruction"] = instruction.item_id

    started = today - timedelta(days=91)
    duty = create_item(
        sessions,
        office,
        AdhocInput(
            source="routine",
            title=DUTY_TITLE,
            text=DUTY_TEXT,
            lead_unit_id=world.units["安全稳定科"],
            recurrence="monthly",
        ),
        today,
        given_on=started,
    )
    world.ids["adhoc_duty"] = duty.item_id
    reporter = world.principals["anquan"]
    _signed(sessions, reporter, duty.item_id, today)
    schedule = get_schedule(sessions, office, duty.plan_id)
    owed = [c for c in schedule.cycles if c.due < today and owes_cycle(c.due, started)]
    missed = owed[-2] if len(owed) >= 2 else (owed[0] if owed else None)
    reported = 0
    for cycle in owed:
        if cycle is missed:
            continue
        percent = min(100.0, round(expected_progress(started, schedule.ends_on, cycle.end) + 1))
        narrative = f"{cycle.start.month}月检查学校12所，发现隐患3处，已整改2处，1处限期整改中。"
        data = ReportInput("in_progress", percent, narrative)
        draft = save_report(
            sessions, reporter, duty.item_id, reporter.unit_id or 0, cycle.index, data, None, today
        )
        submit_report(
            sessions, reporter, draft.id, draft.version, _at(min(cycle.due - timedelta(days=2), today))
        )
        reported += 1

    safety = next(
        i
        for i in list_items(sessions, office, world.plan_id)
        if "校园安全" in i.title and i.parent_id is None
    )
    made = write_instruction(sessions, leader, safety.id, LEADER_WORDS, today + timedelta(days=14), today)
    world.ids["instructed_item"] = safety.id
    world.ids["instruction"] = made.id
    return {
        "adhoc": 2,
        "duty_reported": reported,
        "duty_missed": int(missed is not None),
        "instructions": 1,
    }
