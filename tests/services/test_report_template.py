"""填报 through an Excel template: a unit downloads its template, fills it offline, uploads it.

Round trip into saved reports; a report changed on the web after the template was made is a per-row
conflict shown with both versions (never overwritten); every value rule answers through Excel with the
web's message and the row number; a foreign, altered or another unit's file is refused saying what to
do; a new cycle starts from the unit's last report (最多报一次)."""

from __future__ import annotations

import io
import threading

import openpyxl
import pytest
from sqlalchemy import Engine, event, select
from tests.people import person

from eduplan.db.engine import SessionFactory
from eduplan.db.report_slots import ReportSlot
from eduplan.export.report_template_xlsx import template_bytes
from eduplan.readers import report_template_layout as lay
from eduplan.readers.report_template import FOREIGN, TAMPERED
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Forbidden, Invalid, StaleVersion
from eduplan.services.loop import ReportInput
from eduplan.services.loop.report_slots import rebuild
from eduplan.services.report_template import report_template
from eduplan.services.report_upload import UploadPreview, apply_upload, preview_upload
from eduplan.services.tracking import rollups as ru
from eduplan.services.tracking.value_rules import TargetFacts, check_value

from .template_fill import cell, fill
from .test_reports import TODAY


def template(sessions: SessionFactory, who: Principal, world: World, cycle: int | None = None) -> bytes:
    return template_bytes(report_template(sessions, who, world.plan_id, None, TODAY, cycle))


def mine(sessions: SessionFactory, who: Principal, item: int, cycle: int = 4) -> loop.views.ReportView | None:
    found = [r for r in tracking.list_reports(sessions, who, item, cycle) if r.unit_id == who.unit_id]
    return found[0] if found else None


def accept(
    sessions: SessionFactory, who: Principal, office: Principal, item: int, data: ReportInput, cycle: int = 3
) -> None:
    """`who`'s report of `item` for `cycle` (April), accepted by the office."""
    assert who.unit_id is not None
    r = loop.save_report(sessions, who, item, who.unit_id, cycle, data, None, TODAY)
    r = loop.submit_report(sessions, who, r.id, r.version)
    loop.review_report(sessions, office, r.id, "accept", r.version)


def test_download_fill_upload_saves_the_reports(
    world: World, sessions: SessionFactory, jichu: Principal
) -> None:
    data = template(sessions, jichu, world)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb[lay.SHEET]
    assert sheet.protection.sheet and wb[lay.META].sheet_state == "veryHidden"
    assert "基础教育科" in sheet["A1"].value and "2024年5月25日" in sheet["A2"].value  # due date, in Chinese
    assert [sheet.cell(lay.HEADER_ROW, c).value for c in (lay.STATUS, lay.ACTUAL)] == ["状态", "本期实际值"]
    status = cell(data, "1", lay.STATUS)
    assert status.protection.locked is False and cell(data, "1", lay.TITLE).protection.locked is True
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert any(dv.type == "list" and "推进中" in dv.formula1 for dv in rules.values())
    assert any(dv.type == "whole" for dv in rules.values())  # 新增学位…个: whole numbers
    filled = fill(
        data,
        {
            "1": {
                "status": "推进中",
                "percent": 40,
                "narrative": '=HYPERLINK("x") 已开工 3 所',
                "values": [1500],
            },
            "2": {"status": "已完成", "narrative": "覆盖率达标", "values": [86.5, 3]},
        },
    )
    preview = preview_upload(sessions, jichu, filled)
    kinds = {r.number: r.kind for r in preview.rows}
    assert kinds == {"1": "new", "2": "new", "3": "blank", "8": "blank"}
    assert mine(sessions, jichu, world.items["1"]) is None  # a preview writes nothing
    assert any(c.field == "新增学位" and c.after == "1500" for c in preview.rows[0].changes)
    done = apply_upload(sessions, jichu, filled, TODAY)
    assert [r.saved for r in done.rows] == [True, True, False, False]
    first = mine(sessions, jichu, world.items["1"])
    assert first is not None and (first.state, first.percent, first.values[0].actual) == ("draft", 40, 1500)
    assert first.narrative.startswith("=HYPERLINK")  # text stays text, both ways
    second = mine(sessions, jichu, world.items["2"])
    assert second is not None and (second.progress, second.percent) == ("done", 100)  # 已完成 means 100
    again = preview_upload(sessions, jichu, filled)  # the same file twice changes nothing
    assert {r.kind for r in again.rows} == {"unchanged", "blank"}
    submitted = apply_upload(sessions, jichu, filled, TODAY, submit=True)
    assert sum(r.submitted for r in submitted.rows) == 2
    assert [a.action for a in tracking.item_audit(sessions, jichu, world.items["1"])][-2:] == [
        "create",
        "submit",
    ]


def test_a_report_changed_on_the_web_after_download_is_a_conflict_never_overwritten(
    world: World, sessions: SessionFactory, jichu: Principal
) -> None:
    item = world.items["1"]
    assert jichu.unit_id is not None
    draft = loop.save_report(
        sessions, jichu, item, jichu.unit_id, 4, ReportInput("in_progress", 30, "第一稿"), None, TODAY
    )
    data = template(sessions, jichu, world)
    assert cell(data, "1", lay.NARRATIVE).value == "第一稿"  # this cycle's draft, prefilled
    loop.save_report(  # a colleague edits the same report on the web meanwhile
        sessions,
        jichu,
        item,
        jichu.unit_id,
        4,
        ReportInput("in_progress", 50, "网页上改的"),
        draft.version,
        TODAY,
    )
    filled = fill(
        data, {"1": {"percent": 45, "narrative": "表格里改的"}, "3": {"status": "推进中", "percent": 10}}
    )
    preview = preview_upload(sessions, jichu, filled)
    row = next(r for r in preview.rows if r.number == "1")
    assert row.kind == "conflict" and "jichu" in row.messages[0] and "第4行" in row.messages[0]
    assert row.theirs is not None and row.yours is not None
    assert (row.theirs["进展情况"], row.yours["进展情况"]) == ("网页上改的", "表格里改的")
    done = apply_upload(sessions, jichu, filled, TODAY)
    assert {r.number: (r.kind, r.saved) for r in done.rows}["3"] == ("new", True)  # other rows still saved
    kept = mine(sessions, jichu, item)
    assert kept is not None and (kept.narrative, kept.percent) == ("网页上改的", 50)


def test_a_conflict_that_races_in_after_the_preview_is_caught_by_the_version(
    world: World, sessions: SessionFactory, jichu: Principal
) -> None:
    item = world.items["1"]
    assert jichu.unit_id is not None
    data = template(sessions, jichu, world)
    filled = fill(data, {"1": {"status": "推进中", "percent": 20, "narrative": "表格"}})
    assert preview_upload(sessions, jichu, filled).rows[0].kind == "new"
    loop.save_report(sessions, jichu, item, jichu.unit_id, 4, ReportInput("blocked", 5, "网页"), None, TODAY)
    done = apply_upload(sessions, jichu, filled, TODAY)
    assert done.rows[0].kind == "conflict" and not done.rows[0].saved
    kept = mine(sessions, jichu, item)
    assert kept is not None and kept.narrative == "网页"


RULES = [  # (task, values typed, narrative, what the web says for the same value)
    ("2", [850, None], "", (2, "普惠性幼儿园覆盖率", "%", 85.0, 850)),
    ("2", [None, -4], "", (3, "新建公办幼儿园", "所", 2.0, -4)),
    ("2", [None, 2.5], "", (3, "新建公办幼儿园", "所", 2.0, 2.5)),
    ("1", [1000], "", (1, "新增学位", "个", 3200.0, 1000)),
]


@pytest.mark.parametrize(("number", "values", "narrative", "rule"), RULES)
def test_every_value_rule_answers_through_excel_with_the_webs_message(
    world: World,
    sessions: SessionFactory,
    jichu: Principal,
    office: Principal,
    number: str,
    values: list[float | None],
    narrative: str,
    rule: tuple[int, str, str, float, float],
) -> None:
    accept(sessions, jichu, office, world.items["1"], ReportInput("in_progress", 30, "已开工", {1: 2000}))
    target_id, subject, unit, value, actual = rule
    filled = fill(
        template(sessions, jichu, world), {number: {"status": "推进中", "percent": 40, "values": values}}
    )
    row = next(r for r in preview_upload(sessions, jichu, filled).rows if r.number == number)
    previous = 2000.0 if number == "1" else None
    expected = check_value(
        TargetFacts(id=target_id, subject=subject, unit=unit, value=value), actual, previous
    )[0].message
    assert row.kind == "invalid" and any(m.endswith(expected) for m in row.messages), row.messages
    offset = 1 if rule[0] != 3 else 2
    assert row.messages[0].startswith(f"第{row.row + offset}行：")  # the target's own row
    apply_upload(sessions, jichu, filled, TODAY)
    assert mine(sessions, jichu, world.items[number]) is None  # nothing half-written


def test_a_decrease_with_a_reason_a_jump_and_unreadable_cells(
    world: World, sessions: SessionFactory, jichu: Principal, office: Principal
) -> None:
    accept(sessions, jichu, office, world.items["1"], ReportInput("in_progress", 30, "已开工", {1: 2000}))
    data = template(sessions, jichu, world)
    assert cell(data, "1", lay.LAST, 1).value == 2000  # the last accepted value, shown
    filled = fill(
        data,
        {
            "1": {"percent": 35, "narrative": "核减 200 个：重复统计", "values": [1800]},
            "2": {"status": "推进中", "percent": 20, "values": [90, 1]},
            "3": {"status": "已完成", "percent": 50},
            "8": {"status": "进行中", "percent": "约四成", "values": ["三所"]},
        },
    )
    rows = {r.number: r for r in preview_upload(sessions, jichu, filled).rows}
    assert rows["1"].kind == "new"  # carried over from cycle 3 and changed: a new report
    assert rows["2"].kind == "new"
    assert rows["3"].kind == "invalid" and "状态为已完成时，完成百分比应为 100" in rows["3"].messages[0]
    eight = " ".join(rows["8"].messages)
    assert (
        "请从下拉列表选择状态" in eight
        and "约四成" in eight
        and "「确定试点学校」的本期实际值须为数字" in eight
    )
    accept(sessions, jichu, office, world.items["8"], ReportInput("in_progress", 30, "x", {10: 5}))
    jump = fill(template(sessions, jichu, world), {"8": {"values": [30]}})
    row = next(r for r in preview_upload(sessions, jichu, jump).rows if r.number == "8")
    assert row.kind == "new" and "超过上次审核通过值 5 的 3 倍" in row.warnings[0]  # saved, flagged


def test_foreign_altered_and_other_units_files_are_refused(
    world: World, sessions: SessionFactory, jichu: Principal
) -> None:
    data = template(sessions, jichu, world)
    with pytest.raises(Invalid, match="不是 eduplan 生成的填报模板"):
        plain = openpyxl.Workbook()
        plain.active.append(["序号", "任务", "状态"])
        buffer = io.BytesIO()
        plain.save(buffer)
        preview_upload(sessions, jichu, buffer.getvalue())
    with pytest.raises(Invalid, match="xlsx"):
        preview_upload(sessions, jichu, b"PK\x03\x04 not really a workbook")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[lay.META].cell(len(lay.META_KEYS) + 3, 3).value = world.items["5"]  # another task's id
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(Invalid) as caught:
        preview_upload(sessions, jichu, buffer.getvalue())
    assert str(caught.value) == TAMPERED
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[lay.SHEET].delete_rows(lay.FIRST_ROW, 2)  # protection off and two rows deleted
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(Invalid, match="行被移动或删除"):
        preview_upload(sessions, jichu, buffer.getvalue())
    xueqian = person(world, "xueqian", "reporter", "学前教育科")
    with pytest.raises(Forbidden, match="基础教育科的填报模板"):
        preview_upload(sessions, xueqian, data)
    with pytest.raises(Forbidden):
        report_template(sessions, xueqian, world.plan_id, world.units["基础教育科"], TODAY)
    assert FOREIGN.startswith("这不是")


def test_a_submitted_report_is_shown_locked_and_not_asked_again(
    world: World, sessions: SessionFactory, jichu: Principal
) -> None:
    assert jichu.unit_id is not None
    r = loop.save_report(
        sessions,
        jichu,
        world.items["3"],
        jichu.unit_id,
        4,
        ReportInput("in_progress", 60, "已报"),
        None,
        TODAY,
    )
    loop.submit_report(sessions, jichu, r.id, r.version)
    data = template(sessions, jichu, world)
    assert cell(data, "3", lay.STATUS).protection.locked is True
    assert "不可修改" in cell(data, "3", lay.NOTE).value
    filled = fill(data, {"3": {"percent": 70}})
    row = next(r for r in preview_upload(sessions, jichu, filled).rows if r.number == "3")
    assert row.kind == "locked" and "不能再修改" in row.messages[0]
    office = person(world, "office", "office")
    current = mine(sessions, jichu, world.items["3"])
    assert current is not None
    loop.review_report(sessions, office, current.id, "return", current.version, "请补充集团名单")
    again = template(sessions, jichu, world)  # returned: open again, with the office's note
    assert cell(again, "3", lay.STATUS).protection.locked is False
    assert cell(again, "3", lay.NOTE).value == "已退回，退回意见：请补充集团名单"
    resent = fill(again, {"3": {"percent": 75, "narrative": "已补充名单"}})
    done = apply_upload(sessions, jichu, resent, TODAY, submit=True)
    assert next(r for r in done.rows if r.number == "3").submitted


def test_a_new_cycle_starts_from_the_units_last_report(
    world: World, sessions: SessionFactory, jichu: Principal, office: Principal
) -> None:
    accept(
        sessions,
        jichu,
        office,
        world.items["2"],
        ReportInput("in_progress", 60, "新建幼儿园 2 所已开工", {2: 80, 3: 2}),
    )
    data = template(sessions, jichu, world)
    assert cell(data, "2", lay.NARRATIVE).value == "新建幼儿园 2 所已开工"
    assert cell(data, "2", lay.PERCENT).value == 60 and cell(data, "2", lay.STATUS).value == "推进中"
    assert [cell(data, "2", lay.ACTUAL, k).value for k in (1, 2)] == [80, 2]
    assert "沿用第4期" in cell(data, "2", lay.NOTE).value
    untouched = next(r for r in preview_upload(sessions, jichu, data).rows if r.number == "2")
    assert untouched.kind == "new" and "与第4期报告相同（沿用上期，未作修改）" in untouched.messages[0]
    filled = fill(data, {"2": {"percent": 70, "values": [84, None]}})  # only the change is typed
    done = apply_upload(sessions, jichu, filled, TODAY)
    row = next(r for r in done.rows if r.number == "2")
    assert row.saved and {c.field for c in row.changes} >= {"完成百分比", "普惠性幼儿园覆盖率", "进展情况"}
    saved = mine(sessions, jichu, world.items["2"])
    assert saved is not None and saved.narrative == "新建幼儿园 2 所已开工"
    assert {v.target_id: v.actual for v in saved.values} == {2: 84, 3: 2}


def test_an_upload_leaves_summaries_and_rollups_as_a_rebuild_would(
    world: World, sessions: SessionFactory, jichu: Principal, engine: Engine
) -> None:
    data = template(sessions, jichu, world)
    filled = fill(
        data,
        {
            "1": {"status": "推进中", "percent": 40, "values": [1500]},
            "2": {"status": "推进中", "percent": 30, "values": [850, None]},  # refused: rolled back alone
            "3": {"status": "已完成", "percent": 100, "narrative": "组建完成", "values": [5]},
        },
    )
    done = apply_upload(sessions, jichu, filled, TODAY, submit=True)
    assert [(r.number, r.submitted) for r in done.rows if r.saved] == [("1", True), ("3", True)]
    with engine.connect() as conn:
        assert ru.stored(conn) == ru.recomputed(conn)
        slots = sorted(tuple(r) for r in conn.execute(select(ReportSlot)).all())
        rebuild(conn)  # in this connection's transaction, rolled back on leaving
        assert sorted(tuple(r) for r in conn.execute(select(ReportSlot)).all()) == slots
        conn.rollback()
    assert [a.action for a in tracking.item_audit(sessions, jichu, world.items["3"])][-2:] == [
        "create",
        "submit",
    ]
    assert mine(sessions, jichu, world.items["2"]) is None


def test_an_upload_and_a_web_save_of_the_same_report_at_once(
    world: World, sessions: SessionFactory, jichu: Principal, engine: Engine
) -> None:
    """Exactly one of the two wins each report (the other is told it is stale), neither deadlocks."""
    assert jichu.unit_id is not None
    unit = jichu.unit_id
    for number in ("1", "3", "8"):
        loop.save_report(
            sessions, jichu, world.items[number], unit, 4, ReportInput("in_progress", 10, "初稿"), None, TODAY
        )
    filled = fill(
        template(sessions, jichu, world), {n: {"percent": 60, "narrative": "表格"} for n in ("1", "3", "8")}
    )
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    web_won: list[str] = []
    done: list[UploadPreview] = []

    def web() -> None:
        barrier.wait(timeout=10)
        for number in ("8", "3", "1"):  # the opposite order of the upload's
            try:
                data = ReportInput("blocked", 20, "网页")
                loop.save_report(sessions, jichu, world.items[number], unit, 4, data, 1, TODAY)
                web_won.append(number)
            except StaleVersion:
                pass
            except BaseException as exc:
                errors.append(exc)

    def upload() -> None:
        barrier.wait(timeout=10)
        try:
            done.append(apply_upload(sessions, jichu, filled, TODAY))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=web), threading.Thread(target=upload)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    rows = {r.number: r for r in done[0].rows}
    for number in ("1", "3", "8"):
        stored = mine(sessions, jichu, world.items[number])
        assert stored is not None and stored.version == 2  # one save on top of the draft, not two
        if number in web_won:
            assert rows[number].kind == "conflict" and stored.narrative == "网页"
        else:
            assert rows[number].saved and stored.narrative == "表格"
    with engine.connect() as conn:
        assert ru.stored(conn) == ru.recomputed(conn)


def test_a_report_created_elsewhere_while_the_upload_writes_is_a_conflict_not_an_error(
    world: World, sessions: SessionFactory, jichu: Principal, engine: Engine
) -> None:
    """PostgreSQL (SQLite has one writer: nothing can come in between): the web creates item 3's report
    just before the upload inserts its own — the database refuses the upload's, the batch is redone
    with a savepoint per row, and only that row is reported as a conflict."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite: the upload holds the one write lock, no save can come in between")
    assert jichu.unit_id is not None
    unit = jichu.unit_id
    data = template(sessions, jichu, world)
    filled = fill(data, {n: {"status": "推进中", "percent": 30, "narrative": "表格"} for n in ("1", "3")})
    item = world.items["3"]
    fired: list[int] = []

    def web_first(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if (
            not fired
            and statement.startswith("INSERT INTO progress_reports")
            and item in (parameters or {}).values()
        ):
            fired.append(1)
            loop.save_report(sessions, jichu, item, unit, 4, ReportInput("blocked", 5, "网页"), None, TODAY)

    event.listen(engine, "before_cursor_execute", web_first)
    try:
        done = apply_upload(sessions, jichu, filled, TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", web_first)
    assert fired
    rows = {r.number: r for r in done.rows}
    assert rows["1"].saved and rows["3"].kind == "conflict" and not rows["3"].saved
    kept = mine(sessions, jichu, item)
    assert kept is not None and kept.narrative == "网页"
    first = mine(sessions, jichu, world.items["1"])
    assert first is not None and first.narrative == "表格" and first.version == 1  # saved once, not twice
