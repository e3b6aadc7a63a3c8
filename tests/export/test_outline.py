"""The terminal outline: title and facts first, chapters and items with their facts, warnings last."""

from __future__ import annotations

from eduplan.domain import Plan
from eduplan.export.outline import render_outline


def test_outline_starts_with_title_and_facts(plan: Plan) -> None:
    lines = render_outline(plan).splitlines()
    assert lines[0] == "2024年示例市教育工作要点"
    assert lines[1] == "示例市 · 年度工作要点 · 2024年 · 文号：示教发〔2024〕3号 · 印发：2024年2月20日"
    assert "共2章、3项任务" in lines


def test_outline_items_carry_units_targets_deadline(plan: Plan) -> None:
    text = render_outline(plan)
    assert "\n一、扩大优质教育资源供给\n" in text
    assert (
        "  1. 加快中小学幼儿园建设  [责任单位: 发展规划科、基础教育科] "
        "[目标: 新增学位16500个；覆盖率达到85%以上] [时限: 2024-06-30]\n"
    ) in text
    assert "  2. 推进学前教育普及普惠\n" in text


def test_outline_lead_and_support_units_subitems_and_rebuilt_target(plan: Plan) -> None:
    text = render_outline(plan)
    assert "[责任单位: 牵头：教师工作科；配合：教科院、各区县教育局]" in text
    assert "[目标: 培训教师≥5000人次]" in text
    assert "\n      (1) 分层培训" in text


def test_outline_columns_tables_and_warnings_last(plan: Plan) -> None:
    text = render_outline(plan)
    assert "专栏3：工程1：新时代立德树人工程（第二章）\n  1. 思政课一体化建设项目" in text
    assert "指标表：主要指标（1项指标）\n  普惠性幼儿园覆盖率（%） 2023: 82 → 2024: 85.5 [约束性]" in text
    assert text.endswith("警告（1）：\n  - 第9行：编号不连续\n")


def test_outline_of_an_empty_plan() -> None:
    text = render_outline(Plan(title=""))
    assert text.splitlines()[:3] == ["（无标题）", "（地区未识别） · 其他文件", "共0章、0项任务"]


def test_chinese_item_numbers_are_bracketed(plan: Plan) -> None:
    plan.chapters[0].items[1].number = "二"
    assert "  （二）推进学前教育普及普惠" in render_outline(plan)


def test_outline_marks_context_sections_and_counts_them_apart() -> None:
    from eduplan.domain import Chapter, Task

    plan = Plan(
        title="示例市“十四五”教育发展规划",
        chapters=[
            Chapter("一", "总体要求", items=[Task("一", "指导思想", "坚持以人民为中心。", kind="context")]),
            Chapter("二", "主要任务", items=[Task("一", "扩大优质资源供给", "新建中小学30所。")]),
        ],
    )
    lines = render_outline(plan).splitlines()
    assert "共2章、1项任务、1项背景/说明" in lines
    assert "  （一）指导思想［背景/说明］" in lines
