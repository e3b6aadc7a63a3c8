"""What a command reads from its arguments: the day it works on (``--on 2024-05-10``, or today in
the configured time zone) and the bytes of its input file.

One home for each, with its Chinese error, so that every command reads and refuses them alike;
each returns None after saying what went wrong (the command then exits with code 2).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from eduplan.config import Settings


def command_day(on: str | None, settings: Settings, echo: Callable[[str], None]) -> date | None:
    """The day `on` names (ISO), else today; None, after saying what to type, when it is no date."""
    from eduplan.services.clock import today

    try:
        return date.fromisoformat(on) if on else today(settings.timezone)
    except ValueError:
        echo(f"错误：日期格式应为 2024-05-10：{on}")
        return None


def read_input(path: Path, echo: Callable[[str], None]) -> bytes | None:
    """The bytes of `path`; None, after naming the file and the reason, when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        echo(f"错误：{path}：无法读取（{exc.strerror or exc}）")
        return None


def day_and_input(
    on: str | None, path: Path, settings: Settings, echo: Callable[[str], None]
) -> tuple[date, bytes] | None:
    """`command_day` and `read_input` together, for the commands that read a file as of a day."""
    day = command_day(on, settings, echo)
    data = None if day is None else read_input(path, echo)
    return None if day is None or data is None else (day, data)
