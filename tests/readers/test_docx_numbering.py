"""Word list numbering rendered as Word shows it: formats, levels, restarts, overrides, styles."""

from __future__ import annotations

import pytest
from lxml import etree

from eduplan.readers.docx_numbering import ListNumbering
from eduplan.readers.numfmt import chinese_counting, format_number

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCountingThousand", "十一"),
        (20, "chineseCounting", "二十"),
        (21, "chineseCounting", "二十一"),
        (101, "chineseCounting", "一百零一"),
        (110, "chineseCounting", "一百一十"),
        (3, "chineseLegalSimplified", "叁"),
        (3, "ideographTraditional", "丙"),
        (2, "ideographZodiac", "丑"),
        (3, "decimalEnclosedCircle", "③"),
        (21, "decimalEnclosedCircle", "21"),
        (3, "decimalEnclosedParen", "⑶"),
        (12, "decimalFullWidth", "１２"),
        (4, "upperRoman", "IV"),
        (27, "lowerLetter", "aa"),
        (7, "decimalZero", "07"),
        (5, "bullet", ""),
        (5, "someFutureFormat", "5"),
    ],
)
def test_number_formats(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


def test_chinese_counting_over_a_range_has_no_stray_zeros() -> None:
    assert [chinese_counting(n) for n in (1000, 1001, 1010, 1100)] == [
        "一千",
        "一千零一",
        "一千零一十",
        "一千一百",
    ]


def _lvl(ilvl: int, fmt: str, text: str, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


NUMBERING = f"""<w:numbering {NS}>
<w:abstractNum w:abstractNumId="1">
  {_lvl(0, "chineseCounting", "%1、", '<w:pStyle w:val="Heading1"/>')}
  {_lvl(1, "chineseCounting", "（%2）", '<w:pStyle w:val="Heading2"/>')}
  {_lvl(2, "decimal", "%3.")}
  {_lvl(3, "decimalEnclosedCircle", "%4", '<w:lvlRestart w:val="0"/>')}
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
  {_lvl(0, "decimal", "第%1条")}
  {_lvl(1, "decimal", "%1.%2", "<w:isLgl/>")}
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"""

STYLES = f"""<w:styles {NS}>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>
<w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/>
  <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="paragraph" w:styleId="Chapter"><w:basedOn w:val="Heading1"/></w:style>
</w:styles>"""


def _p(num_id: str | None = None, ilvl: int | None = None, style: str | None = None) -> etree._Element:
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num_id is not None:
        level = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
        ppr += f'<w:numPr>{level}<w:numId w:val="{num_id}"/></w:numPr>'
    return etree.fromstring(f"<w:p {NS}><w:pPr>{ppr}</w:pPr></w:p>")


def _labels(paragraphs: list[etree._Element]) -> list[str]:
    numbering = ListNumbering(etree.fromstring(NUMBERING), etree.fromstring(STYLES))
    return [numbering.label(p) for p in paragraphs]


def test_levels_restart_when_a_higher_level_advances() -> None:
    levels = [0, 1, 2, 2, 1, 2, 0, 1, 2]
    assert _labels([_p("1", i) for i in levels]) == [
        "一、",
        "（一）",
        "1.",
        "2.",
        "（二）",
        "1.",
        "二、",
        "（一）",
        "1.",
    ]


def test_lvl_restart_zero_never_restarts() -> None:
    levels = [3, 3, 0, 3]
    assert _labels([_p("1", i) for i in levels]) == ["①", "②", "一、", "③"]


def test_lists_sharing_an_abstract_continue_and_start_override_restarts() -> None:
    paragraphs = [_p("1", 0), _p("2", 0), _p("3", 0), _p("3", 1), _p("3", 0)]
    assert _labels(paragraphs) == ["一、", "二、", "第5条", "5.1", "第6条"]


def test_numbering_from_styles_follows_based_on_and_level_binding() -> None:
    paragraphs = [_p(style="Heading1"), _p(style="Heading2"), _p(style="Chapter"), _p(style="Heading2")]
    assert _labels(paragraphs) == ["一、", "（一）", "二、", "（一）"]


def test_num_id_zero_switches_style_numbering_off() -> None:
    assert _labels([_p("0", 0, style="Heading1"), _p(style="Heading1"), _p(), _p("99", 0)]) == [
        "",
        "一、",
        "",
        "",
    ]
