"""Reading the registry: filters, stable pagination, search (down to two Chinese characters)."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.db.engine import SessionFactory
from eduplan.services import registry as reg
from eduplan.services.parse import parse_lines
from eduplan.services.registry.search import fragment
from eduplan.services.registry.views import Page, TaskView


@pytest.fixture
def loaded(sessions: SessionFactory, sample_bytes: bytes, revised_bytes: bytes) -> SessionFactory:
    reg.import_document(sessions, sample_bytes, "v1.txt")
    reg.import_document(sessions, revised_bytes, "v2.txt")
    return sessions


def numbers(page: Page[TaskView]) -> list[str]:
    return [t.number for t in page.items]


def test_tasks_show_the_latest_version_unless_asked(loaded: SessionFactory) -> None:
    latest = reg.list_tasks(loaded, reg.TaskFilter(q="家庭教育"))
    assert numbers(latest) == ["11"] and latest.items[0].version == 2
    first = reg.list_tasks(loaded, reg.TaskFilter(plan_id=1, version=1, q="家庭教育"))
    assert first.total == 0
    assert reg.list_tasks(loaded, reg.TaskFilter(plan_id=1, version=1)).total == 11


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (reg.TaskFilter(chapter="二"), ["4", "5", "6"]),
        (reg.TaskFilter(unit="计划财务科"), ["7", "9"]),
        (reg.TaskFilter(chapter="一", has_target=True), ["1", "2", "3"]),
        (reg.TaskFilter(q="学前"), ["2"]),
        (reg.TaskFilter(q="师德 检查"), ["4"]),
    ],
)
def test_task_filters(loaded: SessionFactory, f: reg.TaskFilter, expected: list[str]) -> None:
    assert numbers(reg.list_tasks(loaded, f)) == expected


def test_pages_are_stable_and_complete(loaded: SessionFactory) -> None:
    whole = reg.list_tasks(loaded, reg.TaskFilter(), sort="deadline", limit=100)
    pages = [reg.list_tasks(loaded, reg.TaskFilter(), sort="deadline", limit=4, offset=o) for o in (0, 4, 8)]
    assert [t.id for p in pages for t in p.items] == [t.id for t in whole.items]
    assert all(p.total == 11 for p in pages)
    deadlines = [t.deadline for t in whole.items if t.deadline]
    assert deadlines == sorted(deadlines)
    assert whole.items[-1].deadline is None  # no deadline sorts last


def test_deadline_range(loaded: SessionFactory, revised_plan_lines: list[str]) -> None:
    start, end = date(2024, 6, 1), date(2024, 10, 31)
    page = reg.list_tasks(loaded, reg.TaskFilter(deadline_from=start, deadline_to=end), limit=100)
    expected = [
        t.number
        for _, t in parse_lines(revised_plan_lines).tasks()
        if t.deadline and start <= t.deadline <= end
    ]
    assert expected and numbers(page) == expected


@pytest.mark.parametrize(("q", "first"), [("学前", "2"), ("幼儿园", "1"), ("双减", None), ("师德", "4")])
def test_search_ranks_and_marks(loaded: SessionFactory, q: str, first: str | None) -> None:
    page = reg.search_tasks(loaded, q)
    if first is None:
        assert page.total == 0 and page.items == []
        return
    hit = page.items[0]
    assert hit.task.number == first
    assert q in hit.fragment.text
    a, b = hit.fragment.marks[0]
    assert hit.fragment.text[a:b] == q
    assert f"<mark>{q}</mark>" in hit.fragment.html
    scores = [h.score for h in page.items]
    assert scores == sorted(scores, reverse=True)


def test_fragment_cuts_the_body_around_the_match() -> None:
    body = "甲" * 100 + "双减" + "乙" * 200
    f = fragment("标题", body, ["双减"])
    assert f.field == "text" and f.text.startswith("…") and f.text.endswith("…")
    assert f.html.count("<mark>") == 1 and len(f.text) < 130


def test_targets_indicators_and_projects(loaded: SessionFactory) -> None:
    targets = reg.list_targets(loaded, reg.TaskFilter(plan_id=1))
    assert targets.items[0].subject == "新增学位" and [p.label for p in targets.items[0].parts] == [
        "幼儿园",
        "小学",
    ]
    tables = reg.list_indicator_tables(loaded, plan_id=1)
    assert tables.total == 1 and tables.items[0].rows[0].values == {"2023": 2800, "2024": 3200}
    assert reg.list_projects(loaded).total == 0


def test_missing_things_raise_not_found(loaded: SessionFactory) -> None:
    for call in (
        lambda: reg.plan_document(loaded, 99),
        lambda: reg.plan_document(loaded, 1, 3),
        lambda: reg.get_task(loaded, 10_000),
        lambda: reg.get_org(loaded, 99),
        lambda: reg.get_unit(loaded, 999),
    ):
        with pytest.raises(reg.NotFound):
            call()
