"""Numbering marks of Chinese official documents and Chinese numerals (numbering.py)."""

from __future__ import annotations

import pytest

from eduplan.parsing.numbering import cn_to_int, int_to_cn, match_marker, number_value


@pytest.mark.parametrize(
    ("line", "style", "number", "rest"),
    [
        # chapters: 一、 一． 第一章 第一部分
        ("一、坚持党建引领", "chapter", "一", "坚持党建引领"),
        ("十二、强化教育保障", "chapter", "十二", "强化教育保障"),
        ("三十八、加强督导", "chapter", "三十八", "加强督导"),
        ("二．深化教育改革", "chapter", "二", "深化教育改革"),
        ("二.深化教育改革", "chapter", "二", "深化教育改革"),
        ("第一章 发展基础", "part", "一", "发展基础"),
        ("第十二章\u3000保障措施", "part", "十二", "保障措施"),
        ("第三部分  重点任务", "part", "三", "重点任务"),
        ("第二篇 主要任务", "part", "二", "主要任务"),
        # parenthesised Chinese numerals, full- and half-width
        ("（一）加强政治建设", "paren_cn", "一", "加强政治建设"),
        ("(二)加强政治建设", "paren_cn", "二", "加强政治建设"),
        ("（十三）推进依法治校", "paren_cn", "十三", "推进依法治校"),
        ("（三十八）推进依法治校", "paren_cn", "三十八", "推进依法治校"),
        ("( 三 ) 推进依法治校", "paren_cn", "三", "推进依法治校"),
        ("（一)混合括号", "paren_cn", "一", "混合括号"),
        ("（一）、多一个顿号", "paren_cn", "一", "多一个顿号"),
        # arabic numerals with every separator
        ("1.加强德育工作", "arabic", "1", "加强德育工作"),
        ("1．加强德育工作", "arabic", "1", "加强德育工作"),
        ("1、加强德育工作", "arabic", "1", "加强德育工作"),
        ("1-加强德育工作", "arabic", "1", "加强德育工作"),
        ("4. 加强德育工作", "arabic", "4", "加强德育工作"),
        ("12.加强德育工作", "arabic", "12", "加强德育工作"),
        ("1 加强德育工作", "arabic", "1", "加强德育工作"),
        # full-width digits
        ("１．扩大学位供给", "arabic", "1", "扩大学位供给"),
        ("１２、扩大学位供给", "arabic", "12", "扩大学位供给"),
        ("（１）扩大学位供给", "paren_ar", "1", "扩大学位供给"),
        # parenthesised arabic numerals and circled numbers
        ("（1）开齐开足体育课", "paren_ar", "1", "开齐开足体育课"),
        ("(2)开齐开足体育课", "paren_ar", "2", "开齐开足体育课"),
        ("（12）开齐开足体育课", "paren_ar", "12", "开齐开足体育课"),
        ("①完善编制统筹机制", "circled", "①", "完善编制统筹机制"),
        ("⑳完善编制统筹机制", "circled", "⑳", "完善编制统筹机制"),
        ("③、完善编制统筹机制", "circled", "③", "完善编制统筹机制"),
    ],
)
def test_numbering_styles(line: str, style: str, number: str, rest: str) -> None:
    marker = match_marker(line)
    assert marker is not None
    assert (marker.style, marker.number, marker.rest.strip()) == (style, number, rest)


@pytest.mark.parametrize(
    "line",
    [
        "2021年全市教育工作要点",
        "2025年底前完成",
        "5G网络覆盖全部学校",
        "1+X证书制度试点",
        "10.5%的学校",
        "3.5万人次",
        "一是加强党的建设",
        "十四五时期",
        "一流学科建设",
        "一批示范校",
        "第一，加强学习",
        "第一届运动会",
        "二〇二一年二月",
        "示例市教育局",
        "（此件公开发布）",
        "（牵头单位：基教科）",
        "“十百千万”工程",
        "",
    ],
)
def test_not_a_numbering_mark(line: str) -> None:
    assert match_marker(line) is None


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("1）开齐开足体育课", "1"),
        ("1)开齐开足体育课", "1"),
        ("第一节 主要成就", "一"),
    ],
)
def test_less_common_marks(line: str, number: str) -> None:
    marker = match_marker(line)
    assert marker is not None
    assert marker.number == number


def test_markup_is_the_readers_business_once_removed_the_mark_is_seen() -> None:
    # **（二）…** arrives as （二）… after normalization (see tests/readers/test_normalize.py)
    marker = match_marker("（二）加强教师队伍建设。")
    assert marker is not None and marker.number == "二"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十八", 38),
        ("一百", 100),
        ("一百零五", 105),
        ("两", 2),
        ("二〇二一", 2021),
        ("二零二五", 2025),
        ("", None),
        ("abc", None),
        ("一a", None),
    ],
)
def test_cn_to_int(text: str, value: int | None) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (38, "三十八"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
    ],
)
def test_int_to_cn(n: int, text: str) -> None:
    assert int_to_cn(n) == text


@pytest.mark.parametrize("n", range(1, 200))
def test_int_to_cn_and_back(n: int) -> None:
    assert cn_to_int(int_to_cn(n)) == n


@pytest.mark.parametrize(("number", "value"), [("12", 12), ("十二", 12), ("③", 3), ("⑳", 20), ("x", None)])
def test_number_value(number: str, value: int | None) -> None:
    assert number_value(number) == value
