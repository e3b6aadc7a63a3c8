"""The registry at scale: the generated fictional plans (`eduplan.samples.many_plans`) import as
distinct plans with the tasks and targets the parser reads, and every search path (trigram, bigram
index, plain scan) finds the same tasks as a substring test in Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduplan.db.engine import SessionFactory
from eduplan.samples import many_plans as mp
from eduplan.services import registry as reg
from eduplan.services.parse import parse_lines
from eduplan.services.registry.search import bigrams

PLANS = 12


@pytest.mark.parametrize("index", [0, 1, 49, 50, 333, 999])
def test_generated_plans_have_the_promised_size(index: int) -> None:
    plan = parse_lines(mp.plan_lines(index))
    tasks = [t for _, t in plan.tasks()]
    assert (len(plan.chapters), len(tasks)) == (mp.CHAPTERS_PER_PLAN, mp.TASKS_PER_PLAN)
    assert sum(len(t.targets) for t in tasks) == mp.TARGETS_PER_PLAN
    assert (plan.place, plan.year, plan.title) == (
        mp.place_of(index),
        mp.year_of(index),
        mp.plan_title(index),
    )
    assert all(t.units for t in tasks)


def test_generated_plans_are_distinct_and_reproducible() -> None:
    keys = {(mp.place_of(i), mp.year_of(i)) for i in range(1000)}
    assert len(keys) == 1000
    assert len({mp.plan_bytes(i) for i in range(100)}) == 100
    assert mp.plan_bytes(7) == mp.plan_bytes(7)


@pytest.fixture
def bulk(sessions: SessionFactory, tmp_path: Path) -> tuple[SessionFactory, list[list[str]]]:
    paths = mp.write_plans(tmp_path / "plans", PLANS)
    outcomes = reg.import_paths(sessions, [tmp_path / "plans"])
    assert [o.result.status for o in outcomes if o.result] == ["created"] * PLANS
    return sessions, [mp.plan_lines(i) for i in range(len(paths))]


def test_bulk_import_makes_one_plan_per_file(bulk: tuple[SessionFactory, list[list[str]]]) -> None:
    sessions, _ = bulk
    assert reg.list_plans(sessions, limit=100).total == PLANS
    assert reg.list_tasks(sessions, reg.TaskFilter()).total == PLANS * mp.TASKS_PER_PLAN
    assert reg.list_targets(sessions, reg.TaskFilter()).total == PLANS * mp.TARGETS_PER_PLAN
    for plan_id in (1, PLANS):
        document = reg.plan_document(sessions, plan_id)
        assert document["title"] == mp.plan_title(plan_id - 1)
        assert len([i for c in document["chapters"] for i in c["items"]]) == mp.TASKS_PER_PLAN


def _expected(texts: list[list[str]], terms: list[str]) -> int:
    """Tasks whose title or text contains every term (case-insensitively), counted in Python."""
    count = 0
    for lines in texts:
        for _, t in parse_lines(lines).tasks():
            words = f"{t.title}\n{t.text}".lower()
            count += all(term.lower() in words for term in terms)
    return count


@pytest.mark.parametrize(
    "q",
    ["学前", "双减", "智慧校园", "学前 普惠", "科", "%", "5%", "互联网+", "教育 覆盖率达到", "不存在的词"],
)
def test_every_search_path_finds_what_a_substring_test_finds(
    bulk: tuple[SessionFactory, list[list[str]]], q: str
) -> None:
    sessions, texts = bulk
    page = reg.search_tasks(sessions, q, limit=100)
    assert page.total == _expected(texts, q.split())
    assert len(page.items) == min(page.total, 100)
    listed = reg.list_tasks(sessions, reg.TaskFilter(q=q), limit=200)
    assert listed.total == page.total == len(listed.items)


def test_totals_are_right_on_every_page(bulk: tuple[SessionFactory, list[list[str]]]) -> None:
    sessions, _ = bulk
    everything = PLANS * mp.TASKS_PER_PLAN
    for offset in (0, 40, everything - 10, everything, everything + 50):
        page = reg.list_tasks(sessions, reg.TaskFilter(), limit=50, offset=offset)
        assert page.total == everything
        assert len(page.items) == max(0, min(50, everything - offset))


def test_bigrams_are_the_letter_and_digit_pairs() -> None:
    assert bigrams("学前教育，A1") == "a1 前教 学前 教育"
    assert bigrams("。") == ""
