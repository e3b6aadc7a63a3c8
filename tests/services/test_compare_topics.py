"""Topics in the registry: stored at import with evidence, filtered on, corrected by staff (audited,
kept over a new version of the plan), and backfilled by migration 0005 for plans already there."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, func, select
from tests.compare_corpus import task_id
from tests.statements import statement_count

from eduplan.db.audit import AuditEntry
from eduplan.db.engine import SessionFactory
from eduplan.db.migrate import downgrade, upgrade
from eduplan.db.orgs import Organisation
from eduplan.db.topics import EntryTopic
from eduplan.samples.compare_plans import YANGLI_CITY_2024, YANGLI_FIVE_YEAR, import_compare_plans
from eduplan.samples.loop import World
from eduplan.services import compare
from eduplan.services.accounts import Principal
from eduplan.services.audit import entries_of_item
from eduplan.services.compare import Selection
from eduplan.services.errors import Conflict, Forbidden, Invalid
from eduplan.services.registry import (
    TaskFilter,
    get_task,
    import_document,
    list_projects,
    list_tasks,
    search_tasks,
)
from eduplan.services.registry.errors import NotFound
from eduplan.services.registry.topics import relabel_topics


@pytest.fixture
def plans(sessions: SessionFactory) -> dict[str, int]:
    return import_compare_plans(sessions)


def principal(sessions: SessionFactory, place: str, role: str = "office") -> Principal:
    with sessions() as s:
        org = s.scalars(select(Organisation).where(Organisation.name == place)).one()
        return Principal(None, f"{role}-{place}", role, org.id, org.path, None)


def test_import_stores_every_entrys_topics_with_evidence(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    me = task_id(sessions, plans["city2024"], "深化劳动教育")
    view = compare.entry_topics(sessions, "item", me)
    assert [t.id for t in view.topics][:1] == ["labor"]
    assert view.topics[0].name == "劳动教育与实践" and "劳动教育" in view.topics[0].evidence
    assert not view.topics[0].corrected and view.corrections == []
    project = list_projects(sessions, plans["five_year"]).items[1]
    labels = compare.entry_topics(sessions, "project", project.id).topics
    assert labels[0].id == "preschool"  # 实验幼儿园分园建设项目
    with sessions() as s:
        tasks = sum(len(list_tasks(sessions, TaskFilter(plan_id=p)).items) for p in plans.values())
        labelled = s.scalar(select(func.count(func.distinct(EntryTopic.task_id))))
    assert labelled == tasks


def test_tasks_filter_by_topic(sessions: SessionFactory, plans: dict[str, int]) -> None:
    labor = list_tasks(sessions, TaskFilter(topic="labor")).items
    assert {t.title for t in labor} >= {"加强劳动教育", "深化劳动教育", "打造茶山研学品牌"}
    assert all("足球" not in t.title for t in labor)
    county = list_tasks(sessions, TaskFilter(plan_id=plans["county"], topic="pe")).items
    assert [t.title for t in county] == ["推进阳光体育运动"]
    assert list_tasks(sessions, TaskFilter(topic="ethnic")).items == []


def test_office_staff_correct_a_task_and_the_correction_wins(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    me = task_id(sessions, plans["county"], "打造茶山研学品牌")
    office = principal(sessions, "样例县")
    view = compare.correct_topics(sessions, office, "item", me, ["labor", "moral"])
    assert [t.id for t in view.topics] == ["labor", "moral"]
    assert all(t.corrected for t in view.topics)
    assert view.topics[0].evidence[0] == "人工校正：office-样例县"
    (correction,) = view.corrections
    assert correction.username == "office-样例县"
    assert [t.id for t in correction.before] == ["labor"] and [t.id for t in correction.after] == [
        "labor",
        "moral",
    ]
    with sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "correct_topics")).one()
    assert (entry.entity, entry.entity_id, entry.before, entry.after) == (
        "task",
        me,
        {"topics": ["labor"]},
        {"topics": ["labor", "moral"]},
    )
    # the comparison and the task filter see the corrected labels at once
    cell = compare.cell(sessions, Selection(), "moral", secondary=True)
    assert [e.title for c in cell.columns for e in c.entries] == ["打造茶山研学品牌"]
    assert [t.title for t in list_tasks(sessions, TaskFilter(topic="moral")).items] == ["打造茶山研学品牌"]


def test_only_office_staff_in_scope_may_correct(sessions: SessionFactory, plans: dict[str, int]) -> None:
    me = task_id(sessions, plans["county"], "建设智慧校园")
    for role in ("viewer", "leader", "reporter"):
        with pytest.raises(Forbidden):
            compare.correct_topics(sessions, principal(sessions, "样例县", role), "item", me, ["digital"])
    with pytest.raises(Forbidden, match="本机构"):
        compare.correct_topics(sessions, principal(sessions, "样例市"), "item", me, ["digital"])
    admin = Principal(None, "root", "admin", None, None, None)
    assert [t.id for t in compare.correct_topics(sessions, admin, "item", me, ["resources"]).topics] == [
        "resources"
    ]
    assert compare.entry_topics(sessions, "item", me).corrections[0].username == "root"


@pytest.mark.parametrize(
    ("topics", "message"),
    [
        ([], "至少"),
        (["cooking"], "未知的主题"),
        (["labor", "labor"], "重复"),
        (["pe", "arts", "health", "labor"], "最多"),
    ],
)
def test_invalid_corrections_are_refused(
    sessions: SessionFactory, plans: dict[str, int], topics: list[str], message: str
) -> None:
    me = task_id(sessions, plans["county"], "建设智慧校园")
    with pytest.raises(Invalid, match=message):
        compare.correct_topics(sessions, principal(sessions, "样例县"), "item", me, topics)
    assert compare.entry_topics(sessions, "item", me).corrections == []


def test_a_task_correction_survives_a_revised_version(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    me = task_id(sessions, plans["city2024"], "开展人工智能教育")
    compare.correct_topics(sessions, principal(sessions, "样例市"), "item", me, ["teaching", "digital"])
    revised = YANGLI_CITY_2024.replace(
        "3.开展人工智能教育。在全市中小学开设人工智能课程",
        "3.开展人工智能教育。在全市中小学普遍开设人工智能课程",
    )
    result = import_document(sessions, revised.encode("utf-8"), "样例市2024年教育工作要点（修订）.txt")
    assert (result.status, result.plan_id, result.version) == ("revised", plans["city2024"], 2)
    again = task_id(sessions, plans["city2024"], "开展人工智能教育")  # the task of version 2
    assert again != me
    view = compare.entry_topics(sessions, "item", again)
    assert [t.id for t in view.topics] == ["teaching", "digital"] and view.topics[0].corrected
    assert len(view.corrections) == 1  # the history follows the tracked task
    cell = compare.cell(sessions, Selection((plans["city2024"],)), "teaching")
    assert [e.task_id for e in cell.columns[0].entries] == [again]


def test_a_project_correction_survives_a_revised_version(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    project = list_projects(sessions, plans["five_year"]).items[0]
    assert project.title == "样例市第二高级中学新校区建设项目"
    compare.correct_topics(sessions, principal(sessions, "样例市"), "project", project.id, ["highschool"])
    revised = YANGLI_FIVE_YEAR.replace("新增学位3000个。", "新增学位3200个。")
    result = import_document(sessions, revised.encode("utf-8"), "样例市十四五规划（修订）.txt")
    assert result.status == "revised"
    latest = list_projects(sessions, plans["five_year"]).items[0]
    assert latest.id != project.id
    view = compare.entry_topics(sessions, "project", latest.id)
    assert [t.id for t in view.topics] == ["highschool"] and view.topics[0].corrected
    assert [[t.id for t in c.after] for c in view.corrections] == [["highschool"]]


def test_migration_backfills_topics_of_plans_already_registered(
    engine: Engine, sessions: SessionFactory, plans: dict[str, int]
) -> None:
    def stored() -> list[tuple[int | None, int | None, int, str]]:
        with sessions() as s:
            rows = s.execute(
                select(EntryTopic.task_id, EntryTopic.project_id, EntryTopic.rank, EntryTopic.topic).order_by(
                    EntryTopic.task_id, EntryTopic.project_id, EntryTopic.rank
                )
            )
            return [tuple(r) for r in rows]  # type: ignore[misc]

    at_import = stored()
    assert at_import
    with sessions.begin() as s:
        s.execute(delete(EntryTopic))
    downgrade(engine, "0004")  # later migrations come and go with it
    upgrade(engine)
    assert stored() == at_import
    compare.clear_cache()
    assert compare.matrix(sessions, Selection()).rows


def test_a_correction_made_on_stale_topics_is_refused(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    me = task_id(sessions, plans["county"], "推进阳光体育运动")
    first = principal(sessions, "样例县")
    second = Principal(None, "li", "office", first.org_id, first.org_path, None)
    seen = [t.id for t in compare.entry_topics(sessions, "item", me).topics]
    compare.correct_topics(sessions, first, "item", me, ["pe", "health"], expected=seen)
    with pytest.raises(Conflict, match="已被 office-样例县 改为“体育、学生健康”"):
        compare.correct_topics(sessions, second, "item", me, ["health"], expected=seen)
    assert [t.id for t in compare.entry_topics(sessions, "item", me).topics] == ["pe", "health"]


def test_a_correction_shows_in_the_audit_trail_of_the_tracked_work_item(
    sessions: SessionFactory, world: World
) -> None:
    item_id = world.items["1"]
    task = list_tasks(sessions, TaskFilter(plan_id=world.plan_id)).items[0]
    office = principal(sessions, "示例市")
    compare.correct_topics(sessions, office, "item", task.id, ["resources", "preschool"])
    with sessions() as s:
        trail = entries_of_item(s, item_id)
    entry = trail[-1]
    assert (entry.action, entry.entity, entry.entity_id) == ("correct_topics", "task", task.id)
    assert entry.after == {"topics": ["resources", "preschool"]}


def test_listed_tasks_carry_their_topics_primary_first_with_the_corrected_flag(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    me = task_id(sessions, plans["county"], "打造茶山研学品牌")
    (listed,) = [t for t in list_tasks(sessions, TaskFilter(plan_id=plans["county"])).items if t.id == me]
    assert [(t.id, t.name, t.corrected) for t in listed.topics][:1] == [("labor", "劳动教育与实践", False)]
    compare.correct_topics(sessions, principal(sessions, "样例县"), "item", me, ["moral", "labor"])
    (found,) = list_tasks(sessions, TaskFilter(topic="moral")).items
    assert [(t.id, t.corrected) for t in found.topics] == [("moral", True), ("labor", True)]
    assert get_task(sessions, me).topics == found.topics
    (hit,) = search_tasks(sessions, "茶山研学").items
    assert [t.id for t in hit.task.topics] == ["moral", "labor"]


@pytest.mark.parametrize("bounded", [True, False])
def test_a_page_of_tasks_reads_its_topics_in_one_query_whatever_its_size(
    engine: Engine, sessions: SessionFactory, plans: dict[str, int], bounded: bool
) -> None:
    largest = max(plans.values(), key=lambda p: list_tasks(sessions, TaskFilter(plan_id=p)).total)
    f = TaskFilter(plan_id=largest) if bounded else TaskFilter()
    list_tasks(sessions, f, limit=1)  # the order of an unbounded list is memoized on first use
    one = statement_count(engine, lambda: list_tasks(sessions, f, limit=1))
    page = list_tasks(sessions, f, limit=100)
    assert len(page.items) >= 5 and all(t.topics for t in page.items)
    assert statement_count(engine, lambda: list_tasks(sessions, f, limit=100)) == one


def _make_stale(sessions: SessionFactory, task: int, topic: str) -> None:
    """What an older lexicon left: the stored labels of a task that today's classifier would not give."""
    with sessions.begin() as s:
        s.execute(delete(EntryTopic).where(EntryTopic.task_id == task, EntryTopic.rank > 0))
        row = s.scalars(select(EntryTopic).where(EntryTopic.task_id == task)).one()
        row.topic, row.evidence = topic, ["旧词表"]


def test_relabelling_after_import_changes_nothing(sessions: SessionFactory, plans: dict[str, int]) -> None:
    with sessions() as s:
        before = s.execute(select(EntryTopic.id, EntryTopic.topic).order_by(EntryTopic.id)).all()
    done = relabel_topics(sessions)
    assert (done.versions, done.changed, done.kept) == (len(plans), 0, 0)
    assert done.entries > 20
    with sessions() as s:  # not even rewritten
        assert s.execute(select(EntryTopic.id, EntryTopic.topic).order_by(EntryTopic.id)).all() == before


def test_relabelling_replaces_stale_labels_and_keeps_corrections(
    sessions: SessionFactory, plans: dict[str, int]
) -> None:
    stale = task_id(sessions, plans["county"], "推进阳光体育运动")
    corrected = task_id(sessions, plans["county"], "打造茶山研学品牌")
    other_plan = task_id(sessions, plans["city2024"], "深化劳动教育")
    compare.correct_topics(sessions, principal(sessions, "样例县"), "item", corrected, ["arts"])
    _make_stale(sessions, stale, "ethnic")
    _make_stale(sessions, other_plan, "ethnic")
    assert compare.matrix(sessions, Selection()).rows  # the comparison cached with the stale labels
    done = relabel_topics(sessions, plans["county"])
    assert (done.versions, done.changed, done.kept) == (1, 1, 1)
    assert get_task(sessions, stale).topics[0].id == "pe"
    assert [(t.id, t.corrected) for t in get_task(sessions, corrected).topics] == [("arts", True)]
    assert [t.id for t in get_task(sessions, other_plan).topics] == ["ethnic"]  # not that plan
    assert list_tasks(sessions, TaskFilter(plan_id=plans["county"], topic="ethnic")).items == []
    cell = compare.cell(sessions, Selection((plans["county"],)), "pe")
    assert stale in [e.task_id for c in cell.columns for e in c.entries]
    assert relabel_topics(sessions).changed == 1  # the other plan, on a run over every plan
    with pytest.raises(NotFound):
        relabel_topics(sessions, 9999)
