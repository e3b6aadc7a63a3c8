"""Every task and key project of a parsed plan gets its topics, and Plan JSON carries them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from eduplan.domain import TopicLabel
from eduplan.plan_json import plan_from_dict, plan_to_dict
from eduplan.samples.plan_text import sample_lines
from eduplan.services.parse import parse_lines
from eduplan.topics import TOPIC_IDS, label_plan

FIVE_YEAR = """示例市“十四五”教育发展规划
一、落实立德树人根本任务
（一）加强新时代劳动教育
建设一批劳动教育实践基地，开设劳动课程，每学年设立劳动周。
（二）促进学生身心健康
配齐心理健康教育教师，做好近视防控。
专栏1 立德树人工程
1.劳动教育实践基地建设项目。新建市级中小学劳动教育实践基地10个。
2.学校体育提升项目。推进校园足球特色学校建设。
二、强化教育保障
（一）加大经费投入
落实生均公用经费标准。
""".splitlines()


def test_every_task_of_the_sample_plan_has_a_known_primary_topic() -> None:
    plan = parse_lines(sample_lines())
    for _, task in plan.tasks():
        assert task.topics, task.title
        assert task.topics[0].id in TOPIC_IDS
        assert len(task.topics) <= 3


def test_key_projects_in_a_box_get_topics_too() -> None:
    plan = parse_lines(FIVE_YEAR)
    assert [t.topics[0].id for _, t in plan.tasks()] == ["labor", "health", "resources"]
    projects = plan.columns[0].projects
    assert [p.topics[0].id for p in projects] == ["labor", "pe"]
    assert "劳动教育" in projects[0].topics[0].evidence


def test_plan_json_lists_topics_primary_first_and_reads_them_back() -> None:
    plan = parse_lines(FIVE_YEAR)
    data = json.loads(json.dumps(plan_to_dict(plan), ensure_ascii=False))
    item = data["chapters"][0]["items"][0]
    assert item["topics"][0]["id"] == "labor"
    assert set(item["topics"][0]) == {"id", "score", "evidence"}
    assert data["columns"][0]["projects"][1]["topics"][0]["id"] == "pe"
    again = plan_from_dict(data)
    assert [t.topics for _, t in again.tasks()] == [t.topics for _, t in plan.tasks()]
    assert again.columns[0].projects[0].topics == plan.columns[0].projects[0].topics


def test_plan_json_accepts_bare_topic_ids() -> None:
    data = plan_to_dict(parse_lines(FIVE_YEAR))
    data["chapters"][0]["items"][0]["topics"] = ["labor", "moral"]
    task = plan_from_dict(data).chapters[0].items[0]
    assert [x.id for x in task.topics] == ["labor", "moral"]


def test_relabelling_gives_the_same_labels() -> None:
    plan = parse_lines(sample_lines())
    before = [t.topics for _, t in plan.tasks()]
    assert [t.topics for _, t in label_plan(plan).tasks()] == before


def test_topics_are_not_part_of_plan_equality() -> None:
    plan, other = parse_lines(sample_lines()), parse_lines(sample_lines())
    other.chapters[0].items[0].topics = [TopicLabel("labor", 1.0, ["人工校正"])]
    assert plan == other  # the same document is the same plan, whoever labelled it


def test_labels_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Evidence order and ties must not follow Python's per-process string hashing."""
    script = (
        "import json; from eduplan.services.parse import parse_lines; from eduplan.samples.plan_text import sample_lines;"
        "from eduplan.plan_json import plan_to_dict;"
        "print(json.dumps([i['topics'] for c in plan_to_dict(parse_lines(sample_lines()))['chapters'] for i in c['items']]))"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": src},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
