"""Supervision: urges answered, closed and escalated yellow → red; rectifications with evidence
signed off (销号) or sent back; both shown in the task's status; scoped to the unit."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tests.people import reporter

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion
from eduplan.services.loop import ReportInput

PDF = b"%PDF-1.4\n%%EOF\n"
TODAY = date(2024, 5, 10)


def colour_of(
    sessions: SessionFactory, settings: Settings, world: World, number: str, today: date = TODAY
) -> tuple[str, list[str]]:
    found = next(
        s
        for s in tracking.plan_status(sessions, settings, Principal.system(), world.plan_id, today).items
        if s.number == number
    )
    return found.colour, found.reasons


def test_urge_answer_close_and_escalation(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal
) -> None:
    caiwu, jichu = reporter(world, "caiwu", "计划财务科"), reporter(world, "jichu", "基础教育科")
    item = world.items["9"]  # 落实教育经费投入: 计划财务科
    for cycle in range(5):  # reported fully, on time and on schedule: green
        r = loop.save_report(
            sessions, caiwu, item, caiwu.unit_id or 0, cycle, ReportInput("in_progress", 80), None, TODAY
        )
        loop.submit_report(sessions, caiwu, r.id, r.version, now=datetime(2024, cycle + 1, 20, tzinfo=UTC))
    assert colour_of(sessions, settings, world, "9")[0] == "green"
    with pytest.raises(Invalid):  # only units on the task can be urged
        loop.issue_urge(sessions, office, item, "请加快进度", "5月20日前", world.units["基础教育科"])
    with pytest.raises(Forbidden):
        loop.issue_urge(sessions, caiwu, item, "自己催自己", "5月20日前")
    urge = loop.issue_urge(sessions, office, item, "请报送绩效评价进展", "5月20日前", caiwu.unit_id)
    assert (urge.level, urge.state, urge.due_on) == ("yellow", "open", date(2024, 5, 20))
    assert [u.id for u in tracking.list_urges(sessions, caiwu)] == [urge.id]
    assert tracking.list_urges(sessions, jichu) == []  # not addressed to its unit, nor on its tasks
    assert colour_of(sessions, settings, world, "9")[0] == "green"  # a yellow urge in time changes nothing
    late = colour_of(sessions, settings, world, "9", date(2024, 5, 22))
    assert late[0] == "amber" and "督办逾期未答复" in late[1]
    assert loop.escalate_overdue(sessions, office, date(2024, 5, 19)) == []
    assert loop.escalate_overdue(sessions, office, date(2024, 5, 22), days=5) == [urge.id]
    red = tracking.list_urges(sessions, office, item)[0]
    assert (red.level, red.due_on, red.escalated_at is not None) == ("red", date(2024, 5, 27), True)
    assert "督办中" in colour_of(sessions, settings, world, "9")[1]
    with pytest.raises(StaleVersion):
        loop.answer_urge(sessions, caiwu, urge.id, "已完成", urge.version)
    answered = loop.answer_urge(sessions, caiwu, urge.id, "绩效评价已启动，6月20日完成", red.version)
    assert answered.state == "answered"
    with pytest.raises(Forbidden):
        loop.close_urge(sessions, caiwu, urge.id, answered.version)
    closed = loop.close_urge(sessions, office, urge.id, answered.version)
    assert closed.state == "closed" and colour_of(sessions, settings, world, "9")[0] == "green"
    with pytest.raises(Conflict):
        loop.answer_urge(sessions, caiwu, urge.id, "再答复", closed.version)
    trail = [e.action for e in tracking.item_audit(sessions, office, item) if e.entity == "urge"]
    assert trail == ["urge", "escalate", "answer", "close"]


def test_rectification_needs_evidence_and_is_signed_off(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal
) -> None:
    xueqian = reporter(world, "xueqian", "学前教育科")
    item = world.items["2"]  # 推进学前教育普及普惠: 学前教育科、基础教育科
    rect = loop.raise_rectification(
        sessions, office, item, xueqian.unit_id or 0, "民办园收费公示不规范", "6月底前"
    )
    assert (rect.state, rect.deadline, rect.unit_name) == ("open", date(2024, 6, 30), "学前教育科")
    with pytest.raises(Invalid):  # evidence first
        loop.submit_rectification(sessions, xueqian, rect.id, "已全面排查并公示", rect.version)
    loop.add_rectification_evidence(sessions, settings, xueqian, rect.id, "公示照片.pdf", PDF)
    with pytest.raises(Invalid):
        loop.add_rectification_evidence(sessions, settings, xueqian, rect.id, "x.exe", b"MZ\x00\x00")
    jichu = reporter(world, "jichu", "基础教育科")
    with pytest.raises(NotFound):  # another unit's rectification
        loop.submit_rectification(sessions, jichu, rect.id, "代为提交", rect.version)
    submitted = loop.submit_rectification(sessions, xueqian, rect.id, "已全面排查并公示", rect.version)
    assert submitted.state == "submitted" and [e.filename for e in submitted.evidence] == ["公示照片.pdf"]
    with pytest.raises(Invalid):
        loop.sign_off(sessions, office, rect.id, submitted.version, accept=False)
    back = loop.sign_off(sessions, office, rect.id, submitted.version, accept=False, note="缺少收费标准文件")
    assert (back.state, back.review_note) == ("open", "缺少收费标准文件")
    again = loop.submit_rectification(sessions, xueqian, rect.id, "补充收费标准文件", back.version)
    done = loop.sign_off(sessions, office, rect.id, again.version, accept=True)
    assert (done.state, done.signed_off_by) == ("signed_off", "office")
    assert tracking.list_rectifications(sessions, jichu) == []
    assert [r.state for r in tracking.list_rectifications(sessions, xueqian, item)] == ["signed_off"]
    evidence = loop.open_evidence(sessions, settings, office, done.evidence[0].id)
    assert evidence.data == PDF


def test_overdue_rectification_shows_in_status(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal
) -> None:
    caiwu = reporter(world, "caiwu", "计划财务科")
    item = world.items["9"]
    loop.raise_rectification(sessions, office, item, caiwu.unit_id or 0, "项目支出进度滞后", "2024-04-30")
    colour, reasons = colour_of(sessions, settings, world, "9")
    assert "1 项整改逾期未销号" in reasons and colour in ("amber", "red")
    district = Principal(None, "jia", "office", 999, "示例市/甲区", None)
    with pytest.raises(NotFound):
        loop.raise_rectification(sessions, district, item, caiwu.unit_id or 0, "越权", "年内")
    assert tracking.list_rectifications(sessions, district) == []
