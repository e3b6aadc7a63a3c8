"""`eduplan ledger` and `eduplan bulletin`: the 台账 with progress and the 进展通报 of a plan open for
reporting, written to a file from the command line (as the system: everything of the plan).

Plain functions the CLI registers; they migrate the database of `Settings` first, print one Chinese
line and return an exit code (1 when the plan, or a due cycle, is not there; 2 for a bad date).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from eduplan.commands.arguments import command_day
from eduplan.config import Settings


def export_command(
    kind: str,
    plan_id: int,
    output: Path | None,
    on: str | None = None,
    cycle: int | None = None,
    settings: Settings | None = None,
    echo: Callable[[str], None] = print,
) -> int:
    """Write the ledger (`kind` "ledger") or the bulletin ("bulletin") of a plan; the exit code.

    Example: ``eduplan bulletin 1 -o 通报.docx --on 2024-05-10``
    """
    from eduplan.commands.access import command_sessions
    from eduplan.export.names import bulletin_filename, ledger_filename
    from eduplan.services.accounts import Principal
    from eduplan.services.errors import Invalid, NotFound

    settings = settings or Settings()
    day = command_day(on, settings, echo)
    if day is None:
        return 2
    with command_sessions(settings) as sessions:
        system = Principal.system()
        try:
            if kind == "ledger":
                from eduplan.export.ledger_progress import write_progress_ledger
                from eduplan.services.tracking.ledger_rows import progress_ledger

                ledger = progress_ledger(sessions, settings, system, plan_id, day)
                path = write_progress_ledger(ledger, output or Path(ledger_filename(ledger.title, day)))
                echo(f"已写出台账：{path}（{len(ledger.rows)} 项任务，截至 {day.isoformat()}）")
            else:
                from eduplan.export.bulletin import write_bulletin
                from eduplan.services.tracking.bulletin import bulletin

                found = bulletin(sessions, settings, system, plan_id, day, cycle)
                path = write_bulletin(
                    found, output or Path(bulletin_filename(found.plan_title, found.cycle.number))
                )
                echo(f"已写出通报：{path}（{found.title}）")
        except (Invalid, NotFound) as exc:
            echo(f"错误：{exc}")
            return 1
    return 0
