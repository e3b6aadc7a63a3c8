"""`eduplan ledger import 台账.xlsx --org 长春市`: bring an existing 台账 in from the command line.

A plain function the CLI registers.  It prints how each column was understood and the rows that
cannot be read (with their sheet row), then imports in one transaction — or, with ``--dry-run``,
stops after the preview.  ``--columns`` gives the role codes of all columns (as the preview prints
them) to read a column otherwise; ``--user LOGIN`` names the office account the reports are
authored by (default: the system).  Exit codes: 0 done, 1 refused (file, rules, permissions),
2 bad arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from eduplan.config import Settings

if TYPE_CHECKING:
    from eduplan.db.engine import SessionFactory
    from eduplan.services.accounts import Principal


def _principal(sessions: SessionFactory, login: str | None) -> Principal:
    """The account the import acts for: the system, or an active account by its login."""
    from sqlalchemy import select

    from eduplan.db.accounts import User
    from eduplan.services.accounts import Principal
    from eduplan.services.accounts.users import principal_of
    from eduplan.services.errors import NotFound

    if not login:
        return Principal.system()
    with sessions() as session:
        user = session.scalars(select(User).where(User.username == login)).first()
        if user is None or not user.active:
            raise NotFound(f"没有启用的账户“{login}”")
        return principal_of(user)


def ledger_import_command(
    path: Path,
    org: str | None = None,
    cycle: str = "monthly",
    due_day: int = 25,
    year: int | None = None,
    sheet: str | None = None,
    columns: str | None = None,
    user: str | None = None,
    dry_run: bool = False,
    on: str | None = None,
    settings: Settings | None = None,
    echo: Callable[[str], None] = print,
) -> int:
    """Preview, then import, a ledger; the exit code.

    Example: ``eduplan ledger import 台账.xlsx --org 长春市 --cycle monthly``
    """
    from eduplan.commands.access import command_sessions
    from eduplan.commands.arguments import day_and_input
    from eduplan.parsing.ledger_columns import ROLE_LABELS
    from eduplan.services.errors import Forbidden, Invalid, NotFound
    from eduplan.services.ledger_import import LedgerOptions, import_ledger, preview_ledger
    from eduplan.services.registry import RegistryError

    settings = settings or Settings()
    given = day_and_input(on, path, settings, echo)
    if given is None:
        return 2
    day, data = given
    codes = [c.strip() for c in columns.split(",")] if columns else None
    options = LedgerOptions(org, cycle, due_day, year, codes, sheet)
    with command_sessions(settings) as sessions:
        try:
            actor = _principal(sessions, user)
            preview = preview_ledger(sessions, actor, data, path.name, options, day)
            echo(f"台账：{path.name}，工作表“{preview.sheet}”，表头在第{preview.header_row}行")
            for c in preview.columns:
                echo(
                    f"  {c.letter} 列 {c.header or '（无表头）'} → {ROLE_LABELS.get(c.code, c.code)}（{c.code}）"
                )
            target = f"更新计划 {preview.plan_id}" if preview.plan_id else "新建计划"
            echo(f"{target}：{preview.title}（{preview.year}年，{preview.org}，{preview.schedule}报送）")
            echo(
                f"{preview.tasks} 项任务，{len(preview.units)} 个责任单位，"
                f"进展 {len(preview.reports)} 条（{'、'.join(preview.periods) or '无进展列'}）"
            )
            for p in preview.problems:
                echo(f"  第{p.row}行：{p.reason}")
            if dry_run:
                echo("（--dry-run：未写入）")
                return 0
            result = import_ledger(sessions, actor, data, path.name, options, day, settings.timezone)
        except (Invalid, NotFound, Forbidden, RegistryError) as exc:
            echo(f"错误：{path.name}：{exc}")
            return 1
    shown = {(p.row, p.reason) for p in preview.problems}
    for p in result.problems:
        if (p.row, p.reason) not in shown:
            echo(f"  第{p.row}行：{p.reason}")
    r = result.reports
    echo(
        f"已导入计划 {result.plan_id}（{result.status}）：{result.tasks} 项任务，新建工作条目 {result.items_created} 个；"
        f"进展报告新增 {r.created}、更新 {r.updated}、未变 {r.unchanged}，"
        f"未读入 {len(result.problems)} 行"
    )
    return 0
