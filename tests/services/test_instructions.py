"""领导批示 (issue 14): a leader (or the office) writes one on any task — text required, a 办理期限 in
words read from today — audited and announced in the inbox of the task's units; it waits in the
unit's 我的待办 (and the badge) until the unit marks it 已阅/办理, once; other roles are refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select
from tests.people import person, reporter

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.notifications import Notification
from eduplan.samples.loop import World
from eduplan.services import accounts, loop, tracking
from eduplan.services.accounts import Principal, UserCreate
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound
from eduplan.services.loop import AssignmentInput
from eduplan.services.loop.instructions import acknowledge, write_instruction
from eduplan.services.pages.todo import todo_page, waiting_count
from eduplan.services.tracking.instructions import list_instructions

TODAY = date(2024, 5, 10)  # a Friday
ITEM = "9"  # 落实教育经费投入: 计划财务科 alone


def notices(sessions: SessionFactory, world: World, name: str, kind: str) -> list[Notification]:
    with sessions() as s:
        return list(
            s.scalars(
                select(Notification).where(
                    Notification.user_id == world.users[name], Notification.kind == kind
                )
            )
        )


def test_a_leader_writes_one_with_a_deadline_in_words_audited_and_announced(
    world: World, sessions: SessionFactory
) -> None:
    leader = person(world, "leader", "leader")
    item = world.items[ITEM]
    made = write_instruction(sessions, leader, item, "  请加快经费拨付进度，月底前报结果。 ", "下周五", TODAY)
    assert (made.body, made.deadline, made.deadline_text) == (
        "请加快经费拨付进度，月底前报结果。",
        date(2024, 5, 17),
        "下周五",
    )
    assert made.author == "leader" and made.role_label == "领导"
    assert made.waiting == ["计划财务科"] and made.acks == []
    [notice] = notices(sessions, world, "caiwu", "instruction")
    assert "批示" in notice.title and notice.item_id == item and "2024年5月17日" in notice.body
    assert len(notices(sessions, world, "office", "instruction")) == 1
    assert notices(sessions, world, "leader", "instruction") == []  # not to its author
    assert notices(sessions, world, "jichu", "instruction") == []  # not a unit on the task
    office = person(world, "office", "office")
    trail = [(e.action, e.username) for e in tracking.item_audit(sessions, office, item)]
    assert ("instruct", "leader") in trail
    dated = write_instruction(sessions, office, item, "按期办结", "12月15日前", TODAY)
    assert dated.deadline == date(2024, 12, 15)
    plain = write_instruction(sessions, office, item, "阅", None, TODAY)
    assert plain.deadline is None
    shown = list_instructions(sessions, office, item)
    assert [n.id for n in shown] == [plain.id, dated.id, made.id]  # newest first


def test_who_may_write_and_what_is_refused(world: World, sessions: SessionFactory) -> None:
    item = world.items[ITEM]
    leader = person(world, "leader", "leader")
    with pytest.raises(Forbidden):
        write_instruction(sessions, reporter(world, "caiwu", "计划财务科"), item, "自批", None, TODAY)
    with pytest.raises(Forbidden):
        write_instruction(sessions, person(world, "viewer", "viewer"), item, "只读", None, TODAY)
    with pytest.raises(Invalid, match="请填写批示内容"):
        write_instruction(sessions, leader, item, "   ", None, TODAY)
    with pytest.raises(Invalid, match="不能早于今天"):
        write_instruction(sessions, leader, item, "补办", "2024年5月1日", TODAY)
    with pytest.raises(Invalid):
        write_instruction(sessions, leader, item, "尽快", "尽快吧", TODAY)
    with pytest.raises(NotFound):  # outside the leader's organisation
        write_instruction(sessions, person(world, "leader", "leader", path="别市"), item, "x", None, TODAY)
    assert list_instructions(sessions, leader, item) == []


def test_it_waits_in_the_units_todo_until_acknowledged_once(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    item = world.items[ITEM]
    caiwu, jichu = reporter(world, "caiwu", "计划财务科"), reporter(world, "jichu", "基础教育科")
    office = person(world, "office", "office")
    made = write_instruction(
        sessions, person(world, "leader", "leader"), item, "请于月底前报送拨付情况", "月底前", TODAY
    )
    with sessions() as s:
        before = waiting_count(s, caiwu)
    todo = todo_page(sessions, settings, caiwu, TODAY)
    [entry] = [e for e in todo.entries if e.kind == "instruction"]
    assert entry.label == "领导批示待阅" and entry.deadline == date(2024, 5, 31)
    assert entry.url == f"/items/{item}#instruction-{made.id}" and "请于月底前" in entry.detail
    assert entry.detail.startswith("leader：")
    assert not [e for e in todo_page(sessions, settings, jichu, TODAY).entries if e.kind == "instruction"]
    [seen] = list_instructions(sessions, caiwu, item)
    assert seen.can_ack and seen.mine is None
    with pytest.raises(Forbidden):
        acknowledge(sessions, office, made.id)
    with pytest.raises(NotFound):  # another unit does not even see the task
        acknowledge(sessions, jichu, made.id)
    done = acknowledge(sessions, caiwu, made.id, "已拨付 80%，月底前全部到位")
    assert done.mine is not None and done.mine.acked_by == "caiwu" and not done.can_ack
    assert done.waiting == [] and [a.unit_name for a in done.acks] == ["计划财务科"]
    with pytest.raises(Conflict):
        acknowledge(sessions, caiwu, made.id)
    todo = todo_page(sessions, settings, caiwu, TODAY)
    assert not [e for e in todo.entries if e.kind == "instruction"]
    with sessions() as s:
        assert waiting_count(s, caiwu) == before - 1
    trail = [
        (e.action, e.username, (e.after or {}).get("note"))
        for e in tracking.item_audit(sessions, office, item)
    ]
    assert ("acknowledge", "caiwu", "已拨付 80%，月底前全部到位") in trail
    [shown] = list_instructions(sessions, office, item)
    assert shown.acks[0].note == "已拨付 80%，月底前全部到位" and not shown.can_ack


@dataclass(frozen=True, kw_only=True)
class Down:
    """A city task handed down to 甲区 and on to its 实验小学, each with a unit and its reporter."""

    task: int
    district: int
    school: int
    lin: Principal  # 甲区基础教育科's reporter
    wang: Principal  # 实验小学教务处's reporter


def handed_down_with_reporters(world: World, sessions: SessionFactory, settings: Settings) -> Down:
    """The city's task 1 of the district plan handed to 甲区, 甲区's to 实验小学; each names a unit
    and has a reporter account (林峰, 王芳) that receives notices."""
    city = person(world, "office", "office")
    task = world.district_items["1"]
    district = loop.hand_down(sessions, city, task, ["甲区"], today=date(2024, 3, 1)).created["甲区"]
    jia = Principal(
        None, "jia-office", "office", tracking.get_item(sessions, city, district).org_id, "示例市/甲区", None
    )
    school = loop.hand_down(sessions, jia, district, ["实验小学"], today=date(2024, 4, 1)).created["实验小学"]
    school_org = tracking.get_item(sessions, jia, school).org_id
    made = {}
    for item, org, path, unit_name, login, name in (
        (district, jia.org_id, "示例市/甲区", "基础教育科", "lin", "林峰"),
        (school, school_org, "示例市/甲区/实验小学", "教务处", "wang", "王芳"),
    ):
        office = Principal(None, f"{login}-office", "office", org, path, None)
        unit = loop.add_unit(sessions, office, org, unit_name).unit
        version = tracking.get_item(sessions, office, item).version
        loop.set_assignments(sessions, office, item, [AssignmentInput("lead", unit.id)], version)
        user = accounts.create_user(
            sessions,
            settings,
            Principal.system(),
            UserCreate(login, "reporter", name, org, unit.id, world.password),
        ).user
        made[login] = Principal(user.id, login, "reporter", org, path, unit.id)
    return Down(task=task, district=district, school=school, lin=made["lin"], wang=made["wang"])


def test_an_instruction_on_a_city_task_reaches_the_districts_and_schools_units(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    """The leader's 批示 on the city's task shows on the district's and the school's pages as 上级批示
    (the leader's name, the city), reaches their reporters' inbox and /todo linking to their own task,
    and each unit acknowledges it once on its own task; the district's units see only their own 已阅."""
    down = handed_down_with_reporters(world, sessions, settings)
    leader = person(world, "leader", "leader")
    made = write_instruction(sessions, leader, down.task, "各县区、各学校务必按期完成", "月底前", TODAY)
    badge: dict[str, int] = {}
    for who, item, name in ((down.lin, down.district, "lin"), (down.wang, down.school, "wang")):
        [shown] = list_instructions(sessions, who, item)
        assert (shown.id, shown.author, shown.from_above, shown.org_name) == (
            made.id,
            "leader",
            True,
            "示例市",
        )
        assert shown.can_ack and shown.waiting == [["基础教育科"], ["教务处"]][name == "wang"]
        with sessions() as s:
            [notice] = s.scalars(select(Notification).where(Notification.user_id == who.user_id)).all()
        assert "上级批示" in notice.title and notice.item_id == item
        [entry] = [e for e in todo_page(sessions, settings, who, TODAY).entries if e.kind == "instruction"]
        assert entry.url == f"/items/{item}#instruction-{made.id}" and entry.deadline == date(2024, 5, 31)
        with sessions() as s:
            badge[name] = waiting_count(s, who)
    assert not list_instructions(sessions, leader, down.task)[0].from_above  # its own on the city's page
    done = acknowledge(sessions, down.lin, made.id, "已部署各校")
    assert [a.unit_name for a in done.acks] == ["基础教育科"] and not done.can_ack and done.waiting == []
    with pytest.raises(Conflict):
        acknowledge(sessions, down.lin, made.id)
    assert not [e for e in todo_page(sessions, settings, down.lin, TODAY).entries if e.kind == "instruction"]
    with sessions() as s:
        assert waiting_count(s, down.lin) == badge["lin"] - 1  # the badge counts it until then
    [school_view] = list_instructions(sessions, down.wang, down.school)
    assert school_view.acks == [] and school_view.can_ack  # the district's 已阅 is not the school's
    assert acknowledge(sessions, down.wang, made.id).mine is not None
    trail = [(e.action, e.username) for e in tracking.item_audit(sessions, down.lin, down.district)]
    assert ("acknowledge", "lin") in trail
    [city_view] = list_instructions(sessions, leader, down.task)  # the city sees who below has read it
    assert sorted((a.org_name, a.unit_name) for a in city_view.acks) == [
        ("实验小学", "教务处"),
        ("甲区", "基础教育科"),
    ]
    with pytest.raises(NotFound):  # the district's reporter cannot read the city's task itself
        list_instructions(sessions, down.lin, down.task)
