"""The task's life (issue 14): 签收, 退回/转办, 延期, 办结 — every transition and its refusals (wrong
role, wrong state, stale version → `StaleVersion`), audited; an approved extension moves the
task's light; 销号 of an 整改 closes its 督办; a plan whose tasks have no units is 待分工."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion
from eduplan.services.loop.life import decide_refusal, refuse, sign, sign_urge
from eduplan.services.loop.life_requests import (
    decide_closing,
    decide_extension,
    request_closing,
    request_extension,
)
from eduplan.services.tracking.life import DutyView, TaskLife, add_working_days, life_in

TODAY = date(2024, 5, 10)
ITEM = "9"  # 落实教育经费投入: 计划财务科 alone


@pytest.fixture
def office(world: World) -> Principal:
    return Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)


@pytest.fixture
def caiwu(world: World) -> Principal:
    """The reporter of 计划财务科, the one unit on the task."""
    return reporter(world, "caiwu", "计划财务科")


def reporter(world: World, name: str, unit: str) -> Principal:
    return Principal(world.users[name], name, "reporter", world.org_id, "示例市", world.units[unit])


def life(sessions: SessionFactory, who: Principal, item: int, today: date = TODAY) -> TaskLife:
    with sessions() as session:
        return life_in(session, who, item, 2, today)


def own_part(sessions: SessionFactory, who: Principal, item: int) -> DutyView:
    """The part of `item` that the reporter's unit has (it must have one)."""
    mine = life(sessions, who, item).mine
    assert mine is not None
    return mine


def test_working_days_skip_the_weekend() -> None:
    assert add_working_days(date(2024, 5, 9), 2) == date(2024, 5, 13)  # Thursday → Monday
    assert add_working_days(date(2024, 5, 6), 2) == date(2024, 5, 8)


def test_sign_is_the_units_own_once_and_audited_with_a_name(
    world: World, sessions: SessionFactory, office: Principal
) -> None:
    caiwu, jichu = reporter(world, "caiwu", "计划财务科"), reporter(world, "jichu", "基础教育科")
    item = world.items[ITEM]
    mine = life(sessions, caiwu, item).mine
    assert mine is not None and mine.state == "to_sign" and mine.signed_by is None
    late = life(sessions, office, item, add_working_days(mine.sign_due, 1))
    assert late.unsigned_overdue == 1 and late.duties[0].sign_overdue
    with pytest.raises(Forbidden):
        sign(sessions, office, item, mine.version)
    with pytest.raises(NotFound):  # another unit's task: not even seen
        sign(sessions, jichu, item, mine.version)
    with pytest.raises(StaleVersion):
        sign(sessions, caiwu, item, mine.version + 1)
    signed = sign(sessions, caiwu, item, mine.version)
    assert (signed.state, signed.signed_by, signed.signed_at is not None) == ("signed", "caiwu", True)
    with pytest.raises(StaleVersion):  # a second window, on the version it read
        sign(sessions, caiwu, item, mine.version)
    with pytest.raises(Conflict):
        sign(sessions, caiwu, item, signed.version)
    trail = [
        (e.action, e.username) for e in tracking.item_audit(sessions, office, item) if e.entity == "duty"
    ]
    assert trail == [("sign", "caiwu")]


def test_refusal_then_reassign_to_the_proposed_unit(
    world: World, sessions: SessionFactory, office: Principal
) -> None:
    caiwu, jichu = reporter(world, "caiwu", "计划财务科"), reporter(world, "jichu", "基础教育科")
    item = world.items[ITEM]
    mine = own_part(sessions, caiwu, item)
    with pytest.raises(Invalid):
        refuse(sessions, caiwu, item, "  ", mine.version)
    refused = refuse(
        sessions, caiwu, item, "经费绩效由基础教育科负责", mine.version, world.units["基础教育科"]
    )
    assert refused.state == "refused"
    with pytest.raises(Conflict):
        sign(sessions, caiwu, item, refused.version)
    [req] = life(sessions, office, item).requests
    assert (req.kind, req.state, req.proposed_unit_name) == ("refuse", "pending", "基础教育科")
    with pytest.raises(Forbidden):
        decide_refusal(sessions, caiwu, req.id, refused.version)
    with pytest.raises(StaleVersion):
        decide_refusal(sessions, office, req.id, mine.version)
    done = decide_refusal(sessions, office, req.id, refused.version, note="同意转办")
    assert done.state == "transferred"
    units = [a.unit_name for a in tracking.get_item(sessions, office, item).assignments]
    assert units == ["基础教育科"]
    new = life(sessions, jichu, item).mine
    assert new is not None and new.state == "to_sign"  # the new unit must sign in its turn
    with pytest.raises(NotFound):  # the refusing unit no longer has the task
        life(sessions, caiwu, item)
    history = life(sessions, office, item).requests
    assert [(r.state, r.decided_by) for r in history] == [("reassigned", "office")]
    with pytest.raises(Conflict):
        decide_refusal(sessions, office, req.id, done.version)


def test_refusal_overruled_the_unit_must_sign(
    world: World, sessions: SessionFactory, office: Principal, caiwu: Principal
) -> None:
    item = world.items[ITEM]
    mine = own_part(sessions, caiwu, item)
    refused = refuse(sessions, caiwu, item, "不是本科室职责", mine.version)
    [req] = life(sessions, office, item).requests
    with pytest.raises(Invalid):  # insisting needs a reason
        decide_refusal(sessions, office, req.id, refused.version, insist=True)
    back = decide_refusal(sessions, office, req.id, refused.version, insist=True, note="经费投入由财务科牵头")
    assert back.state == "to_sign"
    assert sign(sessions, caiwu, item, back.version).state == "signed"
    assert [r.state_label for r in life(sessions, caiwu, item).requests] == ["维持交办"]


def test_extension_approved_moves_the_deadline_and_the_light(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, caiwu: Principal
) -> None:
    item = world.items[ITEM]
    mine = own_part(sessions, caiwu, item)
    with pytest.raises(Conflict):  # sign first
        request_extension(sessions, caiwu, item, "12月31日前", "资金未到位", mine.version, TODAY)
    signed = sign(sessions, caiwu, item, mine.version)
    old = tracking.get_item(sessions, office, item).deadline
    assert old is not None
    with pytest.raises(Invalid):  # not later than the current deadline
        request_extension(sessions, caiwu, item, old, "资金未到位", signed.version, TODAY)
    with pytest.raises(Invalid):
        request_extension(sessions, caiwu, item, "下周五", "  ", signed.version, TODAY)
    asked = request_extension(
        sessions, caiwu, item, date(old.year + 1, 3, 31), "资金未到位", signed.version, TODAY
    )
    with pytest.raises(Conflict):  # one pending request at a time
        request_extension(sessions, caiwu, item, date(old.year + 1, 4, 30), "再延", asked.version, TODAY)
    [req] = life(sessions, office, item).requests
    assert (req.kind, req.new_deadline) == ("extend", date(old.year + 1, 3, 31))
    with pytest.raises(Forbidden):
        decide_extension(sessions, caiwu, req.id, asked.version, approve=True)
    day_after = old + timedelta(days=1)
    assert tracking.item_status(sessions, settings, office, item, day_after).overdue  # red before
    approved = decide_extension(sessions, office, req.id, asked.version, approve=True)
    assert approved.deadline == date(old.year + 1, 3, 31)
    view = tracking.get_item(sessions, office, item)
    assert (view.deadline, view.deadline_source) == (date(old.year + 1, 3, 31), "extension")
    status = tracking.item_status(sessions, settings, office, item, day_after)
    assert not status.overdue and "已超过完成时限" not in status.reasons
    with pytest.raises(Conflict):
        decide_extension(sessions, office, req.id, approved.version, approve=False, note="重复")


def test_extension_refused_needs_a_reason_and_keeps_the_deadline(
    world: World, sessions: SessionFactory, office: Principal, caiwu: Principal
) -> None:
    item = world.items[ITEM]
    mine = own_part(sessions, caiwu, item)
    signed = sign(sessions, caiwu, item, mine.version)
    old = tracking.get_item(sessions, office, item).deadline
    asked = request_extension(sessions, caiwu, item, date(2030, 1, 31), "人手不足", signed.version, TODAY)
    [req] = life(sessions, office, item).requests
    with pytest.raises(Invalid):
        decide_extension(sessions, office, req.id, asked.version, approve=False)
    refused = decide_extension(sessions, office, req.id, asked.version, approve=False, note="时限不能调整")
    assert refused.deadline is None and tracking.get_item(sessions, office, item).deadline == old
    assert [r.state_label for r in life(sessions, caiwu, item).requests] == ["未同意"]


def test_closing_returned_then_accepted_closes_the_task(
    world: World, sessions: SessionFactory, office: Principal, caiwu: Principal
) -> None:
    item = world.items[ITEM]
    mine = own_part(sessions, caiwu, item)
    with pytest.raises(Conflict):
        request_closing(sessions, caiwu, item, "已完成", mine.version)
    signed = sign(sessions, caiwu, item, mine.version)
    with pytest.raises(Invalid):
        request_closing(sessions, caiwu, item, " ", signed.version)
    asked = request_closing(sessions, caiwu, item, "经费已全部拨付", signed.version)
    assert asked.state == "closing" and asked.closing_note == "经费已全部拨付"
    [req] = life(sessions, office, item).requests
    with pytest.raises(Invalid):  # a closing is not decided as an extension
        decide_extension(sessions, office, req.id, asked.version, approve=True)
    with pytest.raises(Invalid):
        decide_closing(sessions, office, req.id, asked.version, accept=False)
    returned = decide_closing(sessions, office, req.id, asked.version, accept=False, note="请补充拨付凭证")
    assert returned.state == "signed" and not life(sessions, office, item).closed
    again = request_closing(sessions, caiwu, item, "已补充拨付凭证", returned.version)
    req2 = life(sessions, office, item).requests[-1]
    with pytest.raises(Forbidden):
        decide_closing(sessions, caiwu, req2.id, again.version, accept=True)
    closed = decide_closing(sessions, office, req2.id, again.version, accept=True)
    assert closed.state == "closed" and life(sessions, office, item).closed
    with pytest.raises(Conflict):
        refuse(sessions, caiwu, item, "晚了", closed.version)
    actions = [e.action for e in tracking.item_audit(sessions, office, item) if e.entity == "duty"]
    assert actions == ["sign", "ask_closing", "decide_closing", "ask_closing", "decide_closing"]


def test_an_urge_is_signed_once_by_the_unit(
    world: World, sessions: SessionFactory, office: Principal
) -> None:
    caiwu, jichu = reporter(world, "caiwu", "计划财务科"), reporter(world, "jichu", "基础教育科")
    item = world.items[ITEM]
    urge = loop.issue_urge(sessions, office, item, "请报送进展", "2030-05-20", caiwu.unit_id, "red")
    assert urge.signed_by is None
    with pytest.raises(Forbidden):
        sign_urge(sessions, office, urge.id, urge.version)
    with pytest.raises(NotFound):
        sign_urge(sessions, jichu, urge.id, urge.version)
    signed = sign_urge(sessions, caiwu, urge.id, urge.version)
    assert signed.signed_by == "caiwu" and signed.signed_at is not None
    with pytest.raises(StaleVersion):
        sign_urge(sessions, caiwu, urge.id, urge.version)
    with pytest.raises(Conflict):
        sign_urge(sessions, caiwu, urge.id, signed.version)


PDF = b"%PDF-1.4\n%%EOF\n"


def test_signing_off_the_last_rectification_closes_its_urge(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, caiwu: Principal
) -> None:
    item = world.items[ITEM]
    urge = loop.issue_urge(sessions, office, item, "经费执行偏慢", "2030-05-20", caiwu.unit_id, "red")
    unit = caiwu.unit_id or 0
    first = loop.raise_rectification(sessions, office, item, unit, "预算执行率低", "2030-06-30", urge.id)
    second = loop.raise_rectification(sessions, office, item, unit, "台账不全", "2030-06-30", urge.id)
    done = []
    for rect in (first, second):
        loop.add_rectification_evidence(sessions, settings, caiwu, rect.id, "整改.pdf", PDF)
        sent = loop.submit_rectification(sessions, caiwu, rect.id, "已整改", rect.version)
        done.append(loop.sign_off(sessions, office, rect.id, sent.version, accept=True))
        state = tracking.list_urges(sessions, office, item)[0].state
        assert state == ("open" if len(done) == 1 else "closed")  # closed only when nothing is left


def test_a_task_no_unit_has_yet_is_waiting_for_units_not_red(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal
) -> None:
    from eduplan.services.tracking.dashboard import org_dashboard

    item = world.items[ITEM]
    view = tracking.get_item(sessions, office, item)
    loop.set_assignments(
        sessions, office, item, [loop.AssignmentInput("responsible", None, "局各科室")], view.version
    )
    late = (view.deadline or TODAY) + timedelta(days=40)
    status = tracking.plan_status(sessions, settings, office, world.plan_id, late)
    mine = next(s for s in status.items if s.item_id == item)
    assert (mine.colour, mine.overdue) == ("none", False) and mine.reasons[0] == "待分工：尚无责任单位"
    others = [s for s in status.items if s.item_id != item]
    assert sum(status.counts.values()) == len(others)  # 待分工 is counted in no colour
    summary = next(
        p for p in org_dashboard(sessions, office, settings, late).plans if p.plan_id == world.plan_id
    )
    assert summary.counts == status.counts  # the dashboard's SQL follows the same rule


def test_a_task_closed_by_all_its_units_is_done_everywhere(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, caiwu: Principal
) -> None:
    from eduplan.services.tracking.dashboard import org_dashboard

    item = world.items[ITEM]
    late = (tracking.get_item(sessions, office, item).deadline or TODAY) + timedelta(days=3)
    before = tracking.item_status(sessions, settings, office, item, late)
    assert (before.colour, before.overdue) == ("red", True)  # nothing reported, past its deadline
    mine = own_part(sessions, caiwu, item)
    signed = sign(sessions, caiwu, item, mine.version)
    asked = request_closing(sessions, caiwu, item, "已完成", signed.version)
    decide_closing(sessions, office, life(sessions, office, item).requests[-1].id, asked.version, accept=True)
    after = tracking.item_status(sessions, settings, office, item, late)
    assert (after.colour, after.overdue, after.reasons[-1]) == ("green", False, "已完成")
    status = tracking.plan_status(sessions, settings, office, world.plan_id, late)
    summary = next(
        p for p in org_dashboard(sessions, office, settings, late).plans if p.plan_id == world.plan_id
    )
    assert summary.counts == status.counts and summary.overdue == sum(s.overdue for s in status.items)
    own = tracking.plan_status(sessions, settings, caiwu, world.plan_id, late)
    mine_plan = next(
        p for p in org_dashboard(sessions, caiwu, settings, late).plans if p.plan_id == world.plan_id
    )
    assert mine_plan.counts == own.counts  # a reporter's dashboard (from the slots) agrees too
