"""Full-text search over task titles and bodies that works for Chinese, down to one character.

A query is split on spaces into terms that must all occur (substring match, so no segmenter is
needed).  The indexes do the filtering where they can:
- SQLite: terms of 3+ characters go through the FTS5 trigram table ``task_search``.
- PostgreSQL: ``ILIKE '%term%'``, served by the pg_trgm GIN indexes for 3+ characters.
- Two-character terms (学前, 双减), which trigrams cannot serve, are looked up in
  ``task_search_bigrams``: every task's distinct two-character words, written at import
  (`index_bigrams`), under FTS5 (SQLite) or a GIN tsvector index (PostgreSQL); the exact substring
  test (``instr`` / ``ILIKE``) then runs on those candidates only.
- A single character, or a pair with punctuation in it, is tested on every task (no index).
Ranking is the same on both: occurrences in the title weigh `TITLE_WEIGHT` times those in the body,
ties broken by task id.  The fragment around the first match is cut and marked in Python.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from eduplan.db.tasks import Task

TITLE_WEIGHT = 5
FTS_MIN = 3
BIGRAM = 2
_BIGRAM_INSERT = {
    "sqlite": "INSERT INTO task_search_bigrams (rowid, grams) VALUES (:task_id, :grams)",
    "postgresql": "INSERT INTO task_search_bigrams (task_id, grams) VALUES (:task_id, :grams)",
}
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


def bigrams(words: str) -> str:
    """The distinct two-character words of `text` (lowercased, letters and digits only), space separated."""
    lowered = words.lower()
    grams = {a + b for a, b in pairwise(lowered) if a.isalnum() and b.isalnum()}
    return " ".join(sorted(grams))


def index_bigrams(session: Session, tasks: Iterable[tuple[int, str, str]]) -> None:
    """Add (task id, title, text) to the two-character index (in the caller's transaction)."""
    statement = _BIGRAM_INSERT.get(session.get_bind().dialect.name)
    rows = [{"task_id": i, "grams": bigrams(f"{title}\n{body}")} for i, title, body in tasks]
    if statement and rows:
        session.execute(text(statement), rows)


def _is_bigram(term: str) -> bool:
    return len(term) == BIGRAM and term.isalnum()


def _term_bigrams(term: str) -> list[str]:
    """The two-character words inside a term: each must be in the index of a task containing it."""
    return list(dict.fromkeys(bigrams(term).split()))


def _bigram_candidates(dialect: str, grams: list[str]) -> ColumnElement[bool]:
    """Tasks whose two-character index holds every one of `grams` (pairs of letters/digits)."""
    if dialect == "sqlite":
        ids: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(text("task_search_bigrams"))
            .where(
                text("task_search_bigrams MATCH :bigram_query").bindparams(
                    bigram_query=" AND ".join(_fts_phrase(g) for g in grams)
                )
            )
        )
    else:
        ids = (
            select(literal_column("task_id"))
            .select_from(text("task_search_bigrams"))
            .where(
                text("to_tsvector('simple', grams) @@ plainto_tsquery('simple', :bigram_query)").bindparams(
                    bigram_query=" ".join(grams)
                )
            )
        )
    return Task.id.in_(ids)


def _contains(term: str) -> ColumnElement[bool]:
    pattern = _like(term)
    return or_(Task.title.ilike(pattern, escape="\\"), Task.text.ilike(pattern, escape="\\"))


def match_condition(session: Session, terms: list[str]) -> ColumnElement[bool]:
    """A WHERE condition true for tasks whose title or body contains every term.

    A two-character term found in the bigram index needs no further test (the index holds exactly
    the pairs of the title and text, lowercased).  On PostgreSQL longer terms are looked up by their
    pairs too (the planner misjudges pg_trgm for Chinese and scans instead) and tested exactly with
    ILIKE on those candidates only.
    """
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
        pairs = [t.lower() for t in terms if _is_bigram(t)]
        if pairs:
            conditions.append(_bigram_candidates(dialect, pairs))
        for t in terms:
            if len(t) < FTS_MIN and not _is_bigram(t):
                conditions.append(or_(func.instr(Task.title, t) > 0, func.instr(Task.text, t) > 0))
    elif dialect == "postgresql":
        grams = list(dict.fromkeys(g for t in terms for g in _term_bigrams(t)))
        if grams:
            conditions.append(_bigram_candidates(dialect, grams))
        conditions += [_contains(t) for t in terms if not _is_bigram(t)]
    else:
        conditions += [_contains(t) for t in terms]
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
