"""`eduplan ledger import` as a function over the database of `Settings`: the reports are authored by
the office account named with --user; an unknown or reporter account is refused in one line."""

from __future__ import annotations

from pathlib import Path

from tests.services import ledger_books as books

from eduplan.commands.ledger_import import ledger_import_command
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services.accounts import Principal
from eduplan.services.tracking import list_items, list_reports


def test_reports_are_authored_by_the_account_named(
    world: World, sessions: SessionFactory, settings: Settings, tmp_path: Path
) -> None:
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(books.second_sheet())
    lines: list[str] = []

    def run(user: str) -> int:
        return ledger_import_command(
            ledger, "示例市", user=user, on="2024-05-10", settings=settings, echo=lines.append
        )

    assert run("nobody") == 1 and lines[-1] == "错误：台账.xlsx：没有启用的账户“nobody”"
    assert run("jichu") == 1 and lines[-1] == "错误：台账.xlsx：只有办公室/督查人员或管理员可以执行此操作"
    assert run("office") == 0
    assert lines[-1].startswith("已导入计划 ") and "进展报告新增 3" in lines[-1]
    plan_id = int(lines[-1].split("已导入计划 ")[1].split("（")[0])
    system = Principal.system()
    authors = {
        r.updated_by
        for i in list_items(sessions, system, plan_id)
        for r in list_reports(sessions, system, i.id)
    }
    assert authors == {"office"}
