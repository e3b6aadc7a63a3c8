"""The Chinese words the pages use for the system's codes (roles, lights, report and urge states),
in one place so that every page says the same thing the same way (责任单位, 牵头, 配合, 序时进度)."""

from __future__ import annotations

from eduplan.services.accounts.principal import ROLE_LABELS
from eduplan.services.loop.reports import PROGRESS_LABELS
from eduplan.services.tracking.schedule import CYCLE_LABELS

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
)
"""The main navigation: (path, label, roles that see it — empty: everyone)."""

LIGHT_LABELS = {"green": "正常", "amber": "滞后", "red": "严重滞后", "none": "待分工", None: "未评估"}
"""The task light (红黄绿灯) as words, for readers who cannot tell the colours apart."""

REPORT_STATES = {
    "draft": "草稿",
    "submitted": "已报送",
    "returned": "已退回",
    "accepted": "已通过",
    "missing": "未报送",
}
URGE_LEVELS = {"yellow": "催办", "red": "督办"}
URGE_STATES = {"open": "待答复", "answered": "已答复", "closed": "已办结"}
RECTIFICATION_STATES = {"open": "整改中", "submitted": "待销号", "signed_off": "已销号"}
UNIT_ROLES = {"lead": "牵头", "support": "配合"}
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
    return LIGHT_LABELS.get(colour, colour or "未评估")


def status_label(state: str | None) -> str:
    """A report's state or a progress status (未启动/推进中/已完成/受阻), whichever it is."""
    if state is None:
        return "—"
    return REPORT_STATES.get(state) or PROGRESS_LABELS.get(state) or state


def cycle_label(kind: str | None) -> str:
    return CYCLE_LABELS.get(kind or "", kind or "")
