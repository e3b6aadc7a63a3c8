"""Results derived from the registry's content, kept while that content stays the same.

A task list's `total` (a COUNT over every match: thousands of tasks for ``unit&has_target``) and a
search's ranking (every match scored, to sort them) cost far more than the page they come with, and
the next page of the same list needs them again.  They depend only on content that is never changed
in place: plan versions with their tasks, unit links and targets are immutable (a revision is a new
version) and unit aliases are only ever added.  So a result is valid as long as the registry's
*stamp* is the same: the number and the newest of the plan versions (its id and import time) and
of the unit aliases (its id and key), read with a few index lookups.  Any import that creates a
version, and any new alias, changes the stamp, and every result computed before is then
recomputed on first use.

Limits: one memo per process (each server process computes its own; all read the stamp from the
database, so an import by another process is seen at once); bounded to `MAX_WEIGHT` stored items
(least recently used first out); results over content that staff edit in place (topic labels,
corrected by hand) must not be memoized: callers pass ``enabled=False`` for those.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sized
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select

from eduplan.db.orgs import UnitAlias
from eduplan.db.plans import PlanVersion

T = TypeVar("T")
MAX_WEIGHT = 2_000_000
"""Most items kept: an int counts 1, a ranking of n tasks counts n (about 25 bytes per item)."""

STAMP = select(
    select(func.count()).select_from(PlanVersion).scalar_subquery(),
    select(func.max(PlanVersion.id)).scalar_subquery(),
    select(PlanVersion.imported_at).order_by(PlanVersion.id.desc()).limit(1).scalar_subquery(),
    select(func.count()).select_from(UnitAlias).scalar_subquery(),
    select(func.max(UnitAlias.id)).scalar_subquery(),
    select(UnitAlias.key).order_by(UnitAlias.id.desc()).limit(1).scalar_subquery(),
)
"""What identifies the registry's content (the newest import time and alias tell apart two
databases, or a database emptied and filled again, whose counts and ids happen to agree)."""


class Memo:
    """A bounded map from keys to results, least recently used out; safe to share between threads.

    A result weighs 1, plus its length when it has one (`MAX_WEIGHT`): results without a length
    (a dashboard, a corpus) are simply counted."""

    def __init__(self, max_weight: int = MAX_WEIGHT) -> None:
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._weight = 0
        self._max = max_weight
        self._lock = threading.Lock()

    def at(self, conn: Connection) -> Remembered:
        """The results valid for what `conn` sees (its stamp is read once, on first use)."""
        return Remembered(self, conn)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept for `key`, else `compute()`'s, kept for the next call."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found[0]  # type: ignore[no-any-return]
        value = compute()  # outside the lock: two threads may compute the same result once each
        self._put(key, value)
        return value

    def _put(self, key: Hashable, value: Any) -> None:
        weight = 1 + (len(value) if isinstance(value, Sized) else 0)
        with self._lock:
            if key in self._items or weight > self._max:
                return
            self._items[key] = (value, weight)
            self._weight += weight
            while self._weight > self._max:
                _, (_, dropped) = self._items.popitem(last=False)
                self._weight -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0


class Remembered:
    """The memo as seen by one connection (one request): its stamp read at most once."""

    def __init__(self, memo: Memo, conn: Connection) -> None:
        self._memo = memo
        self._conn = conn
        self._prefix: tuple[Any, ...] | None = None

    def get(self, key: Hashable, compute: Callable[[], T], enabled: bool = True) -> T:
        """The result of `compute()` for `key`, computed again only after the registry changed."""
        if not enabled:
            return compute()
        if self._prefix is None:
            stamp = tuple(self._conn.execute(STAMP).one())
            self._prefix = (self._conn.engine.url.render_as_string(), stamp)
        return self._memo.get((*self._prefix, key), compute)


MEMO = Memo()
"""The process's memo of registry results (empty until the first list or search)."""
