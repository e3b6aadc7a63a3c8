"""Responsible units (责任单位): label lines, inline notes, lead and support split (units.py)."""

from __future__ import annotations

import pytest

from eduplan.parsing.units import inline_units, split_units, units_line


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.mark.parametrize(
    ("line", "units"),
    [
        ("责任单位：组织部、纪检组", ["组织部", "纪检组"]),
        ("责任单位:组织部、纪检组", ["组织部", "纪检组"]),
        ("责任科室: 规划科，财务科", ["规划科", "财务科"]),
        ("责任处室：基础教育处", ["基础教育处"]),
        ("责任部门：各区县教育局", ["各区县教育局"]),
        ("责任单位：局办公室、政策法规科。", ["局办公室", "政策法规科"]),
        ("责任单位：各县区教育局，局属各单位", ["各县区教育局", "局属各单位"]),
        ("责任单位：基教科 体卫艺科", ["基教科", "体卫艺科"]),
        ("责任单位：基教科/体卫艺科", ["基教科", "体卫艺科"]),
        ("（责任单位：办公室）", ["办公室"]),
        ("(责任单位:办公室)", ["办公室"]),
        # brackets inside a unit's name are kept whole
        ("责任单位：市招办（市教育发展服务中心）、基教处", ["市招办（市教育发展服务中心）", "基教处"]),
        ("责任单位：体卫艺科（市学生资助管理中心）", ["体卫艺科（市学生资助管理中心）"]),
        ("责任单位：市教育考试院(市招生办公室)，督导室", ["市教育考试院(市招生办公室)", "督导室"]),
        ("责任股室：党建办、人事股", ["党建办", "人事股"]),
        ("责任领导：王某某；责任科室：党建办", ["党建办"]),
        ("【责任单位】基教科", ["基教科"]),
    ],
)
def test_units_lines(line: str, units: list[str]) -> None:
    found = units_line(line)
    assert found is not None
    assert found.units == units


@pytest.mark.parametrize(
    ("line", "lead", "support"),
    [
        ("牵头单位：规划科；配合单位：财务科、基教科", ["规划科"], ["财务科", "基教科"]),
        ("牵头科室：德育科 配合科室：体卫艺科", ["德育科"], ["体卫艺科"]),
        ("主责单位：人事科；协办单位：计财科", ["人事科"], ["计财科"]),
        (
            "牵头单位：市招办（市教育考试院）；配合单位：基础教育处",
            ["市招办（市教育考试院）"],
            ["基础教育处"],
        ),
        ("牵头单位：基教科", ["基教科"], []),
        ("配合单位：财务科", [], ["财务科"]),
        ("责任单位：市教育局（牵头），市财政局、市人社局", ["市教育局"], ["市财政局", "市人社局"]),
    ],
)
def test_lead_and_support(line: str, lead: list[str], support: list[str]) -> None:
    found = units_line(line)
    assert found is not None
    assert (found.lead, found.support) == (lead, support)
    assert found.units == lead + [u for u in support if u not in lead]


def test_deadline_on_the_units_line_is_not_a_unit() -> None:
    found = units_line("责任科室：党建办、人事科；完成时限：2024年12月")
    assert found is not None
    assert found.units == ["党建办", "人事科"]


@pytest.mark.parametrize(
    "line",
    [
        "加强组织领导，明确责任单位和责任人。",
        "各责任单位要按时报送进展情况。",
        "责任人：张三",
        "一、落实责任单位",
        "",
    ],
)
def test_not_units_lines(line: str) -> None:
    assert units_line(line) is None


@pytest.mark.parametrize(
    ("paragraph", "rest", "units", "lead", "support"),
    [
        ("推进教育评价改革。（责任单位：政策法规科）", "推进教育评价改革。", ["政策法规科"], [], []),
        ("推进教育评价改革（责任单位：政策法规科）。", "推进教育评价改革", ["政策法规科"], [], []),
        ("推进教育评价改革。(责任科室:政策法规科)", "推进教育评价改革。", ["政策法规科"], [], []),
        (
            "推进教育评价改革。（牵头单位：规划科；配合单位：财务科）",
            "推进教育评价改革。",
            ["规划科", "财务科"],
            ["规划科"],
            ["财务科"],
        ),
        (
            "做好招生工作。（责任单位：市招办（市教育发展服务中心）、基教处）",
            "做好招生工作。",
            ["市招办（市教育发展服务中心）", "基教处"],
            [],
            [],
        ),
        ("推进（试点）工作。（责任单位：基教科）", "推进（试点）工作。", ["基教科"], [], []),
    ],
)
def test_inline_units(
    paragraph: str, rest: str, units: list[str], lead: list[str], support: list[str]
) -> None:
    found = inline_units(paragraph)
    assert found is not None
    text, parsed = found
    assert text == rest
    assert (parsed.units, parsed.lead, parsed.support) == (units, lead, support)


@pytest.mark.parametrize(
    "paragraph",
    [
        "推进教育评价改革（试点）。",
        "落实《示例市实施方案（试行）》。",
        "（责任单位：基教科）后面还有正文。",
    ],
)
def test_no_inline_units(paragraph: str) -> None:
    assert inline_units(paragraph) is None


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("组织部、纪检组", ["组织部", "纪检组"]),
        ("组织部，纪检组；宣传部", ["组织部", "纪检组", "宣传部"]),
        (
            "市招办（市教育发展服务中心、市考试院）、基教处",
            ["市招办（市教育发展服务中心、市考试院）", "基教处"],
        ),
        ("各县（市）区教育局", ["各县（市）区教育局"]),
        ("办公室。", ["办公室"]),
        ("", []),
    ],
)
def test_split_units(text: str, units: list[str]) -> None:
    assert split_units(text) == units
