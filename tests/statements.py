"""Counting the SQL statements a piece of code sends, for the tests that pin "no statement per row".

`counting` collects the statements sent inside its block; `statement_count` runs a call and says how
many it sent.  Real engines only (SQLite or PostgreSQL), through SQLAlchemy's cursor event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """The statements `engine` sends while the block runs, in order."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def statement_count(engine: Engine, run: Callable[[], object]) -> int:
    """How many statements `run()` sends through `engine`."""
    with counting(engine) as seen:
        run()
    return len(seen)
