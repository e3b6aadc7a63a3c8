"""`eduplan report template` and `eduplan report upload`: the Excel 填报模板 from the command line.

`template` writes a unit's template for a cycle (as the system: any unit of the plan's
organisation); `upload` reads a filled one as the reporter named by ``--user`` (scope, locking and
the value rules hold as on the web), prints what happened to each row, and saves unless
``--dry-run``.  Exit codes: 0 all rows fine, 1 some rows not saved (conflict or invalid), 2 the file
or the request refused as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from eduplan.commands.arguments import command_day, day_and_input
from eduplan.config import Settings


def template_command(
    plan_id: int,
    unit: str,
    output: Path | None,
    cycle: int | None = None,
    on: str | None = None,
    settings: Settings | None = None,
    echo: Callable[[str], None] = print,
) -> int:
    """Write a unit's template; the exit code.

    Example: ``eduplan report template 1 --unit 基础教育科 -o 填报.xlsx``
    """
    from eduplan.commands.access import command_sessions
    from eduplan.export.report_template_xlsx import template_filename, write_template
    from eduplan.services.accounts import Principal
    from eduplan.services.errors import Forbidden, Invalid, NotFound
    from eduplan.services.report_template import find_unit, report_template

    settings = settings or Settings()
    day = command_day(on, settings, echo)
    if day is None:
        return 2
    with command_sessions(settings) as sessions:
        try:
            system = Principal.system()
            unit_id = find_unit(sessions, plan_id, unit)
            found = report_template(sessions, system, plan_id, unit_id, day, cycle)
            path = write_template(found, output or Path(template_filename(found)))
        except (Invalid, NotFound, Forbidden) as exc:
            echo(f"错误：{exc}")
            return 2
    echo(f"已写出填报模板：{path}（{found.unit_name}，第{found.cycle + 1}期，{len(found.rows)} 项任务）")
    return 0


def upload_command(
    file: Path,
    user: str,
    submit: bool = False,
    dry_run: bool = False,
    on: str | None = None,
    settings: Settings | None = None,
    echo: Callable[[str], None] = print,
) -> int:
    """Upload a filled template as `user`; the exit code.

    Example: ``eduplan report upload 填报.xlsx --user jichu --submit``
    """
    from sqlalchemy import select

    from eduplan.commands.access import command_sessions
    from eduplan.db.accounts import User
    from eduplan.services.accounts.users import principal_of
    from eduplan.services.errors import Forbidden, Invalid, NotFound
    from eduplan.services.report_upload import KIND_LABELS, SAVED, apply_upload, preview_upload

    settings = settings or Settings()
    given = day_and_input(on, file, settings, echo)
    if given is None:
        return 2
    day, data = given
    with command_sessions(settings) as sessions:
        try:
            with sessions() as session:
                account = session.scalars(select(User).where(User.username == user)).first()
                who = principal_of(account) if account is not None and account.active else None
            if who is None:
                echo(f"错误：找不到账户 {user}（或已停用）")
                return 2
            result = (
                preview_upload(sessions, who, data)
                if dry_run
                else apply_upload(sessions, who, data, day, submit)
            )
        except (Invalid, Forbidden, NotFound) as exc:
            echo(f"错误：{file}：{exc}")
            return 2
    for row in result.rows:
        done = (
            "将保存"
            if dry_run and row.kind in SAVED
            else "已报送"
            if row.submitted
            else "已保存"
            if row.saved
            else row.label
        )
        head = f"第{row.row}行 {row.number} {row.title[:20]}：{done}"
        echo(head + "".join(f"\n    {m}" for m in row.messages + [f"提示：{w}" for w in row.warnings]))
        if row.kind == "conflict" and row.theirs is not None and row.yours is not None:
            for key in dict.fromkeys([*row.theirs, *row.yours]):
                if row.theirs.get(key, "") != row.yours.get(key, ""):
                    echo(f"    {key}：现有“{row.theirs.get(key, '')}”｜表格“{row.yours.get(key, '')}”")
    counts = result.counts
    saved = sum(r.saved for r in result.rows)
    echo(
        f"{result.unit_name} 第{result.cycle + 1}期："
        + ("（预览，未保存）" if dry_run else f"已保存 {saved} 项；")
        + "，".join(f"{label} {counts[k]} 项" for k, label in KIND_LABELS.items() if counts[k])
    )
    return 1 if counts["conflict"] or counts["invalid"] else 0
