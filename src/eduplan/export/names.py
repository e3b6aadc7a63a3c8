"""File names of the exports (台账, 通报): Chinese, dated, and safe on Windows and in a shell."""

from __future__ import annotations

import re
from datetime import date

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(text: str) -> str:
    """A file name without characters Windows or a shell would refuse."""
    return _UNSAFE.sub("_", text).strip(" ._") or "导出"


def ledger_filename(plan_title: str, on: date) -> str:
    """示例市教育局2024年教育工作要点-工作台账-20240510.xlsx"""
    return safe_name(f"{plan_title}-工作台账-{on:%Y%m%d}") + ".xlsx"


def bulletin_filename(plan_title: str, cycle_number: int) -> str:
    """示例市教育局2024年教育工作要点-第4期进展通报.docx"""
    return safe_name(f"{plan_title}-第{cycle_number}期进展通报") + ".docx"
