"""The comparison use cases over the registry (services/compare): matrix and cells, similar tasks,
targets side by side, distinctive tasks, year-over-year changes and consistency checks, on the
fictional plans of samples/compare_plans.py imported into a real database."""

from __future__ import annotations

import pytest
from tests.compare_corpus import task_id

from eduplan.db.engine import SessionFactory
from eduplan.samples.compare_plans import import_compare_plans
from eduplan.services import compare
from eduplan.services.compare import Selection
from eduplan.services.compare.loading import load_corpus
from eduplan.services.errors import Invalid, NotFound


@pytest.fixture
def plans(sessions: SessionFactory) -> dict[str, int]:
    return import_compare_plans(sessions)


def test_matrix_counts_tasks_and_targets_per_plan_and_topic(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    m = compare.matrix(sessions, Selection())
    # by organisation, then year (a five-year plan by its first year), the same on every backend
    assert [p.label for p in m.plans] == ["样例县2024", "样例市2021–2025", "样例市2023", "样例市2024"]
    topics = [t.id for t in m.topics]
    assert "labor" in topics and "party" not in topics  # topics nobody has are left out
    row = next(r for r in m.rows if r.plan.id == plans["city2024"])
    labor = row.cells[topics.index("labor")]
    assert (labor.tasks, labor.targets) == (1, 1)  # 深化劳动教育: 实践基地15个
    assert row.tasks == 6 and row.tasks == sum(c.tasks for c in row.cells)
    county = next(r for r in m.rows if r.plan.id == plans["county"])
    assert county.cells[topics.index("labor")].tasks == 2  # 劳动教育提升行动 and 茶山研学
    # the five-year plan's indicator rows count as targets in the topic they read as
    five = next(r for r in m.rows if r.plan.id == plans["five_year"])
    assert five.cells[topics.index("preschool")].targets >= 1


def test_matrix_of_chosen_plans_keeps_their_order(sessions: SessionFactory, plans: dict[str, int]) -> None:
    m = compare.matrix(sessions, Selection((plans["county"], plans["city2023"])))
    assert [p.label for p in m.plans] == ["样例县2024", "样例市2023"]
    with pytest.raises(NotFound, match="找不到计划 999"):
        compare.matrix(sessions, Selection((plans["county"], 999)))


def test_a_cell_opens_the_tasks_of_every_plan_on_the_topic_with_targets(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    cell = compare.cell(sessions, Selection(), "labor")
    assert cell.topic.name == "劳动教育与实践"
    by_plan = {c.plan.id: [e.title for e in c.entries] for c in cell.columns}
    assert by_plan[plans["city2023"]] == ["加强劳动教育"]
    assert by_plan[plans["county"]] == ["实施劳动教育提升行动", "打造茶山研学品牌"]
    entry = next(c for c in cell.columns if c.plan.id == plans["city2024"]).entries[0]
    assert entry.task_id == task_id(sessions, plans["city2024"], "深化劳动教育")
    assert [t.text for t in entry.targets] == ["新建中小学劳动教育实践基地15个"]
    with pytest.raises(Invalid, match="未知的主题"):
        compare.cell(sessions, Selection(), "cooking")


def test_similar_tasks_come_from_other_plans_with_shared_phrases_marked(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    me = task_id(sessions, plans["city2024"], "深化劳动教育")
    found = compare.similar(sessions, Selection(), "item", me, 3)
    assert found.entry.title == "深化劳动教育"
    assert [m.entry.plan_id for m in found.matches] != [] and plans["city2024"] not in {
        m.entry.plan_id for m in found.matches
    }
    best = found.matches[0]
    assert (best.entry.plan, best.entry.title) == ("样例市2023", "加强劳动教育")
    assert "家务劳动清单" in best.shared
    assert "".join(s.text for s in best.segments) == best.entry.text  # segments rebuild the text
    assert "家务劳动清单" in [s.text for s in best.segments if s.shared]
    assert any(s.shared for s in found.segments)
    scores = [m.score for m in found.matches]
    assert scores == sorted(scores, reverse=True)


def test_similar_of_an_unknown_task_is_not_found(sessions: SessionFactory, plans: dict[str, int]) -> None:
    with pytest.raises(NotFound):
        compare.similar(sessions, Selection(), "item", 99999)
    with pytest.raises(Invalid):
        compare.similar(sessions, Selection(), "item", 1, 0)


def test_targets_side_by_side_in_base_units(sessions: SessionFactory, plans: dict[str, int]) -> None:
    view = compare.targets(sessions, Selection(), min_plans=2)
    funding = next(g for g in view.groups if g.name == "教育经费与投入：投入（金额）")
    values = {t.plan: (t.value, t.unit, t.base_value, t.base_unit) for t in funding.targets}
    assert values["样例市2023"] == (25, "亿元", 2_500_000_000, "元")
    assert values["样例市2024"] == (2.8, "亿元", 280_000_000, "元")
    assert all(len(g.plan_ids) >= 2 for g in view.groups)
    places = next(g for g in view.groups if g.kind == "places/学位/个")
    assert {plans["city2023"], plans["city2024"], plans["county"]} <= set(places.plan_ids)


def test_distinctive_tasks_are_what_no_other_plan_writes(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    view = compare.distinctive(sessions, plans["county"], Selection())
    titles = [d.entry.title for d in view.entries]
    assert "打造茶山研学品牌" in titles
    assert "实施劳动教育提升行动" not in titles  # other plans write 劳动教育实践基地 too
    assert plans["county"] not in {p.id for p in view.among}
    with pytest.raises(Invalid):
        compare.distinctive(sessions, plans["county"], Selection((plans["county"],)))


def test_year_over_year_of_one_city(sessions: SessionFactory, plans: dict[str, int]) -> None:
    changes = compare.year_changes(sessions, plans["city2024"])  # the year before is found
    assert (changes.before.label, changes.after.label) == ("样例市2023", "样例市2024")
    carried = {(c.before.title, c.after.title) for c in changes.carried}
    assert ("加强劳动教育", "深化劳动教育") in carried
    assert ("扩大学位供给", "持续扩大学位供给") in carried
    assert [e.title for e in changes.dropped] == ["推广校园足球"]
    assert [e.title for e in changes.new] == ["开展人工智能教育"]
    with pytest.raises(NotFound, match="更早年度"):
        compare.year_changes(sessions, plans["city2023"])


def test_consistency_findings_of_a_plan(sessions: SessionFactory, plans: dict[str, int]) -> None:
    view = compare.consistency(sessions, plans["five_year"])
    assert (view.errors, view.warnings) == (1, 1)
    first, second = view.findings
    assert (first.check_name, first.severity_name) == ("正文与指标表不一致", "错误")
    assert "93%" in first.message and "95" in first.message
    assert second.check_name == "目标低于基期" and "九年义务教育巩固率" in second.message
    assert compare.consistency(sessions, plans["city2024"]).findings == []


def test_org_selection_takes_the_organisation_and_below(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    m = compare.matrix(sessions, Selection())
    county = next(p for p in m.plans if p.id == plans["county"])
    only = compare.matrix(sessions, Selection(org_id=county.org_id))
    assert [p.id for p in only.plans] == [plans["county"]]
    with pytest.raises(NotFound):
        compare.matrix(sessions, Selection(org_id=9999))


def test_an_empty_registry_compares_nothing_and_big_selections_are_refused(
    sessions: SessionFactory,
) -> None:
    empty = compare.matrix(sessions, Selection())
    assert (empty.plans, empty.topics, empty.rows) == ([], [], [])
    import_compare_plans(sessions)
    with pytest.raises(Invalid, match="一次最多比较 2 个计划（所选 4 个）"):
        load_corpus(sessions, Selection(), limit=2)
