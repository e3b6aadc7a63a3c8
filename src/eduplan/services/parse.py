"""Use case: read one planning document (a file, or stdin for "-") and parse it into a `Plan`.

Also says in one Chinese line what went wrong when it cannot (`error_message`), so that every front
end (CLI, web) reports unreadable input the same way.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from eduplan.domain import Plan
from eduplan.readers.document import Document, Progress

STDIN = "-"
STDIN_NAME = "标准输入"


def parse_file(path: str | Path, progress: Progress | None = None) -> Plan:
    """Read `path` (or stdin bytes when it is "-") and parse it into a plan (the first, when the
    file bundles several).

    Raises `eduplan.readers.ReadError`, `eduplan.parsing.ParseError` or `OSError`.
    """
    return parse_file_plans(path, progress)[0]


def parse_file_plans(path: str | Path, progress: Progress | None = None) -> list[Plan]:
    """Every plan in `path` (or stdin for "-"): one, or several for a notice bundling several 方案."""
    from eduplan.readers import read_document, read_path_document

    if str(path) == STDIN:
        document = read_document(read_stdin(sys.stdin.buffer), None, progress)
    else:
        document = read_path_document(path, progress)
    return parse_document_plans(document)


def parse_document_plans(document: Document) -> list[Plan]:
    """Every plan of a read document (see `parse_document`; text may bundle several, `parsing.bundle`)."""
    from eduplan.parsing.bundle import parse_plans
    from eduplan.parsing.task_table import has_task_table
    from eduplan.topics import label_plan

    if document.format in SPREADSHEETS or (document.tables and has_task_table(document.tables)):
        return [parse_document(document)]
    plans = parse_plans(document.lines)
    for plan in plans:
        plan.warnings[:0] = document.warnings
        label_plan(plan)  # parsing reads the structure; classifying its topics is the next step
    return plans


def parse_document(document: Document) -> Plan:
    """The plan of a read document, with the reader's doubts among the plan's warnings.

    A spreadsheet, or a document whose tables hold a task-table header (任务分工表) and whose text
    outside them numbers no plan (fewer than half as many tasks as the tables hold), goes the
    table path (`parsing.task_table`); anything else the text path (`parsing.parse_plan`).
    """
    from eduplan.parsing import parse_plan
    from eduplan.parsing.task_table import has_task_table, parse_task_tables
    from eduplan.topics import label_plan

    if document.format in SPREADSHEETS:
        plan = parse_task_tables(document.tables, lists=True)
    elif document.tables and has_task_table(document.tables):
        plan = _table_or_text(document)
    else:
        plan = parse_plan(document.lines)
    plan.warnings[:0] = document.warnings
    return label_plan(plan)  # parsing reads the structure; classifying its topics is the next step


SPREADSHEETS = ("xlsx", "xls", "csv")
"""Formats whose content is tables only: they are read as task tables."""


def _table_or_text(document: Document) -> Plan:
    """The task-table plan of a document, unless its text outside the tables is a plan itself."""
    from eduplan.parsing import ParseError, parse_plan
    from eduplan.parsing.task_table import parse_task_tables

    try:
        text_plan: Plan | None = parse_plan(document.lines)
    except ParseError:
        text_plan = None
    try:
        table_plan = parse_task_tables(document.tables, document.lines)
    except ParseError:
        if text_plan is None:
            raise
        return text_plan
    in_tables = {n for table in document.tables for n in table.line_numbers}
    text_tasks = 0 if text_plan is None else sum(t.line not in in_tables for _, t in text_plan.tasks())
    # the text is the plan (its tables an attachment), unless it numbers far fewer tasks than the
    # tables hold: a covering notice's 一、高度重视 二、按时报送 is no plan
    return table_plan if text_plan is None or 2 * text_tasks < len(table_plan.tasks()) else text_plan


def display_name(path: str | Path) -> str:
    """How an input is named in messages: as given, or 标准输入 for "-"."""
    return STDIN_NAME if str(path) == STDIN else str(path)


def error_message(exc: BaseException) -> str:
    """One line in Chinese saying what went wrong with an input (and what to do, where known)."""
    from eduplan.parsing import ParseError
    from eduplan.readers import ReadError

    if isinstance(exc, ReadError | ParseError):
        text = str(exc)
    elif isinstance(exc, FileNotFoundError):
        text = "文件不存在，请检查路径"
    elif isinstance(exc, IsADirectoryError):
        text = "这是一个目录，请给出文件"
    elif isinstance(exc, PermissionError):
        text = "没有读取权限"
    elif isinstance(exc, OSError):
        text = f"无法读取（{exc.strerror or exc}）"
    elif isinstance(exc, MemoryError):
        text = "文件过大，内存不足"
    else:
        text = f"内部错误（{type(exc).__name__}: {exc}），请报告此问题"
    return " ".join(text.split()) or type(exc).__name__


def read_stdin(stream: BinaryIO) -> bytes:
    """All bytes of `stream`, refusing (without reading on) a stream larger than a file may be."""
    from eduplan.readers import ReadError
    from eduplan.readers.limits import MAX_BYTES, megabytes

    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ReadError(f"输入过大（超过 {megabytes(MAX_BYTES)}），请删去图片或拆分后再导入", "too_large")
    return data


def parse_lines(lines: Sequence[str]) -> Plan:
    """The plan of normalized text lines with its topics labelled: the two steps `eduplan parse`
    composes for a text document (`parsing.parse_plan`, then `topics.label_plan`)."""
    from eduplan.parsing import parse_plan
    from eduplan.topics import label_plan

    return label_plan(parse_plan(lines))
