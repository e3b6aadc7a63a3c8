"""Text normalization shared by every reader: t2s, markup removal, page-break joining (normalize.py)."""

from __future__ import annotations

import pytest

from eduplan.readers.normalize import clean_line, normalize_lines, starts_new_unit, to_simplified

# a paragraph line long enough to have been cut by a page break, with a full stop earlier on
LONG = "全市要加快推进教育现代化建设，着力构建高质量教育体系。努力办好人民满意的教育，推进"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # markup removed, numbering kept
        (["**（二）加强教师队伍建设**"], ["（二）加强教师队伍建设"]),
        (["**1．加强政治理论学习。**持续深化学习教育。"], ["1．加强政治理论学习。持续深化学习教育。"]),
        (["<b>一、总体要求</b>"], ["一、总体要求"]),
        (['<p class="x">正文<br/>内容</p>'], ["正文内容"]),
        (["## 三、主要任务"], ["三、主要任务"]),
        (["#### 专栏4 重点工程2：教育服务工程"], ["专栏4 重点工程2：教育服务工程"]),
        (["[bookmark: _GoBack]1．推进改革。"], ["1．推进改革。"]),
        # odd spaces folded, zero-width characters dropped, blank lines dropped
        (["第十二章\u3000\u3000保障措施"], ["第十二章 保障措施"]),
        (["\u200b\ufeff文字\u00a0内容"], ["文字 内容"]),
        (["  ", "", "\t", "正文。"], ["正文。"]),
        (["第一行\r\n第二行"], ["第一行", "第二行"]),
        # tab-separated table rows keep their cells
        (["指标\t单位\t2020年"], ["指标\t单位\t2020年"]),
        (["学前教育毛入园率 \t % \t 91.5"], ["学前教育毛入园率\t%\t91.5"]),
        # traditional characters to simplified
        (["示例市教育發展規劃"], ["示例市教育发展规划"]),
        (["牽頭單位：基礎教育處"], ["牵头单位：基础教育处"]),
        # full-width punctuation and digits are left as they are
        (["（一）加强党建，落实责任；"], ["（一）加强党建，落实责任；"]),
    ],
)
def test_normalize(raw: list[str], expected: list[str]) -> None:
    assert normalize_lines(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a sentence broken by a page break (blank line or form feed) is joined again
        ([LONG, "", "学校建设。"], [LONG + "学校建设。"]),
        ([LONG + "\f学校建设。"], [LONG + "学校建设。"]),
        ([LONG, "", "", "", "学校建设。"], [LONG + "学校建设。"]),
        # … but never into a heading, a numbered line, a label line, a box or a table row
        ([LONG, "", "2.学校建设。"], [LONG, "2.学校建设。"]),
        ([LONG, "", "（二）学校建设。"], [LONG, "（二）学校建设。"]),
        ([LONG, "", "责任单位：基教科"], [LONG, "责任单位：基教科"]),
        ([LONG, "", "专栏3 教师队伍建设工程"], [LONG, "专栏3 教师队伍建设工程"]),
        ([LONG, "", "指标\t单位"], [LONG, "指标\t单位"]),
        # a line that ends a sentence is complete
        ([LONG + "。", "", "学校建设。"], [LONG + "。", "学校建设。"]),
        # a heading or title has no full stop and is short: never continued
        (["一、总体要求", "", "坚持立德树人。"], ["一、总体要求", "坚持立德树人。"]),
        (
            ["示例市2022年教育工作要点", "", "为全面贯彻落实。"],
            ["示例市2022年教育工作要点", "为全面贯彻落实。"],
        ),
        # without a blank line (a page break) the next line is a line of its own
        ([LONG, "学校建设。"], [LONG, "学校建设。"]),
        # traditional characters and a page break together
        (
            [
                "全市要加快推進教育現代化建設，着力構建高質量教育體系。努力辦好人民滿意的教育，推進",
                "",
                "學校建設。",
            ],
            [LONG + "学校建设。"],
        ),
    ],
)
def test_page_break_joining(raw: list[str], expected: list[str]) -> None:
    assert normalize_lines(raw) == expected


def test_page_break_before_a_decimal_number() -> None:
    assert normalize_lines([LONG + "投入资金", "", "1.5亿元用于学校建设。"]) == [
        LONG + "投入资金1.5亿元用于学校建设。"
    ]


def test_page_footer_is_dropped() -> None:
    assert normalize_lines([LONG, "", "- 3 -", "", "学校建设。"]) == [LONG + "学校建设。"]


def test_page_break_in_a_first_sentence_left_open_at_a_comma() -> None:
    first = "全市要加快推进教育现代化建设，着力构建高质量教育体系，努力办好人民满意的教育，"
    assert normalize_lines([first, "", "新增学位3000个。"]) == [first + "新增学位3000个。"]


@pytest.mark.parametrize(
    ("line", "new"),
    [
        ("一、总体要求", True),
        ("（三）推进改革", True),
        ("(3)推进改革", True),
        ("12.推进改革", True),
        ("１．推进改革", True),
        ("①推进改革", True),
        ("第二章 主要任务", True),
        ("第三部分 保障措施", True),
        ("专栏2 学位扩容重点工程", True),
        ("责任单位：基教科", True),
        ("牵头科室：基教科", True),
        ("附件：1.重点项目清单", True),
        ("注：带*的为约束性指标。", True),
        ("目 录", True),
        ("学校建设。", False),
        ("2025年全面完成。", False),
        ("“十四五”期间。", False),
    ],
)
def test_starts_new_unit(line: str, new: bool) -> None:
    assert starts_new_unit(line) is new


def test_to_simplified() -> None:
    assert to_simplified("教育發展") == "教育发展"
    assert to_simplified("") == ""


def test_clean_line_keeps_no_markup() -> None:
    assert clean_line("  <b>**# 一、总体要求**</b>  ") == "一、总体要求"
