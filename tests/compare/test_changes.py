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


def test_only_the_few_tasks_that_stand_out_are_distinctive() -> None:
    """Two cities that share little wording: nearly every task of a plan is under the cosine bar, yet
    only its least alike (at most 15 %, at least three) are called distinctive (issue 15: 30 of 38)."""
    import math

    from eduplan.compare.changes import AT_LEAST, DISTINCT, SHARE
    from eduplan.compare.entries import Entry

    words = [
        "学前教育普惠发展",
        "义务教育优质均衡",
        "高中多样化发展",
        "职业教育产教融合",
        "教师队伍建设",
        "教育数字化转型",
        "学校体育工作",
        "心理健康教育",
        "劳动教育实践",
        "家校社协同育人",
    ]
    other = [
        "托幼服务体系",
        "城乡学校结对",
        "普通高中招生",
        "技能大赛组织",
        "人才引进计划",
        "智慧平台运维",
        "阳光体育联赛",
        "心理咨询热线",
        "农场实践活动",
        "家长学校课程",
    ]
    mine = [
        Entry(plan="甲", kind="item", section="一", number=str(i), title=w, text=f"推进{w}。")
        for i, w in enumerate(words)
    ]
    theirs = [
        Entry(
            plan="乙", kind="item", section="一", number=str(i), title=w, text=f"组织{w}，推进{w[:2]}工作。"
        )
        for i, w in enumerate(other)
    ]
    index = SimilarityIndex([*mine, *theirs])
    under_bar = [
        e for e in mine if not (m := index.most_similar(e, 1, use_topics=False)) or m[0].score < DISTINCT
    ]
    assert len(under_bar) == len(mine)  # a fixed bar alone would call the whole plan distinctive
    found = distinctive(index, "甲")
    assert 0 < len(found) <= max(AT_LEAST, math.ceil(SHARE * len(mine)))
    assert [d.score for d in found] == sorted(d.score for d in found)
