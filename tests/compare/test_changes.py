"""Two years of one city: carried over, dropped, new; and what is particular to one plan."""

from __future__ import annotations

from eduplan.compare import SimilarityIndex, all_entries, distinctive, year_over_year
from eduplan.domain import Plan


def test_tasks_carried_over_dropped_and_new(city_2023: Plan, city_2024: Plan) -> None:
    changes = year_over_year(city_2023, city_2024, ids=("2023", "2024"))
    pairs = [(c.before.title, c.after.title) for c in changes.carried]
    assert pairs == [
        ("加强劳动教育", "深化劳动教育"),
        ("关注学生心理健康", "关注学生心理健康"),
        ("扩大学位供给", "持续扩大学位供给"),
        ("做好课后服务", "提升课后服务质量"),
        ("加大教育经费投入", "加大教育经费投入"),
    ]
    assert [e.title for e in changes.dropped] == ["推广校园足球"]
    assert [e.title for e in changes.new] == ["开展人工智能教育"]
    assert changes.carried[0].before.plan == "2023" and changes.carried[0].after.plan == "2024"
    assert "劳动教育" in changes.carried[0].shared


def test_a_plan_compared_with_itself_carries_everything(city_2024: Plan) -> None:
    changes = year_over_year(city_2024, city_2024)
    assert len(changes.carried) == len(city_2024.tasks())
    assert not changes.dropped and not changes.new


def test_distinctive_tasks_have_nothing_like_them_elsewhere(three_plans: dict[str, Plan]) -> None:
    index = SimilarityIndex(all_entries(three_plans))
    found = distinctive(index, "样例市2024")
    titles = [d.entry.title for d in found]
    assert "开展人工智能教育" in titles
    assert "深化劳动教育" not in titles  # 样例市2023 and 样例县 write about it too
    assert [d.score for d in found] == sorted(d.score for d in found)
