"""The day a command works on: ``--on 2024-05-10``, or today in the configured time zone.

One home for the parse and its Chinese error, so that every command that takes ``--on`` reads and
refuses dates alike (exit code 2 for a bad date).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from eduplan.config import Settings


def command_day(on: str | None, settings: Settings, echo: Callable[[str], None]) -> date | None:
    """The day `on` names (ISO), else today; None, after saying what to type, when it is no date."""
    from eduplan.services.clock import today

    try:
        return date.fromisoformat(on) if on else today(settings.timezone)
    except ValueError:
        echo(f"错误：日期格式应为 2024-05-10：{on}")
        return None
