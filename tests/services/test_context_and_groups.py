"""Context sections and group words through the registry and the loop.

Context sections (发展基础, 指导思想, 主要目标 …) are stored with the plan, marked, and get no work
item: no assignment slot, no report, no light.  Group words (局各科室, 各县区教育局, 各学校) are kept as
written on the task but never become a unit of the directory; the loop shows them as 待明确.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.parsing.units import group_hint, is_group_word
from eduplan.plan_json import plan_from_dict
from eduplan.services import loop, tracking
from eduplan.services import registry as reg
from eduplan.services.accounts import Principal
from eduplan.services.errors import Invalid
from eduplan.services.loop import ScheduleInput

SYSTEM = Principal.system()

PLAN = """示例市2024年教育工作要点
一、总体要求
（一）指导思想。坚持以人民为中心发展教育。
（二）主要目标。全市教育质量稳步提升。
二、重点任务
（三）扩大学位供给。新增学位3000个。
责任单位：基础教育科、各县区教育局
（四）加强校园安全。每季度开展安全检查1次。
责任单位：局各科室、各学校
（五）推进智慧教育。建设智慧校园20所。
牵头单位：电化教育馆；配合单位：局相关科室
"""


def _import(sessions: SessionFactory) -> int:
    return reg.import_document(sessions, PLAN.encode("utf-8"), "要点.txt").plan_id


@pytest.mark.parametrize(
    ("words", "group", "hint"),
    [
        ("局各科室", True, None),
        ("局相关科室", True, None),
        ("各县区", True, "handdown"),
        ("各区县教育局", True, "handdown"),
        ("各学校", True, None),
        ("各地各校", True, None),
        ("市直各学校", True, None),
        ("各二级学院", True, None),
        ("相关处室", True, None),
        ("基础教育科", False, None),
        ("教务处", False, None),
        ("市教育科学研究院", False, None),
        ("学生处", False, None),
    ],
)
def test_group_words(words: str, group: bool, hint: str | None) -> None:
    assert is_group_word(words) is group
    assert (group_hint(words) if group else None) == hint


def test_group_words_are_kept_as_written_but_are_never_units(sessions: SessionFactory) -> None:
    plan_id = _import(sessions)
    with sessions() as s:
        names = set(s.scalars(select(Unit.name)))
    assert {"基础教育科", "电化教育馆"} <= names
    assert not any(is_group_word(n) for n in names)
    document = plan_from_dict(reg.plan_document(sessions, plan_id))
    tasks = {t.number: t for _, t in document.tasks()}
    assert tasks["三"].units == ["基础教育科", "各县区教育局"]
    assert tasks["五"].support_units == ["局相关科室"]
    listed = reg.list_tasks(sessions, reg.TaskFilter(unit="各县区教育局"))
    assert [t.number for t in listed.items] == ["三"]


def test_context_sections_get_no_work_item(sessions: SessionFactory, settings: Settings) -> None:
    plan_id = _import(sessions)
    document = plan_from_dict(reg.plan_document(sessions, plan_id))
    assert [(t.number, t.kind) for _, t in document.tasks()] == [
        ("一", "context"),
        ("二", "context"),
        ("三", "task"),
        ("四", "task"),
        ("五", "task"),
    ]
    loop.open_plan(sessions, SYSTEM, plan_id, ScheduleInput("monthly", 25))
    items = {i.number: i for i in tracking.list_items(sessions, SYSTEM, plan_id)}
    assert sorted(items) == ["三", "五", "四"]
    assert [(a.name, a.state, a.hint) for a in items["三"].assignments] == [
        ("基础教育科", "assigned", None),
        ("各县区教育局", "unspecified", "handdown"),
    ]
    assert [(a.name, a.state) for a in items["四"].assignments] == [
        ("局各科室", "unspecified"),
        ("各学校", "unspecified"),
    ]
    status = tracking.plan_status(sessions, settings, SYSTEM, plan_id, date(2024, 6, 30))
    assert sorted(x.number for x in status.items) == ["三", "五", "四"]


def test_a_group_word_cannot_be_added_to_the_directory(sessions: SessionFactory) -> None:
    plan_id = _import(sessions)
    with sessions() as s:
        org_id = s.scalar(select(Unit.org_id).where(Unit.name == "基础教育科"))
    assert org_id is not None and plan_id
    with pytest.raises(Invalid, match="一组单位"):
        loop.add_unit(sessions, SYSTEM, org_id, "各县区教育局")
