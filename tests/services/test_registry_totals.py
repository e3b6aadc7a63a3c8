"""What the registry's read speed-ups must not change: every page, total and ranking is the one a
plain reading of the registry gives, also after an import changes it (the memoized totals and
rankings are recomputed), and the stored has-target flag says what the targets say."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from eduplan.db.engine import SessionFactory
from eduplan.db.targets import Target
from eduplan.db.tasks import Task, TaskUnit
from eduplan.samples import many_plans as mp
from eduplan.services import registry as reg
from eduplan.services.registry.memo import Memo

PLANS = 6
UNIT = "教师工作科"


@pytest.fixture
def registry(sessions: SessionFactory, tmp_path: Path) -> SessionFactory:
    mp.write_plans(tmp_path / "plans", PLANS)
    reg.import_paths(sessions, [tmp_path / "plans"])
    return sessions


def _all(sessions: SessionFactory, f: reg.TaskFilter) -> list[reg.views.TaskView]:
    return reg.list_tasks(sessions, f, limit=1000).items


def test_flag_matches_the_targets(registry: SessionFactory, sample_bytes: bytes) -> None:
    reg.import_document(registry, sample_bytes, "示例.txt")
    with registry() as s:
        flagged = set(s.scalars(select(Task.id).where(Task.has_target)))
        with_targets = set(s.scalars(select(Target.task_id).where(Target.kind == "target")))
        every = set(s.scalars(select(Task.id)))
    assert flagged == with_targets
    assert every - flagged, "the sample plan has tasks without a target"
    listed = {t.id for t in _all(registry, reg.TaskFilter(has_target=True))}
    unlisted = {t.id for t in _all(registry, reg.TaskFilter(has_target=False))}
    assert (listed, unlisted) == (flagged, every - flagged)
    assert all(t.targets for t in _all(registry, reg.TaskFilter(has_target=True)))


@pytest.mark.parametrize("limit", [1, 3, 7, 50])
def test_unit_pages_are_the_plain_reading_in_document_order(registry: SessionFactory, limit: int) -> None:
    """Small pages make SQLite read tasks in order and test them against the unit's links, large
    ones read the links: both must give the same pages."""
    with registry() as s:
        linked = set(
            s.scalars(select(TaskUnit.task_id).join(TaskUnit.unit).where(TaskUnit.unit.has(name=UNIT)))
        )
    ordered = [t.id for t in _all(registry, reg.TaskFilter()) if t.id in linked]
    assert len(ordered) > 10
    f = reg.TaskFilter(unit=UNIT)
    pages = [reg.list_tasks(registry, f, limit=limit, offset=o) for o in range(0, len(ordered), limit)]
    assert [t.id for p in pages for t in p.items] == ordered
    assert {p.total for p in pages} == {len(ordered)}
    assert all(UNIT in t.units + t.lead_units + t.support_units for p in pages for t in p.items)


def test_a_unit_of_one_organisation(registry: SessionFactory) -> None:
    plans = reg.list_plans(registry).items
    org_id = plans[0].org_id
    mine = reg.list_tasks(registry, reg.TaskFilter(org_id=org_id, unit=UNIT), limit=1000)
    everyone = _all(registry, reg.TaskFilter(unit=UNIT))
    own_plans = {p.id for p in plans if p.org_id == org_id}
    assert mine.total > 0
    assert [t.id for t in mine.items] == [t.id for t in everyone if t.plan_id in own_plans]


def test_totals_and_rankings_follow_an_import(registry: SessionFactory) -> None:
    f = reg.TaskFilter(unit=UNIT, has_target=True)
    before = reg.list_tasks(registry, f, limit=2)
    search_before = reg.search_tasks(registry, "学前", limit=2)
    assert before.total > 2 and search_before.total > 2  # full pages: the totals are counted
    assert reg.list_tasks(registry, f, limit=2).total == before.total  # memoized, same answer

    reg.import_document(registry, mp.plan_bytes(PLANS), f"plan-{PLANS}.txt")
    after = reg.list_tasks(registry, f, limit=2)
    assert after.total == len(_all(registry, f)) > before.total
    search_after = reg.search_tasks(registry, "学前", limit=1000)
    whole = [h.task.id for h in search_after.items]
    assert search_after.total == len(whole) > search_before.total
    pages = [reg.search_tasks(registry, "学前", limit=3, offset=o).items for o in range(0, len(whole), 3)]
    assert [h.task.id for page in pages for h in page] == whole
    scores = [h.score for h in search_after.items]
    assert scores == sorted(scores, reverse=True)


def test_memo_keeps_the_most_recent_within_its_bound(registry: SessionFactory) -> None:
    memo = Memo(max_weight=5)
    computed: list[str] = []

    def value(name: str, size: int) -> list[int]:
        computed.append(name)
        return list(range(size))

    with registry() as s:
        seen = memo.at(s.connection())
        seen.get("a", lambda: value("a", 2))
        seen.get("b", lambda: value("b", 2))  # a (3) + b (3) > 5: a goes
        seen.get("b", lambda: value("b", 2))
        seen.get("a", lambda: value("a", 2))
        seen.get("huge", lambda: value("huge", 10))  # larger than the bound: never kept
        seen.get("huge", lambda: value("huge", 10))
        seen.get("off", lambda: value("off", 1), enabled=False)
        seen.get("off", lambda: value("off", 1), enabled=False)
    assert computed == ["a", "b", "a", "huge", "huge", "off", "off"]
