"""Similar tasks in other plans, with the phrases they share."""

from __future__ import annotations

import pytest

from eduplan.compare import SimilarityIndex, all_entries
from eduplan.compare.entries import Entry
from eduplan.compare.shingles import bigrams, highlight_spans, shared_phrases
from eduplan.domain import Plan


def _by_title(index: SimilarityIndex, plan: str, title: str) -> Entry:
    return next(e for e in index.entries if e.plan == plan and e.title == title)


def test_the_closest_task_elsewhere_is_on_the_same_subject(three_plans: dict[str, Plan]) -> None:
    index = SimilarityIndex(all_entries(three_plans))
    query = _by_title(index, "样例县2024", "实施劳动教育提升行动")
    found = index.most_similar(query, 3)
    assert {m.entry.plan for m in found[:2]} == {"样例市2023", "样例市2024"}
    assert all(m.entry.topics[0] == "labor" for m in found[:2])
    assert "劳动教育实践基地" in found[0].shared
    assert all(m.entry.plan != "样例县2024" for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_within_one_plan_and_text_alone(three_plans: dict[str, Plan]) -> None:
    index = SimilarityIndex(all_entries(three_plans))
    query = _by_title(index, "样例市2024", "持续扩大学位供给")
    found = index.most_similar(query, 1, within="样例市2023", use_topics=False)
    assert found[0].entry.title == "扩大学位供给"
    assert found[0].score > 0.5


def test_a_query_not_in_the_index_is_read_against_it(three_plans: dict[str, Plan]) -> None:
    index = SimilarityIndex(all_entries(three_plans))
    outsider = Entry(
        plan="别处",
        kind="item",
        section="一",
        number="1",
        title="建设智慧校园",
        text="建设教育数据中心和智慧校园。",
        topics=("digital",),
    )
    assert index.most_similar(outsider, 1)[0].entry.title == "建设智慧校园"


def test_nothing_in_common_finds_nothing() -> None:
    index = SimilarityIndex(
        [Entry(plan="甲", kind="item", section="一", number="1", title="甲乙丙丁", text="甲乙丙丁。")]
    )
    assert (
        index.most_similar(
            Entry(plan="乙", kind="item", section="一", number="1", title="戊己庚辛", text="戊己庚辛。"), 3
        )
        == []
    )


def test_bigrams_stay_inside_runs_of_chinese() -> None:
    assert bigrams("劳动教育，2024年：研学") == ["劳动", "动教", "教育", "研学"]


def test_shared_phrases_are_the_longest_common_runs() -> None:
    other = set(bigrams("建设劳动教育实践基地"))
    assert shared_phrases("新建劳动教育实践基地15个", other) == ["劳动教育实践基地"]


@pytest.mark.parametrize(
    ("text", "other", "shared"),
    [
        ("扩大普惠性资源供给", "提高普惠性资源覆盖面", ["普惠性资源"]),  # not 性资 cut from another run
        ("完善学校治理和评价", "推进学校治理和监督", ["学校治理"]),  # not 治理和
        ("新建劳动教育实践基地", "建设劳动教育实践基地", ["劳动教育实践基地"]),
    ],
)
def test_shared_phrases_do_not_start_or_end_inside_a_word(text: str, other: str, shared: list[str]) -> None:
    assert shared_phrases(text, set(bigrams(other))) == shared


def test_highlight_spans_are_disjoint_and_prefer_long_phrases() -> None:
    text = "劳动教育实践基地和劳动教育"
    assert highlight_spans(text, ["劳动教育", "劳动教育实践基地"]) == [(0, 8), (9, 13)]
