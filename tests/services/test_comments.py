"""Comments (评论) on a work item: who may read and write them (the item's scope, not viewers),
their length, the audit trail and the inbox notices they send."""

from __future__ import annotations

import pytest
from tests.people import person

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import tracking
from eduplan.services.errors import Forbidden, Invalid, NotFound
from eduplan.services.loop.comments import add_comment
from eduplan.services.notify.inbox import list_inbox
from eduplan.services.tracking.comments import list_comments


def test_office_and_units_reporters_comment_and_read_in_order(sessions: SessionFactory, world: World) -> None:
    office = person(world, "office", "office")
    jichu = person(world, "jichu", "reporter", "基础教育科")
    item = world.items["1"]  # 发展规划科、基础教育科
    first = add_comment(sessions, office, item, "  请于本月底前报送开工情况  ")
    second = add_comment(sessions, jichu, item, "已开工3个，其余6月开工")
    assert first.body == "请于本月底前报送开工情况" and first.unit_name is None
    assert (second.username, second.role, second.unit_name) == ("jichu", "reporter", "基础教育科")
    leader = person(world, "leader", "leader")
    seen = list_comments(sessions, leader, item)
    assert [c.body for c in seen] == ["请于本月底前报送开工情况", "已开工3个，其余6月开工"]
    assert add_comment(sessions, leader, item, "同意").role == "leader"  # leaders may comment too
    viewer = person(world, "viewer", "viewer")
    assert len(list_comments(sessions, viewer, item)) == 3  # a viewer reads …
    with pytest.raises(Forbidden, match="只读用户"):  # … but does not write
        add_comment(sessions, viewer, item, "我也说一句")
    assert len(list_comments(sessions, office, item)) == 3


def test_a_reporter_of_another_unit_neither_reads_nor_writes(sessions: SessionFactory, world: World) -> None:
    office = person(world, "office", "office")
    caiwu = person(world, "caiwu", "reporter", "计划财务科")
    item = world.items["1"]
    add_comment(sessions, office, item, "内部意见")
    with pytest.raises(NotFound):
        list_comments(sessions, caiwu, item)
    with pytest.raises(NotFound):
        add_comment(sessions, caiwu, item, "路过")
    assert [c.body for c in list_comments(sessions, office, item)] == ["内部意见"]
    with pytest.raises(NotFound):
        add_comment(sessions, office, 999_999, "没有这项任务")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("", "请填写评论内容"),
        ("   \n ", "请填写评论内容"),
        ("字" * 2001, "不能超过 2000 个字符（现有 2001 个）"),
    ],
)
def test_empty_or_too_long_comments_are_refused(
    sessions: SessionFactory, world: World, body: str, problem: str
) -> None:
    office = person(world, "office", "office")
    with pytest.raises(Invalid, match=problem.replace("（", r"\（").replace("）", r"\）")):
        add_comment(sessions, office, world.items["1"], body)
    assert list_comments(sessions, office, world.items["1"]) == []


def test_exactly_2000_characters_is_accepted(sessions: SessionFactory, world: World) -> None:
    office = person(world, "office", "office")
    assert len(add_comment(sessions, office, world.items["1"], "字" * 2000).body) == 2000


def test_a_comment_is_audited_and_notifies_the_units_reporters_and_office(
    sessions: SessionFactory, world: World
) -> None:
    jichu = person(world, "jichu", "reporter", "基础教育科")
    made = add_comment(sessions, jichu, world.items["1"], "请协调用地手续")
    trail = tracking.item_audit(sessions, person(world, "office", "office"), world.items["1"])
    entry = next(e for e in trail if e.entity == "comment")
    assert (entry.action, entry.entity_id, entry.username) == ("comment", made.id, "jichu")
    assert entry.after == {"body": "请协调用地手续"}
    for name, role, unit in (
        ("guihua", "reporter", "发展规划科"),
        ("office", "office", None),
        ("admin2", "office", None),
    ):
        notices = list_inbox(sessions, person(world, name, role, unit))
        assert any(
            n.kind == "comment" and "请协调用地手续" in n.title and n.item_id == world.items["1"]
            for n in notices
        ), name
    for name, role, unit in (("jichu", "reporter", "基础教育科"), ("caiwu", "reporter", "计划财务科")):
        notices = list_inbox(sessions, person(world, name, role, unit))
        assert not any(n.kind == "comment" for n in notices), name  # not its author, not another unit
