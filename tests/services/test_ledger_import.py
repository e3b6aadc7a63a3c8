"""Bringing an existing 台账 in (`services.ledger_import`): ledgers written by the tests in the shapes
bureaus keep them become plans with tasks, units, targets and historical reports per period, on
SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select
from tests.services import ledger_books as books

from eduplan.db.audit import AuditEntry
from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan
from eduplan.db.reports import ProgressReport
from eduplan.db.work import WorkItem
from eduplan.services import ledger_import
from eduplan.services.accounts import Principal
from eduplan.services.errors import Invalid
from eduplan.services.ledger_import import LedgerOptions, import_ledger, preview_ledger
from eduplan.services.loop.reports import report_snapshot
from eduplan.services.tracking import list_items, list_reports
from eduplan.services.tracking.views import WorkItemView

TODAY = date(2024, 5, 10)
SYSTEM = Principal.system()
OPTIONS = LedgerOptions(org="长春市")


def _items(sessions: SessionFactory, plan_id: int) -> dict[str, WorkItemView]:
    return {i.title: i for i in list_items(sessions, SYSTEM, plan_id)}


def _reports(sessions: SessionFactory, item_id: int) -> list[tuple[int, str, str, float, str]]:
    return [
        (r.cycle, r.unit_name, r.progress, r.percent, r.narrative)
        for r in list_reports(sessions, SYSTEM, item_id)
    ]


def _count(sessions: SessionFactory, model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_one_progress_column_becomes_the_reports_of_the_ledgers_date(sessions: SessionFactory) -> None:
    result = import_ledger(sessions, SYSTEM, books.one_column(), "台账.xlsx", OPTIONS, TODAY)
    assert (result.status, result.title, result.tasks, result.problems) == (
        "created",
        "2024年长春市教育工作要点",
        3,
        [],
    )
    items = _items(sessions, result.plan_id)
    first = items["推进学前教育普惠发展"]
    assert [(a.role, a.unit_name) for a in first.assignments] == [
        ("lead", "基础教育处"),
        ("support", "计划财务处"),
    ]
    assert [(t.subject, t.value, t.unit) for t in first.targets] == [("新建公办幼儿园", 3.0, "所")]
    assert first.deadline == date(2024, 12, 31)
    # 截至2024年4月30日: April, the fourth monthly cycle (index 3)
    assert _reports(sessions, first.id) == [
        (3, "基础教育处", "in_progress", 60.0, "已完成2所幼儿园主体建设，完成进度60%。")
    ]
    assert _reports(sessions, items["加强教师队伍建设"].id) == [
        (3, "教师工作处", "done", 100.0, "已全部完成。")
    ]
    assert _reports(sessions, items["推进智慧校园建设"].id)[0][2:4] == ("not_started", 0.0)
    [report] = list_reports(sessions, SYSTEM, first.id)
    assert report.state == "accepted"
    assert report.updated_by == "system"
    assert report.first_submitted_at is not None and report.first_submitted_at.date() == date(2024, 4, 25)
    with sessions() as session:
        [entry] = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == report.id, AuditEntry.entity == "report")
        ).all()
        stored = session.get(ProgressReport, report.id)
        assert stored is not None
        assert (entry.action, entry.username, entry.item_id) == ("create", "system", first.id)
        assert entry.after == report_snapshot(stored) | {
            "source": "ledger"
        }  # as the report service writes it
        assert session.scalar(select(func.count()).where(AuditEntry.action == "ledger_import")) == 1


def test_monthly_columns_become_one_report_per_month(sessions: SessionFactory) -> None:
    result = import_ledger(sessions, SYSTEM, books.monthly(months=4), "台账.xlsx", OPTIONS, TODAY)
    items = _items(sessions, result.plan_id)
    reports = _reports(sessions, items["推进学前教育普惠发展"].id)
    assert [(c, n) for c, _, _, _, n in reports] == [
        (m - 1, f"第{m}月推进推进学前教育普惠发展。") for m in range(1, 5)
    ]
    assert reports[-1][3] == 40.0  # 完成进度 0.4 (Excel's 40%) belongs to the latest month
    [april] = [r for r in list_reports(sessions, SYSTEM, items["推进学前教育普惠发展"].id) if r.cycle == 3]
    target = items["推进学前教育普惠发展"].targets[0].id
    assert [(v.target_id, v.actual) for v in april.values] == [(target, 1.0)]
    assert len(_reports(sessions, items["推进智慧校园建设"].id)) == 4


def test_categories_in_merged_rows_and_a_two_row_header(sessions: SessionFactory) -> None:
    options = LedgerOptions(org="长春市", cycle="quarterly")
    result = import_ledger(sessions, SYSTEM, books.merged_categories(), "台账.xlsx", options, TODAY)
    with sessions() as session:
        plan = session.get(Plan, result.plan_id)
        assert plan is not None
    items = _items(sessions, result.plan_id)
    assert sorted(items) == ["加强教师队伍建设", "推进学前教育普惠发展", "推进智慧校园建设"]
    smart = items["推进智慧校园建设"]
    assert [(a.role, a.unit_name) for a in smart.assignments] == [
        ("lead", "电教馆"),
        ("support", "基础教育处"),
    ]
    # 第一季度 on a quarterly schedule: the first cycle
    assert _reports(sessions, smart.id) == [(0, "电教馆", "in_progress", 30.0, "完成进度30%，已遴选示范校。")]
    preview = preview_ledger(sessions, SYSTEM, books.merged_categories(), "台账.xlsx", options, TODAY)
    assert preview.chapters == 2 and preview.plan_id == result.plan_id


def test_the_ledger_on_a_second_sheet_beside_notes(sessions: SessionFactory) -> None:
    preview = preview_ledger(sessions, SYSTEM, books.second_sheet(), "台账.xlsx", OPTIONS, TODAY)
    assert (preview.sheet, preview.sheets) == ("重点任务台账", ["填表说明", "重点任务台账", "备注"])
    assert preview.periods == ["2月", "3月"]
    result = import_ledger(sessions, SYSTEM, books.second_sheet(), "台账.xlsx", OPTIONS, TODAY)
    items = _items(sessions, result.plan_id)
    assert _reports(sessions, items["加强教师队伍建设"].id) == [
        (2, "教师工作处", "in_progress", 0.0, "加强教师队伍建设三月完成阶段任务。")
    ]


def test_rows_that_cannot_be_read_are_listed_and_nothing_of_them_is_taken(sessions: SessionFactory) -> None:
    data = books.monthly(months=3, bad=True)
    preview = preview_ledger(sessions, SYSTEM, data, "台账.xlsx", OPTIONS, TODAY)
    assert [(p.row, p.reason) for p in preview.problems] == [
        (3, "有进展或目标，但任务列为空，找不到所属任务"),
        (5, "完成进度“约一半”不是百分数（应为 0–100 或 70%）"),
    ]
    assert _count(sessions, Plan) == 0  # a preview writes nothing
    result = import_ledger(sessions, SYSTEM, data, "台账.xlsx", OPTIONS, TODAY)
    assert [p.row for p in result.problems] == [3, 5]
    items = _items(sessions, result.plan_id)
    assert _reports(sessions, items["加强教师队伍建设"].id) == []
    assert len(_reports(sessions, items["推进学前教育普惠发展"].id)) == 3


def test_a_period_not_yet_begun_is_a_problem_not_a_report(sessions: SessionFactory) -> None:
    result = import_ledger(sessions, SYSTEM, books.monthly(months=6), "台账.xlsx", OPTIONS, TODAY)
    assert {p.reason for p in result.problems} == {"“6月”（第6期）尚未开始，该期进展未导入"}
    items = _items(sessions, result.plan_id)
    assert max(r[0] for r in _reports(sessions, items["推进智慧校园建设"].id)) == 4  # May: begun


def test_the_person_may_change_how_a_column_is_read(sessions: SessionFactory) -> None:
    preview = preview_ledger(sessions, SYSTEM, books.one_column(), "台账.xlsx", OPTIONS, TODAY)
    codes = [c.code for c in preview.columns]
    assert codes == ["number", "task", "measures", "lead", "support", "deadline", "target", "progress"]
    codes[-1] = "progress:m2"  # the progress column was February's
    options = LedgerOptions(org="长春市", codes=codes)
    changed = preview_ledger(sessions, SYSTEM, books.one_column(), "台账.xlsx", options, TODAY)
    assert changed.periods == ["2月"] and {r.cycle for r in changed.reports} == {1}
    result = import_ledger(sessions, SYSTEM, books.one_column(), "台账.xlsx", options, TODAY)
    items = _items(sessions, result.plan_id)
    assert [r[0] for r in _reports(sessions, items["加强教师队伍建设"].id)] == [1]
    with pytest.raises(Invalid, match="任务"):
        preview_ledger(
            sessions,
            SYSTEM,
            books.one_column(),
            "台账.xlsx",
            LedgerOptions(org="长春市", codes=["ignore"] * 8),
            TODAY,
        )


def test_importing_again_updates_rather_than_duplicates(sessions: SessionFactory) -> None:
    first = import_ledger(sessions, SYSTEM, books.monthly(months=3), "台账.xlsx", OPTIONS, TODAY)
    again = import_ledger(sessions, SYSTEM, books.monthly(months=3), "台账.xlsx", OPTIONS, TODAY)
    assert again.plan_id == first.plan_id
    assert (again.reports.created, again.reports.updated, again.reports.unchanged) == (
        0,
        0,
        first.reports.created,
    )
    later = import_ledger(sessions, SYSTEM, books.monthly(months=4), "台账-4月.xlsx", OPTIONS, TODAY)
    assert later.plan_id == first.plan_id and later.items_created == 0
    assert _count(sessions, Plan) == 1 and _count(sessions, WorkItem) == 3
    items = _items(sessions, first.plan_id)
    reports = _reports(sessions, items["推进学前教育普惠发展"].id)
    assert [r[0] for r in reports] == [0, 1, 2, 3]
    assert reports[-1][3] == 40.0 and reports[2][3] == 30.0  # March's 30% became April's 40%


def test_a_value_the_rules_refuse_skips_that_report(sessions: SessionFactory) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([books.TITLE])
    ws.append(["序号", "任务", "责任单位", "量化目标", "3月进展", "目标完成情况"])
    ws.append(
        [
            "1",
            "新建幼儿园。新建公办幼儿园3所。",
            "基础教育处",
            "新建公办幼儿园3所",
            "推进中。",
            "新建公办幼儿园3所：已完成 -4",
        ]
    )
    ws.append(
        [
            "2",
            "普及学前教育。普惠性幼儿园覆盖率达到90%。",
            "基础教育处",
            "普惠性幼儿园覆盖率≥90%",
            "推进中。",
            "普惠性幼儿园覆盖率≥90%：已完成 850",
        ]
    )
    ws.append(["3", "培训教师。培训教师500人次。", "教师工作处", "", "完成培训。", ""])
    result = import_ledger(sessions, SYSTEM, books.save(wb), "台账.xlsx", OPTIONS, TODAY)
    reasons = [(p.row, p.reason) for p in result.problems]
    assert reasons[0][0] == 3 and "不能为负数" in reasons[0][1]
    assert reasons[1][0] == 4 and "0 到 100" in reasons[1][1]
    assert result.reports.created == 1


def test_the_import_is_atomic(sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ledger_import, "write_reports", broken)
    with pytest.raises(RuntimeError):
        import_ledger(sessions, SYSTEM, books.monthly(), "台账.xlsx", OPTIONS, TODAY)
    for model in (Plan, WorkItem, ProgressReport, AuditEntry):
        assert _count(sessions, model) == 0


def test_a_document_that_is_no_spreadsheet_is_refused(sessions: SessionFactory) -> None:
    from eduplan.services.registry import ImportRejected

    with pytest.raises(ImportRejected, match="Excel"):
        preview_ledger(sessions, SYSTEM, "一、总体要求\n1.加强党建。".encode(), "a.txt", OPTIONS, TODAY)


def test_a_csv_ledger_without_a_title_row_takes_its_file_name_and_the_year_given(
    sessions: SessionFactory,
) -> None:
    rows = [
        "序号,重点任务,责任单位,1月进展,2月进展",
        "1,推进学前教育普惠发展,基础教育处,完成调研。,完成进度20%。",
    ]
    data = ("\n".join(rows) + "\n").encode("utf-8")
    options = LedgerOptions(org="长春市", year=2024)
    result = import_ledger(sessions, SYSTEM, data, "长春市教育工作要点台账.csv", options, TODAY)
    assert result.title == "长春市教育工作要点"
    with sessions() as session:
        plan = session.get(Plan, result.plan_id)
        assert plan is not None and plan.year == 2024
    [item] = list_items(sessions, SYSTEM, result.plan_id)
    assert [(c, p) for c, _, _, p, _ in _reports(sessions, item.id)] == [(0, 0.0), (1, 20.0)]


def test_a_ledger_that_names_other_units_revises_the_plan_and_reassigns(sessions: SessionFactory) -> None:
    from openpyxl import load_workbook

    first = import_ledger(sessions, SYSTEM, books.one_column(), "台账.xlsx", OPTIONS, TODAY)
    book = load_workbook(io.BytesIO(books.one_column()))
    book.active["D4"] = "人事处"  # task 2: 教师工作处 → 人事处
    book.active["H4"] = "人事处：已全部完成。"
    revised = import_ledger(sessions, SYSTEM, books.save(book), "台账-修订.xlsx", OPTIONS, TODAY)
    assert (revised.plan_id, revised.status, revised.version) == (first.plan_id, "revised", 2)
    items = _items(sessions, first.plan_id)
    teachers = items["加强教师队伍建设"]
    assert [(a.role, a.unit_name) for a in teachers.assignments] == [("lead", "人事处")]
    assert [(r[0], r[1]) for r in _reports(sessions, teachers.id)] == [(3, "教师工作处"), (3, "人事处")]
    with sessions() as session:
        assigned = session.scalars(select(AuditEntry.item_id).where(AuditEntry.action == "assign")).all()
    assert assigned == [teachers.id]
