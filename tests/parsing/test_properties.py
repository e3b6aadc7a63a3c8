"""Properties of the parser on any text: it never crashes, and Plan JSON round-trips (Hypothesis)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduplan.domain import Plan
from eduplan.parsing import ParseError, parse_plan
from eduplan.parsing.deadlines import find_deadline
from eduplan.parsing.numbering import match_marker
from eduplan.parsing.targets import find_targets
from eduplan.parsing.units import inline_units, split_units, units_line
from eduplan.plan_json import plan_from_dict, plan_to_dict
from eduplan.readers.normalize import normalize_lines
from eduplan.samples.plan_text import sample_lines

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MARKERS = [
    "一、",
    "十二、",
    "二．",
    "第一章 ",
    "第三部分 ",
    "（一）",
    "(二)",
    "（十三）",
    "1.",
    "1．",
    "1、",
    "12-",
    "4. ",
    "（1）",
    "(2)",
    "①",
    "⑳",
    "１．",
    "（１）",
    "专栏1 ",
    "专栏 二：",
    "目录",
    "附件",
    "注：",
    "",
]
WORDS = [
    "加强党的建设",
    "新增学位",
    "16500个",
    "达到85%以上",
    "不低于",
    "至少",
    "左右",
    "约",
    "2-3所",
    "其中幼儿园",
    "6030个、",
    "每县区",
    "1.5亿元",
    "1300万元",
    "万名",
    "十所",
    "2021年",
    "第24届",
    "100周年",
    "“十四五”",
    "“十百千万”工程",
    "《示例市行动计划（2017-2020年）》",
    "1+X",
    "5G",
    "示教发〔2021〕1号",
    "责任单位：",
    "牵头单位：",
    "；配合单位：",
    "市招办（市教育发展服务中心）",
    "、",
    "，",
    "。",
    "；",
    "（",
    "）",
    "(",
    ")",
    "\t",
    "  ",
    "……",
    "…………1",
    "6月底前",
    "年内",
    "第三季度",
    "到2025年",
    "指标",
    "单位",
    "2020年",
    "属性",
    "预期性",
    "约束性",
    "抄送：",
    "印发",
    "示例市教育局",
    "二〇二一年二月二十二日",
    "由35%提高到40%",
    "各县区",
    "余",
    "多",
    "％",
    "９５",
    "—",
    "-",
    "~",
    "至",
    "以下",
    "以内",
    "控制在",
    "**",
    "<b>",
    "#",
]
fragment = st.one_of(st.sampled_from(WORDS), st.text(max_size=6))
line = st.builds(
    lambda m, parts: m + "".join(parts), st.sampled_from(MARKERS), st.lists(fragment, max_size=8)
)
lines = st.lists(st.one_of(line, st.text(max_size=30)), max_size=30)


def _parse_or_error(ls: list[str]) -> Plan | None:
    try:
        plan = parse_plan(ls)
    except ParseError:
        return None
    assert isinstance(plan, Plan)
    return plan


@FAST
@given(lines)
def test_parse_plan_returns_a_plan_or_raises_parse_error(ls: list[str]) -> None:
    _parse_or_error(ls)


@FAST
@given(lines)
def test_normalized_lines_parse_too(ls: list[str]) -> None:
    _parse_or_error(normalize_lines(ls))


@FAST
@given(st.lists(st.text(max_size=40), max_size=20))
def test_parse_plan_on_arbitrary_unicode(ls: list[str]) -> None:
    _parse_or_error(ls)


@FAST
@given(st.one_of(st.text(), line))
def test_line_level_readers_never_raise(text: str) -> None:
    find_targets(text)
    find_deadline(text, 2024)
    find_deadline(text, None)
    match_marker(text)
    units_line(text)
    inline_units(text)
    split_units(text)


@FAST
@given(st.lists(line, max_size=12).map("\n".join))
def test_find_targets_never_raises_and_reads_from_the_text(text: str) -> None:
    for target in find_targets(text):
        assert target.text in text
        assert target.comparator in ("=", ">=", "<=", "≈", "between")
        assert (target.value_max is not None) == (target.comparator == "between")


def _roundtrip(plan: Plan) -> None:
    data = plan_to_dict(plan)
    again = plan_from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
    assert again == plan
    assert plan_to_dict(again) == data


@FAST
@given(lines)
def test_plan_json_roundtrip_on_whatever_parses(ls: list[str]) -> None:
    plan = _parse_or_error(ls)
    if plan is not None:
        _roundtrip(plan)


def test_plan_json_roundtrip_on_the_sample() -> None:
    _roundtrip(parse_plan(sample_lines()))


# a well-formed plan assembled from generated chapters and items, so the round trip sees full plans
_item = st.tuples(
    st.sampled_from(["加强党建", "扩大学位供给", "推进改革", "保障安全"]),
    st.lists(st.sampled_from(WORDS[:30]), max_size=6).map("".join),
    st.sampled_from(
        ["", "责任单位：基教科、人事科", "牵头单位：规划科；配合单位：财务科", "（责任单位：办公室）"]
    ),
    st.lists(
        st.sampled_from(["（1）开展试点。", "（2）组织培训。", "①完善制度；", "②健全机制。"]), max_size=2
    ),
)


@st.composite
def documents(draw: st.DrawFn) -> list[str]:
    out = [
        draw(
            st.sampled_from(
                ["示例市2024年教育工作要点", "示例县“十四五”教育发展规划", "2023年全市教育工作要点"]
            )
        )
    ]
    n = 0
    for c in range(draw(st.integers(1, 4))):
        out.append(f"{'一二三四'[c]}、{draw(st.sampled_from(['坚持党建引领', '提升教育质量', '强化保障']))}")
        for title, body, units, subs in draw(st.lists(_item, min_size=1, max_size=4)):
            n += 1
            out.append(f"{n}．{title}。{body}")
            out.extend(subs)
            if units:
                out.append(units)
    return out


@FAST
@given(documents())
def test_plan_json_roundtrip_on_generated_plans(doc: list[str]) -> None:
    plan = _parse_or_error(doc)
    if plan is not None:
        _roundtrip(plan)
