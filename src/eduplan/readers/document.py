"""`Document`: what a reader got out of one file, before the parser sees it.

Most files give text lines.  Some give tables instead or besides (an Excel 任务分工表, a CSV, a
table inside a docx or PDF), and some give lines the reader is unsure of (OCR of a scan).  The
reader says so here rather than guessing: `warnings` are shown beside the parse's own warnings in
the CLI and the import preview, and `low_confidence` lines are marked there for a person to check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` during long work (OCR pages, conversion); may be ignored."""

Table = list[list[str]]
"""One table: rows of cell texts (merged cells repeated or empty, as the reader found them)."""


@dataclass
class NamedTable:
    """A table with where it came from (sheet name, 第N页, 表N), for messages."""

    name: str
    rows: Table
    line_numbers: list[int] = field(default_factory=list)
    """The 1-based line of `Document.lines` each row stands at (empty when unknown)."""
    row_numbers: list[int] = field(default_factory=list)
    """The 1-based row of the sheet each row was read from (spreadsheets; empty when unknown), for
    messages that name a row as Excel numbers it."""


@dataclass
class Document:
    """The normalized lines of one file, its tables, and the reader's doubts."""

    format: str
    lines: list[str] = field(default_factory=list)
    tables: list[NamedTable] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    low_confidence: list[tuple[str, float]] = field(default_factory=list)
    """Lines (as normalized text) that OCR read with a confidence below its threshold (0–1)."""
