"""Full-text search over task titles and bodies that works for Chinese, down to one character.

A query is split on spaces into terms that must all occur (substring match, so no segmenter is
needed).  The indexes do the filtering where they can:
- SQLite: terms of 3+ characters go through the FTS5 trigram table ``task_search``; shorter terms
  (学前, 双减) cannot, and are checked with ``instr()`` on the tasks themselves.
- PostgreSQL: ``ILIKE '%term%'``, served by the pg_trgm GIN indexes for 3+ characters.
Ranking is the same on both: occurrences in the title weigh `TITLE_WEIGHT` times those in the body,
ties broken by task id.  The fragment around the first match is cut and marked in Python.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from eduplan.db.tasks import Task

TITLE_WEIGHT = 5
FTS_MIN = 3
FRAGMENT_BEFORE = 30
FRAGMENT_LENGTH = 120


def terms_of(query: str) -> list[str]:
    """The terms of a query: whitespace-separated, duplicates dropped, order kept."""
    return list(dict.fromkeys(query.split()))


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def match_condition(session: Session, terms: list[str]) -> ColumnElement[bool]:
    """A WHERE condition true for tasks whose title or body contains every term."""
    dialect = session.get_bind().dialect.name
    conditions: list[ColumnElement[bool]] = []
    if dialect == "sqlite":
        long_terms = [t for t in terms if len(t) >= FTS_MIN]
        if long_terms:
            phrase = " AND ".join(_fts_phrase(t) for t in long_terms)
            fts: Select[Any] = (
                select(literal_column("rowid"))
                .select_from(text("task_search"))
                .where(text("task_search MATCH :fts_query").bindparams(fts_query=phrase))
            )
            conditions.append(Task.id.in_(fts))
        for t in terms:
            if len(t) < FTS_MIN:
                conditions.append(or_(func.instr(Task.title, t) > 0, func.instr(Task.text, t) > 0))
    else:
        for t in terms:
            pattern = _like(t)
            conditions.append(
                or_(Task.title.ilike(pattern, escape="\\"), Task.text.ilike(pattern, escape="\\"))
            )
    return and_(*conditions)


def _occurrences(column: Any, term: str) -> Any:
    lowered = func.lower(column)
    return (func.length(lowered) - func.length(func.replace(lowered, term.lower(), ""))) / len(term)


def rank_expression(terms: list[str]) -> Any:
    """Higher for more occurrences, title occurrences weighing more."""
    score: Any = None
    for t in terms:
        part = _occurrences(Task.title, t) * TITLE_WEIGHT + _occurrences(Task.text, t)
        score = part if score is None else score + part
    assert score is not None
    return score


@dataclass
class Fragment:
    """A window of a task's title or body around the first match, with the matches marked.

    `marks` are [start, end) offsets into `text`; `html` is `text` escaped with ``<mark>`` tags.
    """

    field: str
    text: str
    marks: list[list[int]]
    html: str


def fragment(title: str, body: str, terms: list[str]) -> Fragment:
    """The fragment to show for a hit: in the title when a term is there, else in the body."""
    lowered_terms = [t.lower() for t in terms]
    for name, value in (("title", title), ("text", body)):
        lowered = value.lower()
        firsts = [lowered.find(t) for t in lowered_terms if t and t in lowered]
        if not firsts:
            continue
        start = 0 if name == "title" else max(0, min(firsts) - FRAGMENT_BEFORE)
        end = len(value) if name == "title" else min(len(value), start + FRAGMENT_LENGTH)
        window = value[start:end]
        marks = _marks(window.lower(), lowered_terms)
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(value) else ""
        shifted = [[a + len(prefix), b + len(prefix)] for a, b in marks]
        return Fragment(name, prefix + window + suffix, shifted, prefix + _html(window, marks) + suffix)
    return Fragment("title", title, [], html.escape(title))


def _marks(lowered: str, terms: list[str]) -> list[list[int]]:
    spans: list[list[int]] = []
    for t in terms:
        i = lowered.find(t)
        while t and i >= 0:
            spans.append([i, i + len(t)])
            i = lowered.find(t, i + len(t))
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def _html(window: str, marks: list[list[int]]) -> str:
    out, pos = [], 0
    for a, b in marks:
        out.append(html.escape(window[pos:a]))
        out.append(f"<mark>{html.escape(window[a:b])}</mark>")
        pos = b
    out.append(html.escape(window[pos:]))
    return "".join(out)
