"""Tables of a document read as lines (docx, PDF, html): runs of tab-separated rows → `NamedTable`s.

The docx, PDF and html readers write each table row as one line of tab-separated cells, in its
place in the text.  A run of such lines is one table; a short line without tabs inside a run
(a category row merged across the table, which normalization turns into plain text) stays in it
as a one-cell row.  Cells merged down a column are empty on their later rows, as the reader found
them.  The parser's task-table path (`eduplan.parsing.task_table`) reads these tables.
"""

from __future__ import annotations

from eduplan.readers.document import NamedTable

_MAX_GROUP_ROW = 40
"""A line without tabs longer than this ends a table: it is running text, not a category row."""


def tables_in_lines(lines: list[str]) -> list[NamedTable]:
    """Each run of two or more table rows in `lines`, named 表1, 表2 … with its line numbers."""
    tables: list[NamedTable] = []
    rows: list[list[str]] = []
    numbers: list[int] = []

    def close() -> None:
        while rows and len(rows[-1]) == 1:  # a short paragraph after the table is not a row
            rows.pop()
            numbers.pop()
        if sum(len(r) > 1 for r in rows) >= 2:
            tables.append(NamedTable(f"表{len(tables) + 1}", [list(r) for r in rows], list(numbers)))
        rows.clear()
        numbers.clear()

    for index, line in enumerate(lines):
        if "\t" in line:
            rows.append(line.split("\t"))
            numbers.append(index + 1)
        elif rows and len(line) <= _MAX_GROUP_ROW:
            rows.append([line])
            numbers.append(index + 1)
        elif rows:
            close()
    close()
    return tables
