"""The cover notice (印发通知) and the plan's metadata: title, place, kind, year (cover.py)."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.parsing import parse_plan
from eduplan.parsing.cover import classify, find_place, parse_date, split_cover


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


BODY = ["一、总体要求", "1.加强党建。落实主体责任。", "二、重点任务", "2.推进改革。深化教育评价改革。"]


def notice(doc_number: str = "示教发〔2022〕5号", date_line: str = "2022年1月10日") -> list[str]:
    return [
        "示例市教育局文件",
        doc_number,
        "示例市教育局关于印发《示例市2022年教育工作要点》的通知",
        "各区县教育局，市直各学校：",
        "现将《示例市2022年教育工作要点》印发给你们，请结合实际，认真抓好落实。",
        "示例市教育局",
        date_line,
        "（此件公开发布）",
        "示例市2022年教育工作要点",
        *BODY,
    ]


# -- dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2021年2月22日", date(2021, 2, 22)),
        ("2021 年 2 月 22 日", date(2021, 2, 22)),
        ("二〇二一年二月二十二日", date(2021, 2, 22)),
        ("二〇二三年十二月三十一日", date(2023, 12, 31)),
        ("2021年2月30日", None),
        ("2021年2月", None),
        ("示例市教育局", None),
        pytest.param(
            "二○二一年二月二十二日",
            date(2021, 2, 22),
        ),
    ],
)
def test_parse_date(line: str, expected: date | None) -> None:
    assert parse_date(line) == expected


# -- the notice --------------------------------------------------------------------------------
def test_notice_is_read_and_skipped() -> None:
    lines = notice()
    cover = split_cover(lines)
    assert cover.doc_number == "示教发〔2022〕5号"
    assert cover.issued_on == date(2022, 1, 10)
    assert cover.issuer == ["示例市教育局"]
    assert cover.notice_title == "示例市2022年教育工作要点"
    assert lines[cover.body_start] == "示例市2022年教育工作要点"


@pytest.mark.parametrize(
    ("line", "doc_number"),
    [
        ("示教发〔2022〕5号", "示教发〔2022〕5号"),
        ("示教发[2022]5号", "示教发[2022]5号"),
        ("示教发（2022）5号", "示教发（2022）5号"),
        ("示教发〔2022〕第5号", "示教发〔2022〕第5号"),
        ("示教发〔2022 〕 5 号", "示教发〔2022〕5号"),
        ("示教函〔2022〕5号          签发人：张三", "示教函〔2022〕5号"),
    ],
)
def test_doc_numbers(line: str, doc_number: str) -> None:
    assert split_cover(notice(doc_number=line)).doc_number == doc_number


def test_plan_behind_a_notice() -> None:
    plan = parse_plan(notice())
    assert plan.title == "示例市2022年教育工作要点"  # the plan's own title, not the notice's
    assert plan.doc_number == "示教发〔2022〕5号"
    assert plan.issued_on == date(2022, 1, 10)
    assert plan.issuer == ["示例市教育局"]
    assert (plan.place, plan.kind, plan.year) == ("示例市", "annual_work_plan", 2022)
    assert [c.title for c in plan.chapters] == ["总体要求", "重点任务"]
    assert [t.title for _, t in plan.tasks()] == ["加强党建", "推进改革"]


TWO_ISSUERS = [
    "中共示例市委教育工作委员会",
    "示例市教育局",
    "示教党发〔2023〕2号",
    "中共示例市委教育工作委员会 示例市教育局关于印发《2023年全市教育工作要点》的通知",
    "各区县教育局，市属各学校：",
    "现将《2023年全市教育工作要点》印发给你们，请认真贯彻执行。",
    "中共示例市委教育工作委员会      示例市教育局",
    "2023年2月15日",
    "附件",
    "2023年全市教育工作要点",
    *BODY,
]


def test_two_issuers_and_an_attachment_mark() -> None:
    plan = parse_plan(TWO_ISSUERS)
    assert plan.title == "2023年全市教育工作要点"
    assert set(plan.issuer) == {"中共示例市委教育工作委员会", "示例市教育局"}
    assert plan.place == "示例市"
    assert plan.doc_number == "示教党发〔2023〕2号"
    assert plan.issued_on == date(2023, 2, 15)
    assert plan.year == 2023
    assert len(plan.tasks()) == 2


def test_issuers_are_not_counted_twice() -> None:
    assert parse_plan(TWO_ISSUERS).issuer == ["中共示例市委教育工作委员会", "示例市教育局"]


def test_no_cover() -> None:
    plan = parse_plan(["示例市2022年教育工作要点", *BODY])
    assert plan.title == "示例市2022年教育工作要点"
    assert (plan.doc_number, plan.issued_on, plan.issuer) == (None, None, [])
    assert [c.title for c in plan.chapters] == ["总体要求", "重点任务"]


def test_attachment_mark_above_the_title() -> None:
    plan = parse_plan(["附件1", "示例市2022年教育工作要点", *BODY])
    assert plan.title == "示例市2022年教育工作要点"


def test_title_on_two_lines() -> None:
    plan = parse_plan(["示例市教育体育局", "2022年工作要点", *BODY])
    assert plan.title == "示例市教育体育局2022年工作要点"
    assert (plan.place, plan.year) == ("示例市", 2022)


# -- kind, year, period ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "kind", "year", "period"),
    [
        ("2021年示例市教育工作要点", "annual_work_plan", 2021, None),
        ("示例市2021年教育工作要点", "annual_work_plan", 2021, None),
        ("示例县2022年教育工作要点", "annual_work_plan", 2022, None),
        ("示例区教育局2023年工作要点", "annual_work_plan", 2023, None),
        ("示例市教育局2022年工作计划", "annual_work_plan", 2022, None),
        ("示例市“十四五”教育发展规划", "five_year_plan", None, (2021, 2025)),
        ("示例市教育事业发展“十四五”规划（2021-2025年）", "five_year_plan", None, (2021, 2025)),
        ("示例市2021—2025年教育发展规划", "five_year_plan", None, (2021, 2025)),
        ("示例市“十四五”教育发展规划（征求意见稿）", "five_year_plan", None, (2021, 2025)),
        ("示例市“十三五”教育发展规划", "five_year_plan", None, (2016, 2020)),
        ("示例县教育事业发展第十四个五年规划（2021—2025年）", "five_year_plan", None, (2021, 2025)),
    ],
)
def test_classify(title: str, kind: str, year: int | None, period: tuple[int, int] | None) -> None:
    assert classify(title, []) == (kind, year, period)


def test_period_on_the_title_second_line() -> None:
    plan = parse_plan(
        ["示例县教育事业发展第十四个五年规划", "（2021—2025年）", "一、发展基础", "（一）成就", "（二）问题"]
    )
    assert plan.period == (2021, 2025)


@pytest.mark.parametrize(
    ("title", "issuer", "place"),
    [
        ("示例市2022年教育工作要点", [], "示例市"),
        ("2022年示例县教育工作要点", [], "示例县"),
        ("示例区教育局2023年工作要点", [], "示例区"),
        ("2022年全市教育工作要点", ["中共示例市委教育工作委员会", "示例市教育局"], "示例市"),
        ("2022年全县教育工作要点", ["示例县教育局"], "示例县"),
        ("2022年全市教育工作要点", [], None),
    ],
)
def test_place(title: str, issuer: list[str], place: str | None) -> None:
    assert find_place(title, issuer, [title]) == place


def test_place_of_a_title_starting_with_guanyu() -> None:
    assert find_place("关于2022年教育工作的安排", [], []) is None


@pytest.mark.parametrize(
    ("title", "place"),
    [
        ("示例市2024年义务教育优质均衡发展工作方案", "示例市"),
        ("甲区2024年学前教育工作计划", "甲区"),
    ],
)
def test_place_that_ends_before_a_subject_word(title: str, place: str) -> None:
    assert find_place(title, [], []) == place
