"""Task tables (任务分工表) → plans: header words, categories, merged rows, refusal without a header."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.parsing import ParseError
from eduplan.parsing.task_table import column_role, find_header, has_task_table, parse_task_tables


@dataclass
class T:
    """A table as a reader gives it."""

    name: str
    rows: list[list[str]]
    line_numbers: list[int] = field(default_factory=list)


def plan_of(*tables: T, context: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return parse_task_tables(list(tables), context)


def outline(plan) -> list[tuple[str, str, list[tuple[str, str, list[str]]]]]:  # type: ignore[no-untyped-def]
    return [(c.number, c.title, [(t.number, t.title, t.units) for t in c.items]) for c in plan.chapters]


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("序号", "number"),
        ("序 号", "number"),
        ("类别", "category"),
        ("工作板块", "category"),
        ("重点任务", "task"),
        ("工作内容", "task"),
        ("任务名称", "task"),
        ("具体措施", "measures"),
        ("主要内容", "measures"),
        ("牵头单位", "lead"),
        ("责任单位（牵头）", "lead"),
        ("负责处室", "lead"),
        ("责任处室", "lead"),
        ("配合单位", "support"),
        ("配合处室", "support"),
        ("协同单位", "support"),
        ("责任领导", "leader"),
        ("分管领导", "leader"),
        ("完成时限", "deadline"),
        ("时间节点", "deadline"),
        ("完成时间", "deadline"),
        ("备注", "note"),
        ("2025年", None),
        ("指标", None),
        ("加强党的政治建设，落实责任单位的主体责任", None),  # a sentence, not a header
    ],
)
def test_header_words(cell: str, role: str | None) -> None:
    assert column_role(cell) == role


def test_title_row_then_header_with_category_column() -> None:
    plan = plan_of(
        T(
            "Sheet1",
            [
                ["附件2"],
                ["示例市教育局2024年重点工作任务分工表"],
                ["序号", "类别", "重点任务", "牵头单位", "配合单位", "完成时限"],
                ["1", "党的建设", "加强党的政治建设。开展学习12次。", "组织科", "办公室", "全年"],
                ["2", "党的建设", "推进清廉学校建设。", "纪检组", "组织科、督导室", "2024年11月底前"],
                ["3", "基础教育", "扩大学前教育资源。新增学位1200个。", "学前教育科", "", "2024年9月"],
            ],
            [1, 2, 3, 4, 5, 6],
        )
    )
    assert plan.title == "示例市教育局2024年重点工作任务分工表"
    assert (plan.year, plan.kind, plan.place) == (2024, "annual_work_plan", "示例市")
    assert outline(plan) == [
        (
            "一",
            "党的建设",
            [
                ("1", "加强党的政治建设", ["组织科", "办公室"]),
                ("2", "推进清廉学校建设", ["纪检组", "组织科", "督导室"]),
            ],
        ),
        ("二", "基础教育", [("3", "扩大学前教育资源", ["学前教育科"])]),
    ]
    first, second = plan.chapters[0].items
    assert (first.lead_units, first.support_units) == (["组织科"], ["办公室"])
    assert second.support_units == ["组织科", "督导室"]
    assert (first.deadline, second.deadline) == (date(2024, 12, 31), date(2024, 11, 30))
    assert plan.chapters[1].items[0].deadline == date(2024, 9, 30)
    assert [t.value for t in first.targets] == [12]
    assert [(t.value, t.unit) for t in plan.chapters[1].items[0].targets] == [(1200, "个")]
    assert first.line == 4  # the row the task came from


def test_category_rows_and_numbered_categories() -> None:
    plan = plan_of(
        T(
            "任务",
            [
                ["序号", "工作任务", "具体措施", "责任单位", "时间节点"],
                ["一、全面加强党的建设"],
                ["1", "加强政治建设", "落实第一议题制度。", "组织科", "6月底前"],
                ["二、推进教育优质发展"],
                ["2", "推进集团化办学", "新建教育集团3个。", "基础教育科（牵头）、人事科", "年底前"],
            ],
        ),
        context=("示例市教育局2024年工作要点",),
    )
    assert plan.title == "示例市教育局2024年工作要点"
    assert outline(plan) == [
        ("一", "全面加强党的建设", [("1", "加强政治建设", ["组织科"])]),
        ("二", "推进教育优质发展", [("2", "推进集团化办学", ["基础教育科", "人事科"])]),
    ]
    task = plan.chapters[1].items[0]
    assert task.text == "推进集团化办学\n新建教育集团3个。"
    assert (task.lead_units, task.support_units) == (["基础教育科"], ["人事科"])
    assert [t.value for t in task.targets] == [3]


def test_category_rows_numbered_in_the_serial_column() -> None:
    plan = plan_of(
        T(
            "表1",
            [
                ["序号", "工作任务", "责任单位", "完成时限"],
                ["一", "全面加强党的建设", "", ""],
                ["1", "加强政治建设。", "组织科", "2024年"],
                ["二", "推进教育优质发展", "", ""],
                ["2", "推进集团化办学。", "基础教育科", "2024.6"],
            ],
        )
    )
    assert outline(plan) == [
        ("一", "全面加强党的建设", [("1", "加强政治建设", ["组织科"])]),
        ("二", "推进教育优质发展", [("2", "推进集团化办学", ["基础教育科"])]),
    ]
    assert [t.deadline for _, t in plan.tasks()] == [date(2024, 12, 31), date(2024, 6, 30)]


def test_two_row_header_and_office_columns() -> None:
    plan = plan_of(
        T(
            "表1",
            [
                ["某某大学2024年重点工作任务清单"],
                ["序号", "重点工作", "责任领导", "责任单位", "责任单位"],
                ["序号", "重点工作", "责任领导", "负责处室", "配合处室"],
                ["1", "推进一流学科建设。", "王校长", "发展规划处", "教务处、研究生院"],
            ],
        )
    )
    (task,) = plan.chapters[0].items
    assert (task.lead_units, task.support_units) == (["发展规划处"], ["教务处", "研究生院"])
    assert "责任领导：王校长" in (task.units_text or "")
    assert "王校长" not in task.units


def test_a_task_merged_over_several_measures_is_one_task() -> None:
    # xlsx readers repeat a merged cell on every row; docx readers leave it empty below the first
    repeated = [
        ["1", "加强体育工作", "开齐开足体育课。", "体卫艺科"],
        ["1", "加强体育工作", "建设体育场地5个。", "计划财务科"],
    ]
    emptied = [repeated[0], ["", "", "建设体育场地5个。", "计划财务科"]]
    for rows in (repeated, emptied):
        plan = plan_of(T("表", [["序号", "重点任务", "具体措施", "责任单位"], *rows]))
        (task,) = plan.chapters[0].items
        assert task.text == "加强体育工作\n开齐开足体育课。\n建设体育场地5个。"
        assert task.units == ["体卫艺科", "计划财务科"]


def test_docx_categories_left_empty_below_their_first_row() -> None:
    plan = plan_of(
        T(
            "表1",
            [
                ["序号", "领域", "任务名称", "牵头单位"],
                ["1", "学前教育", "普及学前教育。", "学前教育科"],
                ["2", "", "提高保教质量。", "学前教育科"],
                ["3", "职业教育", "深化产教融合。", "职成科"],
            ],
        )
    )
    assert [(c.title, [t.number for t in c.items]) for c in plan.chapters] == [
        ("学前教育", ["1", "2"]),
        ("职业教育", ["3"]),
    ]


def test_two_sheets_become_chapters_named_after_them() -> None:
    header = ["序号", "重点任务", "牵头单位"]
    plan = plan_of(
        T("党建工作", [header, ["1", "加强党建。", "组织科"]]),
        T("教育教学", [header, ["1", "深化课程改革。", "教研室"], ["2", "加强作业管理。", "基础教育科"]]),
        T("填表说明", [["请按月报送进展。"], ["联系人：办公室"]]),
    )
    assert [(c.number, c.title, len(c.items)) for c in plan.chapters] == [
        ("一", "党建工作", 1),
        ("二", "教育教学", 2),
    ]
    assert any("填表说明" in w for w in plan.warnings)


def test_header_repeated_on_a_new_page_and_notes_are_skipped() -> None:
    header = ["序号", "重点任务", "牵头单位", "完成时限"]
    plan = plan_of(
        T(
            "表1",
            [
                header,
                ["1", "任务一。", "办公室", "3月底前"],
                header,
                ["2", "任务二。", "人事科", "6月底前"],
                ["注：时限为最迟完成时间。"],
            ],
        )
    )
    assert [t.number for t in plan.chapters[0].items] == ["1", "2"]


def test_an_indicator_table_is_not_a_task_table() -> None:
    rows = [["指标", "单位", "2020年", "2025年", "属性"], ["学前教育毛入园率", "%", "90", "95", "预期性"]]
    assert find_header(rows) is None
    assert not has_task_table([T("表1", rows)])


def test_no_header_is_refused_with_the_expected_columns() -> None:
    with pytest.raises(ParseError) as caught:
        plan_of(T("Sheet1", [["姓名", "电话"], ["张三", "123"]]))
    message = str(caught.value)
    for word in ("表头", "重点任务", "牵头单位", "完成时限"):
        assert word in message


_WORDS = [
    "序号",
    "类别",
    "重点任务",
    "具体措施",
    "牵头单位",
    "配合单位",
    "完成时限",
    "一、党建",
    "1",
    "（一）",
    "组织科、办公室",
    "6月底前",
    "",
    "加强党建。新增学位100个。",
]


@given(
    st.lists(
        st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=12)), min_size=1, max_size=8),
        min_size=1,
        max_size=12,
    )
)
@settings(max_examples=150, deadline=None)
def test_any_table_gives_a_plan_or_one_parse_error(rows: list[list[str]]) -> None:
    try:
        plan = plan_of(T("Sheet1", rows))
    except ParseError as exc:
        assert str(exc)
    else:
        assert plan.chapters and all(c.items for c in plan.chapters)


def test_numbers_written_in_the_task_cell_and_a_measures_only_table() -> None:
    plan = plan_of(
        T(
            "表1",
            [
                ["主要工作", "责任处（室）", "时间"],
                ["1.加强党的建设。落实第一议题制度。", "组织处", "全年"],
                ["2.推进课程改革。", "教研室", "9月底前"],
            ],
        ),
        T(
            "教师发展",
            [
                ["工作举措", "负责人", "配合科室"],
                ["建设智慧校园10所。", "王某", "信息中心"],
                ["开展教师培训。", "李某", "人事科"],
            ],
        ),
    )
    first, second = plan.chapters[0].items
    assert [(first.number, first.title), (second.number, second.title)] == [
        ("1", "加强党的建设"),
        ("2", "推进课程改革"),
    ]
    assert first.units == ["组织处"] and second.deadline_text == "9月底前"
    # a table of measures only: each row is a task of its own
    assert [t.title for t in plan.chapters[1].items] == ["建设智慧校园10所", "开展教师培训"]


def test_a_table_broken_by_a_page_break_goes_on_in_its_chapter() -> None:
    header = ["序号", "类别", "重点任务", "牵头单位"]
    plan = plan_of(
        T(
            "表1",
            [
                header,
                ["1", "学前教育", "普及学前教育。", "学前教育科"],
                ["2", "", "提高保教质量。", "学前教育科"],
            ],
        ),
        T("表2", [["3", "", "加强师资培训。", "人事科"], ["4", "职业教育", "深化产教融合。", "职成科"]]),
        T("表3", [["指标", "2025年"], ["入园率", "95"]]),
    )
    assert [(c.title, [t.number for t in c.items]) for c in plan.chapters] == [
        ("学前教育", ["1", "2", "3"]),
        ("职业教育", ["4"]),
    ]
    assert plan.warnings == ["“表3”不是任务表（没有找到序号、重点任务、责任单位等表头），已略过"]


def test_tasks_numbered_in_chinese_stay_tasks() -> None:
    plan = plan_of(
        T(
            "表1",
            [
                ["序号", "重点任务", "牵头单位"],
                ["一、发展基础与目标"],
                ["一", "发展基础。全市共有学校300所。"],
                ["二", "发展目标。\n到2025年，学前教育毛入园率达到95%。"],
            ],
        )
    )
    assert outline(plan) == [("一", "发展基础与目标", [("一", "发展基础", []), ("二", "发展目标", [])])]


def test_a_bare_task_list_is_a_task_table_in_a_workbook_only() -> None:
    rows = [["序号", "重点任务"], ["1", "加强党建。"], ["2", "推进课程改革。"]]
    assert find_header(rows) is None
    plan = parse_task_tables([T("重点工作", rows)], lists=True)
    assert [t.title for _, t in plan.tasks()] == ["加强党建", "推进课程改革"]
