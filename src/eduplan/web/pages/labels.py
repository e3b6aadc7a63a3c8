"""The Chinese words the pages use for the system's codes (roles, lights, report and urge states),
in one place so that every page says the same thing the same way (责任单位, 牵头, 配合, 序时进度)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from eduplan import choices
from eduplan.choices import CYCLE_LABELS, LIGHT_LABELS, PROGRESS_LABELS, ROLE_LABELS
from eduplan.labels import example_day  # noqa: F401  (the forms' hints: a date in the current year)

if TYPE_CHECKING:
    from eduplan.services.pages.board import AssignedUnit

NAV: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("/", "首页", ()),
    ("/todo", "我的待办", ("reporter", "office", "admin")),
    ("/plans", "规划", ()),
    ("/my", "我的任务", ("reporter", "office", "admin")),
    ("/supervision", "督办", ("admin", "leader", "office", "viewer")),
    ("/rectifications", "整改", ()),
    ("/evaluation", "考核", ("admin", "leader", "office", "viewer")),
    ("/compare", "对标", ("admin", "leader", "office", "viewer")),
    ("/search", "检索", ()),
    ("/admin", "单位与用户", ("admin", "office")),
    ("/deliveries", "投递记录", ("admin", "office", "leader")),
)
"""The main navigation: (path, label, roles that see it — empty: everyone)."""

REPORT_STATES = {**choices.REPORT_STATE_LABELS, "missing": "未报送"}
URGE_LEVELS = choices.URGE_LEVEL_LABELS
URGE_STATES = choices.URGE_STATE_LABELS
RECTIFICATION_STATES = choices.RECTIFICATION_STATE_LABELS
UNIT_ROLES = choices.UNIT_ROLE_LABELS
TERMS = {
    "units": "责任单位",
    "lead": "牵头",
    "support": "配合",
    "expected": "序时进度",
    "deadline": "完成时限",
    "targets": "量化目标",
}


def role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role or "", role or "")


def light_label(colour: str | None) -> str:
    return LIGHT_LABELS.get(colour, colour or "未评估")  # the words live in `choices`


def status_label(state: str | None) -> str:
    """A report's state or a progress status (未启动/推进中/已完成/受阻), whichever it is."""
    if state is None:
        return "—"
    return REPORT_STATES.get(state) or PROGRESS_LABELS.get(state) or state


def unit_choices(units: Iterable[AssignedUnit]) -> list[tuple[int, str]]:
    """A task's assigned units as a select's options, each with its part: 基础教育科（牵头）."""
    return [(u.unit_id, f"{u.name}（{UNIT_ROLES.get(u.role, u.role)}）") for u in units]


def cycle_label(kind: str | None) -> str:
    return CYCLE_LABELS.get(kind or "", kind or "")
