"""Staff corrections: applied to a copy, found again in a renumbered revision, refused when unknown."""

from __future__ import annotations

import pytest

from eduplan.services.parse import parse_lines
from eduplan.topics import CORRECTED, TopicCorrection, apply_correction, apply_corrections

LINES = """示例市2024年教育工作要点
一、落实立德树人根本任务
1.推进综合实践活动。组织学生走进农场和工厂，开展研学实践。
2.加强体育工作。推广校园足球。
二、强化保障
3.加大经费投入。落实生均公用经费。
""".splitlines()


def correction(**changes: object) -> TopicCorrection:
    fields: dict[str, object] = {
        "kind": "item",
        "section": "一",
        "number": "1",
        "title": "推进综合实践活动",
        "primary": "labor",
        "secondary": ("moral",),
        "by": "基础教育科",
    }
    return TopicCorrection(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_correction_replaces_the_labels_of_a_copy() -> None:
    plan = parse_lines(LINES)
    before = list(plan.chapters[0].items[0].topics)
    corrected = apply_correction(plan, correction())
    labels = corrected.chapters[0].items[0].topics
    assert [x.id for x in labels] == ["labor", "moral"]
    assert labels[0].score == 1.0
    assert labels[0].evidence[0] == f"{CORRECTED}：基础教育科"
    assert plan.chapters[0].items[0].topics == before  # the plan given is untouched
    assert corrected.chapters[0].items[1] is plan.chapters[0].items[1]


def test_a_correction_finds_its_task_in_a_renumbered_revision() -> None:
    revised = parse_lines(
        [LINES[0], LINES[1], "1.加强党建。落实三会一课。", *[_renumber(x) for x in LINES[2:]]]
    )
    corrected, missing = apply_corrections(revised, [correction()])
    assert missing == []
    task = corrected.chapters[0].items[1]
    assert (task.number, task.topics[0].id) == ("2", "labor")


def _renumber(line: str) -> str:
    return {"1": "2", "2": "3", "3": "4"}.get(line[:1], line[:1]) + line[1:] if line[:1].isdigit() else line


def test_a_correction_whose_task_is_gone_comes_back_unapplied() -> None:
    plan = parse_lines(LINES)
    gone = correction(title="开展研学旅行")
    corrected, missing = apply_corrections(plan, [gone])
    assert missing == [gone]
    assert corrected.chapters == plan.chapters
    with pytest.raises(LookupError):
        apply_correction(plan, gone)


@pytest.mark.parametrize(
    "changes",
    [{"primary": "sports"}, {"secondary": ("labor",)}, {"secondary": ("pe", "arts", "moral")}],
    ids=["unknown topic", "primary repeated", "three secondary"],
)
def test_a_correction_with_bad_topics_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        correction(**changes)


def test_a_key_project_can_be_corrected_too() -> None:
    lines = [
        "示例市“十四五”教育发展规划",
        "一、落实立德树人根本任务",
        "（一）加强新时代劳动教育",
        "建设劳动教育实践基地。",
        "（二）促进学生身心健康",
        "做好近视防控。",
        "专栏1 立德树人工程",
        "1.研学基地建设项目。建设研学实践基地5个。",
    ]
    plan = parse_lines(lines)
    fix = TopicCorrection("project", "1", "1", "研学基地建设项目", "moral", by="德育科")
    project = apply_correction(plan, fix).columns[0].projects[0]
    assert [x.id for x in project.topics] == ["moral"]
    assert plan.columns[0].projects[0].topics[0].id == "labor"
