"""The background jobs of `eduplan serve` (reminders, deliveries, backups): each a daemon thread
that calls its `tick` every so many seconds until stopped.

One skeleton, so that every job starts, waits and stops alike: `stop` wakes the wait at once and
joins the thread for at most `join_seconds`.  A tick keeps its own errors (logs them; the next tick
tries again): an exception escaping it would end the thread.
"""

from __future__ import annotations

import threading


class Periodic:
    """Calls `tick` every `seconds` in a daemon thread named `name`: at start, or (`at_start`
    False) first after one period."""

    def __init__(self, name: str, seconds: float, at_start: bool = True, join_seconds: float = 10.0) -> None:
        self._seconds, self._at_start, self._join_seconds = seconds, at_start, join_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self._join_seconds)

    def tick(self) -> None:
        raise NotImplementedError

    def _loop(self) -> None:
        if not self._at_start and self._stop.wait(self._seconds):
            return
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self._seconds)
