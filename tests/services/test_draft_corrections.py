"""Corrections in the import preview (draft_corrections, draft_targets, draft_structure): every kind
read from its form and applied to a real parse of a fictional 示例市 plan, refused with a Chinese
message per field, and kept on the right task across splits and merges."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from eduplan import domain
from eduplan.services.draft_corrections import (
    apply_corrections,
    read_task_form,
    structured_plan,
    task_fields,
)
from eduplan.services.draft_structure import add_edit, sentences, undo_edit
from eduplan.services.errors import Invalid
from eduplan.services.parse import parse_lines

TEXT = """示例市教育局2025年教育工作要点
一、扩大优质教育资源供给
1.推进学校建设。新增义务教育学位3000个，其中市本级1200个、城区1800个。年内完成改扩建学校5所。
责任单位：基础教育科、局属学校
2.推进集团化办学。新组建教育集团8个。
责任单位：基础教育科
3.深化课程改革。建设精品课程。
责任单位：教研室
二、加强教师队伍建设
4.加强教师培训。培训教师5000人次。
牵头单位：教师工作科
"""


@pytest.fixture
def plan() -> domain.Plan:
    return parse_lines(TEXT.splitlines())


def _task(plan: domain.Plan, k: int) -> domain.Task:
    return plan.tasks()[k][1]


def _form(
    plan: domain.Plan, k: int, corrections: dict[str, Any] | None = None, **typed: str
) -> dict[str, str]:
    """The task's form as the page fills it, with what staff typed."""
    base = structured_plan(plan, corrections or {})
    return task_fields(_task(base, k), (corrections or {}).get(str(k)) or {}) | typed


def _read(plan: domain.Plan, k: int, corrections: dict[str, Any] | None = None, **typed: str):
    base = structured_plan(plan, corrections or {})
    before = (corrections or {}).get(str(k))
    return read_task_form(_task(base, k), _form(plan, k, corrections, **typed), base.year, before)


def _corrected(
    plan: domain.Plan, k: int, **typed: str
) -> tuple[dict[str, Any], domain.Plan, list[dict[str, Any]]]:
    """Task `k`'s form as typed, read without errors: the correction, and the plan and its changes
    once it is applied."""
    fix, errors = _read(plan, k, **typed)
    assert errors == {}
    return fix, *apply_corrections(plan, {str(k): fix})


def _target_fields(row: str, subject: str, cmp: str, value: str, unit: str) -> dict[str, str]:
    """A target's fields as typed into the form (`row`: g0… for the found targets, new for an added one)."""
    return {f"{row}-subject": subject, f"{row}-cmp": cmp, f"{row}-value": value, f"{row}-unit": unit}


def test_an_untouched_form_is_no_correction(plan: domain.Plan) -> None:
    for k in range(4):
        assert _read(plan, k) == ({}, {})


def test_a_targets_subject_comparator_value_unit_and_parts_are_corrected(plan: domain.Plan) -> None:
    typed = _target_fields("g0", "义务教育学位", ">=", "3200", "个") | {
        "g0-parts": "市本级 1400个、城区1800个"
    }
    _, corrected, changes = _corrected(plan, 0, **typed)
    target = _task(corrected, 0).targets[0]
    assert (target.subject, target.comparator, target.value, target.unit) == (
        "义务教育学位",
        ">=",
        3200,
        "个",
    )
    assert [(p.label, p.value, p.unit) for p in target.parts] == [
        ("市本级", 1400, "个"),
        ("城区", 1800, "个"),
    ]
    assert target.text == "新增义务教育学位3000个"  # the document's words stay
    (change,) = changes
    assert (
        change["field"] == "target0"
        and change["before"]["value"] == 3000
        and change["after"]["value"] == 3200
    )


def test_a_target_is_deleted_and_one_added(plan: domain.Plan) -> None:
    typed = {"g1-delete": "1"} | _target_fields("new", "改扩建学校", ">=", "5", "所")
    fix, corrected, changes = _corrected(plan, 0, **typed)
    targets = _task(corrected, 0).targets
    assert [(t.subject, t.comparator, t.value, t.unit) for t in targets] == [
        ("新增义务教育学位", "=", 3000, "个"),
        ("改扩建学校", ">=", 5, "所"),
    ]
    assert [c["field"] for c in changes] == ["target1", "added_target0"]
    assert changes[0]["after"] is None and changes[1]["before"] is None
    # the form shows the added target for editing; deleting it there removes it
    again = task_fields(_task(plan, 0), fix)
    assert again["a0-subject"] == "改扩建学校" and again["g1-delete"] == "1"
    fix2, _ = read_task_form(_task(plan, 0), again | {"a0-delete": "1"}, 2025, fix)
    assert "added_targets" not in fix2 and fix2["deleted_targets"] == [1]


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"g0-value": "三千"}, "g0-value", "目标值须是数字"),
        ({"g0-value": ""}, "g0-value", "请填写目标值"),
        ({"g0-subject": ""}, "g0-subject", "请写明目标所计的对象"),
        ({"g0-cmp": "≠"}, "g0-cmp", "请选择比较方式"),
        ({"g0-cmp": "between", "g0-max": "100"}, "g0-max", "“介于”须填写不小于目标值的上限"),
        ({"g0-unit": "个" * 41}, "g0-unit", "单位不超过 40 个字符"),
        ({"g0-parts": "市本级、城区1800个"}, "g0-parts", "不是“名称 数值单位”"),
        ({"new-subject": "改扩建学校"}, "new-value", "请填写目标值"),
        ({"new-value": "5"}, "new-subject", "请写明目标所计的对象"),
        ({"title": "  "}, "title", "标题不能为空"),
        ({"deadline": "尽快"}, "deadline", "读不出日期"),
        ({"deadline": "2025-02-30"}, "deadline", "日期不存在"),
        ({"group_words": "各县区"}, "group_words", "不在本条的单位中"),
    ],
)
def test_bad_input_is_refused_per_field_in_chinese(
    plan: domain.Plan, typed: dict[str, str], field: str, message: str
) -> None:
    _fix, errors = _read(plan, 0, **typed)
    assert message in errors[field]


def test_a_deadline_is_a_date_or_words_read_in_the_plans_year(plan: domain.Plan) -> None:
    fix, errors = _read(plan, 1, deadline="6月底前")
    assert errors == {} and fix == {"deadline": "2025-06-30", "deadline_text": "6月底前"}
    corrected, changes = apply_corrections(plan, {"1": fix})
    task = _task(corrected, 1)
    assert task.deadline == date(2025, 6, 30) and task.deadline_text == "6月底前"
    assert changes == [
        {"task": "2", "chapter": "一", "field": "deadline", "before": None, "after": "2025-06-30"}
    ]
    assert _read(plan, 1, deadline="2025年9月30日")[0]["deadline"] == "2025-09-30"
    assert _read(plan, 0, deadline="")[0] == {"deadline": None, "deadline_text": None}  # cleared
    assert _read(plan, 0, deadline="2025-12-31") == ({}, {})  # the parse's own date: nothing to keep


def test_a_unit_marked_as_a_group_word_leaves_the_unit_lists(plan: domain.Plan) -> None:
    fix, corrected, changes = _corrected(plan, 0, group_words="局属学校")
    assert _task(corrected, 0).units == ["基础教育科"]
    assert {"field": "group_words", "before": [], "after": ["局属学校"]} in [
        {k: c[k] for k in ("field", "before", "after")} for c in changes
    ]
    assert task_fields(_task(plan, 0), fix)["units"] == "基础教育科"  # the form lists it apart
    # cleared again, the name returns to its list
    assert _read(plan, 0, {"0": fix}, group_words="") == ({}, {})


def test_sentences_join_back_to_the_text(plan: domain.Plan) -> None:
    text = _task(plan, 0).text
    assert "".join(sentences(text)) == text and len(sentences(text)) == 3


def test_a_split_then_a_target_correction_on_the_second_half(plan: domain.Plan) -> None:
    corrections = add_edit(plan, {}, {"op": "split", "task": 0, "at": 2})
    base = structured_plan(plan, corrections)
    first, second = _task(base, 0), _task(base, 1)
    assert [t.text for t in first.targets] == ["新增义务教育学位3000个"]
    assert [t.text for t in second.targets] == ["年内完成改扩建学校5所"]
    assert (second.number, second.title, second.units) == ("1-2", "年内完成改扩建学校5所", first.units)
    assert first.deadline is None and second.deadline == date(2025, 12, 31)  # read again from each half
    fix, errors = _read(plan, 1, corrections, **{"g0-subject": "改扩建学校", "title": "完成学校改扩建"})
    assert errors == {}
    corrections["1"] = fix
    corrected, changes = apply_corrections(plan, corrections)
    assert len(corrected.tasks()) == 5
    half = _task(corrected, 1)
    assert (half.title, half.targets[0].subject) == ("完成学校改扩建", "改扩建学校")
    assert _task(corrected, 2).title == "推进集团化办学"  # the next task untouched
    assert changes[0]["field"] == "split" and {c["field"] for c in changes[1:]} == {"title", "target0"}


def test_corrections_follow_their_task_across_a_split_and_its_undo(plan: domain.Plan) -> None:
    corrections: dict[str, Any] = {"3": {"title": "加强教师全员培训"}}
    corrections = add_edit(plan, corrections, {"op": "split", "task": 0, "at": 1})
    assert "4" in corrections and "3" not in corrections
    assert _task(apply_corrections(plan, corrections)[0], 4).title == "加强教师全员培训"
    corrections = undo_edit(plan, corrections)
    assert corrections == {"3": {"title": "加强教师全员培训"}}


def test_a_merge_joins_two_tasks_of_a_chapter(plan: domain.Plan) -> None:
    corrections = add_edit(plan, {"3": {"title": "教师培训"}}, {"op": "merge", "task": 1})
    corrected, changes = apply_corrections(plan, corrections)
    tasks = [t for _, t in corrected.tasks()]
    assert [t.number for t in tasks] == ["1", "2", "4"]
    merged = tasks[1]
    assert merged.title == "推进集团化办学" and "建设精品课程" in merged.text
    assert merged.units == ["基础教育科", "教研室"] and [t.value for t in merged.targets] == [8]
    assert tasks[2].title == "教师培训"  # its correction moved from 3 to 2 with it
    assert changes[0]["field"] == "merge" and len(changes[0]["before"]) == 2


def test_structural_edits_that_cannot_be_made_are_refused(plan: domain.Plan) -> None:
    with pytest.raises(Invalid, match="本章最后一项"):
        add_edit(plan, {}, {"op": "merge", "task": 2})  # the last of chapter 一 cannot take 4 of 二
    with pytest.raises(Invalid, match="请选择在第 1 至 2 句之后拆分"):
        add_edit(plan, {}, {"op": "split", "task": 0, "at": 3})
    with pytest.raises(Invalid, match="已有校正"):
        add_edit(plan, {"1": {"title": "x"}}, {"op": "merge", "task": 0})
    with pytest.raises(Invalid, match="不存在"):
        add_edit(plan, {}, {"op": "split", "task": 9, "at": 1})
    with pytest.raises(Invalid, match="没有可撤销"):
        undo_edit(plan, {})


def test_a_correction_of_no_task_is_refused(plan: domain.Plan) -> None:
    with pytest.raises(Invalid):
        apply_corrections(plan, {"9": {"title": "x"}})
    with pytest.raises(Invalid):
        apply_corrections(plan, {"0": {"deleted_targets": [5]}})
