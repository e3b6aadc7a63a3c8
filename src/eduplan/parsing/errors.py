"""The one error the parser raises."""

from __future__ import annotations


class ParseError(ValueError):
    """The lines cannot be read as a plan; `line` is the 1-based line the problem was found at."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"第{line}行：{message}")
        self.message = message
        self.line = line
