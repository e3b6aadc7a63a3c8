"""Reading and parsing one upload in a child process, under limits (处理上限), outside the web worker.

A hostile or broken file (a PDF whose one compressed stream inflates to 30 MB of text operators, a
docx of millions of tiny runs) can cost minutes of CPU and gigabytes of memory in the readers.  Done
in the web process, that work holds the GIL and starves every other request.  Here each document is
read (`eduplan.readers.read_document`) and parsed (`eduplan.services.parse.parse_document`) in a
fresh process forked from a clean `forkserver` (never from the threaded web process), which

- has an address-space limit (``RLIMIT_AS``, `ParseLimits.memory_mb`) and a CPU-time limit
  (``RLIMIT_CPU``), both inherited by the programs it starts (LibreOffice, tesseract), runs at a
  lower priority (``nice``) in a process group of its own, and is killed with that group when the
  wall-clock time (`ParseLimits.seconds`) is up, so that a bomb costs at most those and then fails with one
  Chinese line (`ReadError`, reason ``too_large``) saying which limit it hit;
- waits for one of `ParseLimits.workers` slots first (a bounded pool per server process), so that
  many uploads at once cannot take every core either.

A fresh process per document (rather than a long-lived pool) keeps the CPU limit per document and
lets a timed-out child be killed without breaking the others; the fork from the preloaded server
costs a few milliseconds.  Progress reports of the reader (OCR pages, conversion) are passed back.
Trusted in-process callers (samples, tests) keep calling the readers directly.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eduplan.config import Settings
from eduplan.domain import Plan
from eduplan.readers.document import Document, Progress
from eduplan.readers.errors import ReadError

_PRELOAD = ["eduplan.services.sandbox", "eduplan.readers", "eduplan.parsing", "eduplan.services.parse"]
_LOCK = threading.Lock()
_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_CONTEXT: list[Any] = []
_LIMIT_HINT = "疑似异常文件（如压缩炸弹）；请检查文件，或拆分、另存为较小的文件后再导入"


@dataclass(frozen=True)
class ParseLimits:
    """What reading and parsing one document may cost."""

    seconds: float = 120.0
    """Wall-clock time (and, rounded up, CPU time) of one document."""
    memory_mb: int = 1024
    """Address space of the child process."""
    workers: int = 2
    """Documents read at the same time in one server process; more wait for a free slot."""


def limits_of(settings: Settings) -> ParseLimits:
    """The limits configured for uploads (``EDUPLAN_PARSE_SECONDS``, ``_MEMORY_MB``, ``_WORKERS``)."""
    return ParseLimits(settings.parse_seconds, settings.parse_memory_mb, settings.parse_workers)


def over_limit(what: str) -> ReadError:
    """The error of a document that hit a processing limit (`what`: 读取超过 120 秒, 内存超过 1024 MB)."""
    return ReadError(f"文件超出处理上限（{what}），{_LIMIT_HINT}", "too_large")


def _context() -> Any:
    with _LOCK:
        if not _CONTEXT:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            _CONTEXT.append(context)
        return _CONTEXT[0]


def _slots(workers: int) -> threading.BoundedSemaphore:
    with _LOCK:
        return _SLOTS.setdefault(workers, threading.BoundedSemaphore(workers))


def _work(
    conn: multiprocessing.connection.Connection, data: bytes, filename: str | None, limits: ParseLimits
) -> None:
    """The child: set its limits, read and parse, send back ("ok", document, plans) or the error."""
    from eduplan.parsing import ParseError
    from eduplan.readers import read_document
    from eduplan.services.parse import parse_document_plans

    os.setsid()  # its own process group: a timeout kills the converters it started too
    memory = limits.memory_mb * 1024 * 1024
    cpu = max(1, int(limits.seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    with contextlib.suppress(OSError):
        os.nice(10)

    def progress(done: int, total: int) -> None:
        conn.send(("progress", done, total))

    try:
        document = read_document(data, filename, progress)
        plans = parse_document_plans(document)
        message: tuple[Any, ...] = ("ok", document, plans)
    except ReadError as exc:  # a reader may have turned a MemoryError into "damaged file"
        starved = isinstance(exc.__cause__, MemoryError)
        message = (
            ("limit", f"内存超过 {limits.memory_mb} MB") if starved else ("read", exc.message, exc.reason)
        )
    except ParseError as exc:
        message = ("parse", exc.message, exc.line)
    except MemoryError:
        message = ("limit", f"内存超过 {limits.memory_mb} MB")
    except RecursionError:
        message = ("limit", "结构嵌套过深")
    except Exception as exc:  # a reader's bug: one line for the user, the traceback in the log
        traceback.print_exc()
        message = ("read", f"读取文件时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题", "corrupt")
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("limit", f"内存超过 {limits.memory_mb} MB"))
    conn.close()


def _died(process: Any, limits: ParseLimits) -> ReadError:
    """Why a child ended without an answer."""
    code = process.exitcode
    if code == -signal.SIGXCPU:
        return over_limit(f"计算时间超过 {limits.seconds:g} 秒")
    if code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
        return over_limit(f"内存超过 {limits.memory_mb} MB")
    return ReadError(f"读取文件时处理进程意外退出（代码 {code}），{_LIMIT_HINT}", "corrupt")


def _answer(message: tuple[Any, ...]) -> tuple[Document, list[Plan]]:
    from eduplan.parsing import ParseError

    kind = message[0]
    if kind == "ok":
        return message[1], message[2]
    if kind == "read":
        raise ReadError(message[1], message[2])
    if kind == "parse":
        raise ParseError(message[1], message[2])
    raise over_limit(message[1])


def _run(
    data: bytes, filename: str | None, limits: ParseLimits, progress: Progress | None, deadline: float
) -> tuple[Document, list[Plan]]:
    context = _context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_work, args=(send, data, filename, limits), daemon=True)
    process.start()
    send.close()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not receive.poll(remaining):
                raise over_limit(f"读取超过 {limits.seconds:g} 秒")
            try:
                message = receive.recv()
            except EOFError:
                process.join(5)
                raise _died(process, limits) from None
            if message[0] == "progress":
                if progress is not None:
                    progress(message[1], message[2])
                continue
            return _answer(message)
    finally:
        receive.close()
        if process.is_alive():
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
            process.kill()
        process.join(5)


def read_and_parse(
    data: bytes,
    filename: str | None,
    limits: ParseLimits,
    progress: Progress | None = None,
    waiting: Callable[[], None] | None = None,
) -> tuple[Document, list[Plan]]:
    """The read document and its plans (a file may bundle several), worked out in a child process
    under `limits`.

    Raises `ReadError` (also when a limit is hit) or `ParseError`, as reading in-process would.
    `waiting` is called once when every slot is busy and the document must wait for one.
    """
    slots = _slots(limits.workers)
    if not slots.acquire(blocking=False):
        if waiting is not None:
            waiting()
        slots.acquire()
    try:
        return _run(data, filename, limits, progress, time.monotonic() + limits.seconds)
    finally:
        slots.release()
