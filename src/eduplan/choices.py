"""The system's codes and the Chinese words people read for them, in one place.

Every state, role, kind, cycle and comparator stored in the database or sent over the API is a short
English code; pages, exports, the CLI and messages show the label from here, so that one thing is called
one way everywhere (netbox's ``circuits/choices.py``).  The keys of each mapping are the allowed codes:
services validate against them and the database columns hold nothing else.

Limits: words only — no rules, no database, nothing of ours is imported here (like ``domain``), so
every layer may use it.
"""

from __future__ import annotations

from collections.abc import Mapping

ROLE_LABELS: Mapping[str, str] = {
    "admin": "系统管理员",
    "leader": "领导",
    "office": "办公室/督查人员",
    "reporter": "单位填报员",
    "viewer": "只读用户",
}
"""Account roles."""

ORG_LEVEL_LABELS: Mapping[str, str] = {
    "province": "省级",
    "city": "市级",
    "county": "县区级",
    "school": "学校",
    "other": "其他",
}
"""Levels of an organisation (机构层级)."""

PLAN_KIND_LABELS: Mapping[str, str] = {
    "annual_work_plan": "年度工作要点",
    "five_year_plan": "五年规划",
    "other": "其他文件",
    "adhoc": "交办督办事项",
    "recurring": "常态化工作",
}
"""What kind of document a plan was read from."""

TASK_KIND_LABELS: Mapping[str, str] = {"task": "任务", "context": "背景/说明"}
"""Plan items: a task to track, or background text the loop does not track."""

UNIT_ROLE_LABELS: Mapping[str, str] = {"lead": "牵头", "responsible": "责任", "support": "配合"}
"""A unit's part in a task (牵头单位, 责任单位, 配合单位)."""

ASSIGNMENT_STATE_LABELS: Mapping[str, str] = {"assigned": "已分工", "unspecified": "待明确"}
"""Whether a task's unit is known or only a group word (局各科室)."""

CYCLE_LABELS: Mapping[str, str] = {
    "weekly": "每周",
    "biweekly": "每两周",
    "monthly": "每月",
    "quarterly": "每季度",
}
"""Reporting cycles (报送周期)."""

ADHOC_SOURCE_LABELS: Mapping[str, str] = {
    "instruction": "领导批示",
    "meeting": "会议议定事项",
    "superior": "上级交办",
    "npc_proposal": "人大建议",
    "cppcc_proposal": "政协提案",
    "routine": "常态化工作",
}
"""Where a task created by hand comes from (交办事项的来源)."""

RECURRENCE_LABELS: Mapping[str, str] = {"weekly": "每周", "monthly": "每月", "quarterly": "每季度"}
"""How often a 常态化 duty recurs (codes of `CYCLE_LABELS`); no end date."""

PROGRESS_LABELS: Mapping[str, str] = {
    "not_started": "未启动",
    "in_progress": "推进中",
    "done": "已完成",
    "blocked": "受阻",
}
"""A report's progress status."""

REPORT_STATE_LABELS: Mapping[str, str] = {
    "draft": "草稿",
    "submitted": "已报送",
    "returned": "已退回",
    "accepted": "已通过",
}
"""A report's state in review; pages add ``missing`` (未报送) for a slot with no report."""

URGE_LEVEL_LABELS: Mapping[str, str] = {"yellow": "催办", "red": "督办"}
URGE_STATE_LABELS: Mapping[str, str] = {"open": "待答复", "answered": "已答复", "closed": "已办结"}
RECTIFICATION_STATE_LABELS: Mapping[str, str] = {
    "open": "整改中",
    "submitted": "待销号",
    "signed_off": "已销号",
}

LIGHT_LABELS: Mapping[str | None, str] = {
    "green": "正常",
    "amber": "滞后",
    "red": "严重滞后",
    "none": "待分工",
    None: "未评估",
}
"""The task light (红黄绿灯) as words, for readers who cannot tell the colours apart."""

COMPARATOR_LABELS: Mapping[str, str] = {
    "=": "等于",
    ">=": "不低于",
    "<=": "不高于",
    "≈": "约",
    "between": "介于",
}
"""A target's comparator, as a form offers it."""

COMPARATOR_SIGNS: Mapping[str, str] = {"=": "", ">=": "≥", "<=": "≤", "≈": "约", "between": "介于"}
"""A target's comparator, as it stands before a number (≥85%)."""

ENTITY_LABELS: Mapping[str, str] = {
    "item": "任务",
    "report": "报告",
    "evidence": "佐证材料",
    "urge": "督办",
    "rectification": "整改",
    "comment": "评论",
    "target": "目标",
    "schedule": "报送安排",
    "duty": "承办",
    "adhoc": "交办事项",
    "plan": "计划",
    "instruction": "批示",
}
"""Records named in the audit log and in "changed by someone else" messages."""

FIELD_LABELS: Mapping[str, str] = {
    "deadline": "完成时限",
    "deadline_text": "完成时限",
    "assignments": "责任单位",
    "progress": "状态",
    "percent": "完成百分比",
    "narrative": "进展情况",
    "values": "目标实际值",
    "state": "报告状态",
    "review_note": "审核意见",
    "level": "督办级别",
    "due_on": "答复期限",
    "response": "答复",
    "measures": "整改措施",
    "signed_by": "签收人",
    "closing_note": "办结说明",
    "cycle": "报送周期",
    "due_day": "截止日",
    "starts_on": "起始日期",
    "item": "任务",
    "item_id": "任务",
    "unit": "单位",
    "unit_id": "单位",
    "plan": "计划",
    "plan_id": "计划",
    "cycle_id": "报送期",
    "title": "名称",
    "source": "来源",
    "reference": "来文文号",
    "proposer": "提出人",
    "recurrence": "重复",
    "attachment": "附件",
    "ends_on": "结束日期",
    "kind": "类别",
}
"""Fields of records and request parameters, as people call them."""

RUBRIC_LABELS: Mapping[str, str] = {
    "completion_weight": "完成度权重",
    "timeliness_weight": "及时性权重",
    "target_weight": "目标达成权重",
    "urge_penalty": "每次督办扣分",
    "rectification_penalty": "每项整改逾期扣分",
    "max_penalty": "扣分上限",
}
"""The year-end rubric's settings (考核评分细则)."""


def label(labels: Mapping[str, str], code: str | None, empty: str = "") -> str:
    """The label of `code`, the code itself when unknown (never a KeyError), `empty` for None."""
    if code is None:
        return empty
    return labels.get(code, code)


def field_label(name: str) -> str:
    """A field's name as people call it (目标实际值); the name itself when it has no label."""
    return FIELD_LABELS.get(name, name)


def number_text(value: float) -> str:
    """3200, 62.5 — a number as people write it (no trailing .0)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def amount_text(comparator: str, value: float, value_max: float | None, unit: str) -> str:
    """A target's amount in words and signs: ``≥95%``, ``介于3–5所``, ``3200个`` (never ``>= 95``)."""
    if comparator == "between" and value_max is not None:
        return f"介于{number_text(value)}–{number_text(value_max)}{unit}"
    return f"{COMPARATOR_SIGNS.get(comparator, comparator)}{number_text(value)}{unit}"


def unit_with_org(org_name: str, unit_name: str) -> str:
    """A unit named with its organisation, for lists that mix levels (甲区 基础教育科 beside the city's),
    without saying the place twice: 示例市 + 市教育科学研究院 → 示例市教育科学研究院 (not 示例市市…),
    示例市 + 示例市实验小学 → 示例市实验小学, 甲区 + 基础教育科 → 甲区基础教育科."""
    if not org_name or unit_name.startswith(org_name):
        return unit_name
    if unit_name[:1] in "市区县" and org_name.endswith(unit_name[:1]):
        return org_name + unit_name[1:]
    return org_name + unit_name
