"""`eduplan admin create`, the first `eduplan serve` and `eduplan assign`, on the database of
`Settings` (the test's own, SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from eduplan.commands import access
from eduplan.commands import registry as commands
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services import accounts
from eduplan.services.registry import import_document


def test_admin_create_prints_a_one_time_password_once(sessions: SessionFactory, settings: Settings) -> None:
    lines: list[str] = []
    assert access.admin_create_command("chief", settings, lines.append) == 0
    password = lines[0].rsplit("：", 1)[1]
    assert "一次性密码" in lines[0] and len(password) >= 12
    login = accounts.login(sessions, settings, "chief", password)
    assert login.user.role == "admin" and login.user.must_change_password
    again: list[str] = []
    assert access.admin_create_command("chief", settings, again.append) == 1
    assert "已存在" in again[0]


def test_first_serve_makes_the_administrator(
    sessions: SessionFactory,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    started: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw))
    assert commands.serve_command(settings=settings) == 0
    first = capsys.readouterr().out
    assert "已创建管理员 admin，一次性密码：" in first and started
    assert commands.serve_command(settings=settings) == 0
    assert "一次性密码" not in capsys.readouterr().out  # only the first start makes one


def test_assign_opens_the_plan_and_shows_what_is_to_be_specified(
    sessions: SessionFactory, settings: Settings, sample_bytes: bytes
) -> None:
    plan = import_document(sessions, sample_bytes, "示例.txt")
    lines: list[str] = []
    assert access.assign_command(plan.plan_id, "quarterly", 25, settings, lines.append) == 0
    assert lines[0] == f"计划 {plan.plan_id}：4 期报送（quarterly，报送日 25），11 项任务"
    assert lines[1].startswith("1. 加快中小学幼儿园建设｜2024-06-30｜责任:发展规划科")
    assert "配合:各区县教育局（待明确）" in lines[5]
    assert lines[-1].startswith("待明确：2 项")
    assert (
        access.assign_command(plan.plan_id, "monthly", 25, settings, lines.append) == 0
    )  # again: changes cycle
    assert access.assign_command(999, "monthly", 25, settings, lines.append) == 1
    assert access.assign_command(plan.plan_id, "daily", 25, settings, lines.append) == 1
