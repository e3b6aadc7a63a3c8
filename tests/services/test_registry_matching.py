"""Task matching between editions (pure)."""

from __future__ import annotations

import pytest

from eduplan.services.registry.matching import TaskText, match_tasks

A = TaskText("1", "加快中小学幼儿园建设", "实施学位扩容攻坚行动，新增学位3200个。")
B = TaskText("2", "推进学前教育普及普惠", "落实普惠性民办幼儿园认定和扶持政策。")
C = TaskText("3", "加强师德师风建设", "开展师德师风专项检查，对违规行为零容忍。")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ([A, B, C], [A, B, C], {0: 0, 1: 1, 2: 2}),
        # reworded under the same number
        ([A, B], [A, TaskText("2", B.title, "落实普惠性民办幼儿园认定、扶持和监管政策。")], {0: 0, 1: 1}),
        # renumbered after a removal: matched by text
        ([A, B, C], [TaskText("1", B.title, B.text), TaskText("2", C.title, C.text)], {0: 1, 1: 2}),
        # same number, different work: not a match
        ([A], [TaskText("1", "建设家校社协同育人机制", "成立市级家庭教育指导中心。")], {}),
        # moved with light edits
        ([A, B, C], [C, TaskText("9", A.title, A.text + "年内完成。")], {0: 2, 1: 0}),
        ([], [A], {}),
        ([A], [], {}),
    ],
)
def test_match_tasks(old: list[TaskText], new: list[TaskText], expected: dict[int, int]) -> None:
    assert match_tasks(old, new) == expected


def test_identical_tasks_pair_one_to_one() -> None:
    assert match_tasks([A, A], [A, A]) == {0: 0, 1: 1}
