"""Progress reports: draft → submit → return → resubmit → accept, by whom; scoping between units and
districts; optimistic locking that loses nothing; the audit log of it all."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from tests.people import person
from tests.reporting import OwnReports

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion
from eduplan.services.loop import ReportInput

TODAY = date(2024, 5, 10)  # cycle 4 (May) of the monthly schedule is open


def draft(
    sessions: SessionFactory, who: Principal, item: int, cycle: int = 4, percent: float = 40, **kw: object
) -> tracking.views.ReportView:
    data = ReportInput("in_progress", percent, "按计划推进", **kw)  # type: ignore[arg-type]
    assert who.unit_id is not None
    return loop.save_report(sessions, who, item, who.unit_id, cycle, data, None, TODAY)


def test_the_life_of_a_report(
    world: World, sessions: SessionFactory, jichu: Principal, office: Principal
) -> None:
    item = world.items["1"]  # 发展规划科、基础教育科; target 新增学位3200个
    target = tracking.get_item(sessions, jichu, item).targets[0]
    report = draft(sessions, jichu, item, values={target.id: 1500})
    assert (report.state, report.version, report.values[0].actual) == ("draft", 1, 1500)

    def edit(data: ReportInput, version: int) -> tracking.views.ReportView:
        return loop.save_report(sessions, jichu, item, report.unit_id, 4, data, version, TODAY)

    edited = edit(ReportInput("blocked", 45, "用地未落实"), report.version)
    assert (edited.progress, edited.version, edited.values) == ("blocked", 2, [])
    with pytest.raises(NotFound):  # a draft is the unit's own until it is submitted
        loop.submit_report(sessions, office, report.id, edited.version)
    submitted = loop.submit_report(sessions, jichu, report.id, edited.version)
    assert submitted.state == "submitted" and submitted.first_submitted_at is not None
    with pytest.raises(Conflict):  # a submitted report is no longer edited
        edit(ReportInput(), submitted.version)
    with pytest.raises(Forbidden):
        loop.review_report(sessions, jichu, report.id, "accept", submitted.version)
    with pytest.raises(Invalid):  # a return says what to change
        loop.review_report(sessions, office, report.id, "return", submitted.version, "  ")
    returned = loop.review_report(
        sessions, office, report.id, "return", submitted.version, "请补充用地协调情况"
    )
    assert (returned.state, returned.review_note) == ("returned", "请补充用地协调情况")
    revised = edit(ReportInput("in_progress", 50, "已协调用地"), returned.version)
    again = loop.submit_report(sessions, jichu, report.id, revised.version)
    assert again.first_submitted_at == submitted.first_submitted_at  # timeliness counts the first time
    accepted = loop.review_report(sessions, office, report.id, "accept", again.version)
    assert accepted.state == "accepted"
    actions = [(e.action, e.username) for e in tracking.item_audit(sessions, Principal.system(), item)]
    assert actions == [
        ("open", "system"),
        ("create", "jichu"),
        ("update", "jichu"),
        ("submit", "jichu"),
        ("return", "office"),
        ("update", "jichu"),
        ("submit", "jichu"),
        ("accept", "office"),
    ]


def test_report_rules(world: World, sessions: SessionFactory, jichu: Principal) -> None:
    item = world.items["1"]
    unit = world.units["基础教育科"]
    bad = [
        ReportInput("in_progress", 120),
        ReportInput("done", 80),
        ReportInput("not_started", 10),
        ReportInput("paused", 10),
        ReportInput("in_progress", 10, values={999999: 1}),
    ]
    for data in bad:
        with pytest.raises(Invalid):
            loop.save_report(sessions, jichu, item, unit, 4, data, None, TODAY)
    with pytest.raises(Invalid):  # June has not started on 10 May
        loop.save_report(sessions, jichu, item, unit, 5, ReportInput(), None, TODAY)
    with pytest.raises(Invalid):
        loop.save_report(sessions, jichu, item, unit, 99, ReportInput(), None, TODAY)


def test_a_reporter_can_neither_read_drafts_nor_write_reports_of_another_unit(
    world: World, sessions: SessionFactory, jichu: Principal, guihua: Principal, office: Principal
) -> None:
    item = world.items["1"]  # both units are on it
    theirs = draft(sessions, guihua, item)
    with pytest.raises(NotFound):  # another unit's draft: not even its existence
        tracking.get_report(sessions, jichu, theirs.id)
    assert tracking.list_reports(sessions, jichu, item) == []
    with pytest.raises(NotFound):  # nor does office staff read a draft before it is submitted
        tracking.get_report(sessions, office, theirs.id)
    with pytest.raises(Forbidden):  # writing for another unit
        loop.save_report(sessions, jichu, item, guihua.unit_id or 0, 4, ReportInput(), None, TODAY)
    with pytest.raises(NotFound):  # submitting another unit's report
        loop.submit_report(sessions, jichu, theirs.id, theirs.version)
    submitted = loop.submit_report(sessions, guihua, theirs.id, theirs.version)
    assert tracking.get_report(sessions, office, theirs.id).state == "submitted"
    with pytest.raises(NotFound):  # a submitted report of another unit stays that unit's
        tracking.get_report(sessions, jichu, submitted.id)
    leader = person(world, "leader", "leader")
    assert [r.unit_name for r in tracking.list_reports(sessions, leader, item)] == ["发展规划科"]
    with pytest.raises(NotFound):  # a task jichu's unit is not on is invisible to it
        tracking.get_item(sessions, jichu, world.items["11"])
    visible = {i.id for i in tracking.list_items(sessions, jichu, world.plan_id)}
    assert world.items["1"] in visible and world.items["11"] not in visible


def test_one_district_cannot_see_another(world: World, sessions: SessionFactory, office: Principal) -> None:
    made = loop.hand_down(sessions, office, world.district_items["1"]).created
    jia = person(world, "jia-office", "office", path="示例市/甲区")
    yi = person(world, "yi-office", "office", path="示例市/乙区")
    assert [i.id for i in tracking.list_items(sessions, jia)] == [made["甲区"]]
    assert [i.id for i in tracking.list_items(sessions, yi)] == [made["乙区"]]
    with pytest.raises(NotFound):
        tracking.get_item(sessions, jia, made["乙区"])
    with pytest.raises(NotFound):  # nor the city's own items
        tracking.get_item(sessions, jia, world.items["1"])
    with pytest.raises(NotFound):
        loop.set_deadline(sessions, jia, made["乙区"], "年内", 1)
    city = {i.id for i in tracking.list_items(sessions, office)}
    assert {made["甲区"], made["乙区"], world.items["1"]} <= city  # the city sees what it handed down


def test_second_save_of_the_same_version_is_refused_and_told_who_changed_what(
    world: World, sessions: SessionFactory, jichu: Principal
) -> None:
    colleague = Principal(None, "jichu2", "reporter", world.org_id, "示例市", jichu.unit_id)
    report = draft(sessions, jichu, world.items["1"], percent=30)
    mine = ReportInput("in_progress", 35, "我的修改")
    theirs = ReportInput("in_progress", 60, "同事的修改")
    first = loop.save_report(
        sessions, colleague, world.items["1"], report.unit_id, 4, theirs, report.version, TODAY
    )
    with pytest.raises(StaleVersion) as conflict:
        loop.save_report(sessions, jichu, world.items["1"], report.unit_id, 4, mine, report.version, TODAY)
    details = conflict.value.details
    assert details.changed_by == "jichu2" and details.current_version == first.version
    assert {c.field: (c.before, c.after) for c in details.changes} == {
        "percent": (30, 60),
        "narrative": ("按计划推进", "同事的修改"),
    }
    kept = tracking.get_report(sessions, jichu, report.id)
    assert (kept.percent, kept.narrative) == (60, "同事的修改")  # the first save is not lost
    merged = loop.save_report(
        sessions, jichu, world.items["1"], report.unit_id, 4, mine, details.current_version, TODAY
    )
    assert merged.version == first.version + 1


def test_two_first_drafts_of_one_slot(world: World, sessions: SessionFactory, jichu: Principal) -> None:
    draft(sessions, jichu, world.items["1"], percent=10)
    with pytest.raises(StaleVersion) as conflict:  # the other did not know a draft existed
        draft(sessions, jichu, world.items["1"], percent=20)
    assert conflict.value.details.your_version is None
    assert {c.field for c in conflict.value.details.changes} >= {"percent", "state"}


def test_a_draft_keeps_its_target_values_in_step_when_edited(
    world: World, sessions: SessionFactory, jichu: Principal
) -> None:
    """Editing a draft's actual value of a target (the same target again) is an edit, not a
    conflict with oneself; a target left out is dropped, a new one added."""
    item = world.items["1"]
    targets = [t.id for t in tracking.get_item(sessions, Principal.system(), item).targets]
    mine = OwnReports(sessions, jichu, TODAY)
    first = mine.save(item, 4, ReportInput("in_progress", 30, values={targets[0]: 800}))
    values = {targets[0]: 1200.0} | ({targets[1]: 5.0} if len(targets) > 1 else {})
    second = mine.save(item, 4, ReportInput("in_progress", 40, values=values), first.version)
    assert {v.target_id: v.actual for v in second.values} == values
    third = mine.save(item, 4, ReportInput("in_progress", 45, values={targets[0]: 1300}), second.version)
    assert {v.target_id: v.actual for v in third.values} == {targets[0]: 1300.0}


def test_the_audit_log_is_append_only(world: World, sessions: SessionFactory, jichu: Principal) -> None:
    draft(sessions, jichu, world.items["1"])
    entries = tracking.item_audit(sessions, jichu, world.items["1"])
    assert entries[-1].after is not None and entries[-1].after["percent"] == 40
    for statement in ("UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), sessions.begin() as s:
            s.execute(text(statement))
    assert len(tracking.item_audit(sessions, jichu, world.items["1"])) == len(entries)
    others = tracking.item_audit(sessions, Principal.system(), world.items["1"])
    assert [e.entity for e in others] == ["item"]  # a draft's history is the unit's own


def test_submission_time_is_kept(world: World, sessions: SessionFactory, jichu: Principal) -> None:
    report = draft(sessions, jichu, world.items["1"])
    at = datetime(2024, 5, 20, 2, 0, tzinfo=UTC)
    assert loop.submit_report(sessions, jichu, report.id, report.version, now=at).first_submitted_at == at
