"""PDF bombs (issue 13): what one costs now, and whether the rest of the server notices.

(a) the issue's bomb — one page, one Flate stream of 100 KB inflating to 30 MB of ``Tj`` operators —
    read by `eduplan parse` in a fresh process: wall time and peak memory (``ru_maxrss``); before
    the limits it took 74 s of CPU and 2.2 GB (issue 13; a 3 MB variant took 70 s and 3.9 GB here).
(b) a bomb of small streams that passes every size limit (one form of 2,000 glyphs drawn 50,000
    times) read through `services/sandbox.read_and_parse` with `--seconds` (default 10): time to
    the error and the child's peak RSS (sampled from /proc every 20 ms), while this process answers
    a trivial call every 20 ms on another thread: p95 and worst of those latencies.

    .venv/bin/python benchmarks/bench_bomb.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.readers.pdf_bombs import form_bomb, text_bomb  # noqa: E402

from eduplan.readers import ReadError  # noqa: E402
from eduplan.services.sandbox import ParseLimits, read_and_parse  # noqa: E402


def _descendants_rss_mb(root: int) -> float:
    """Largest resident set (MB) among the processes below `root` (this process's forkserver)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry)] = int(fields.get("PPid", "0").strip())
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
    below = {root}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in below and pid not in below:
                below.add(pid)
                changed = True
    below.discard(root)
    return max((rss[p] for p in below if p in rss), default=0) / 1024


def text_bomb_figures() -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bomb.pdf"
        path.write_bytes(text_bomb(30))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [str(ROOT / ".venv/bin/eduplan"), "parse", str(path)], capture_output=True, text=True, check=False
        )
        took = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = max(after.ru_maxrss, before.ru_maxrss) / 1024
    return took, peak, done.stderr.strip().splitlines()[-1] if done.stderr else ""


def form_bomb_figures(seconds: float) -> tuple[float, float, str, list[float]]:
    data = form_bomb()
    peak = 0.0
    latencies: list[float] = []
    finished = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not finished.is_set():
            started = time.perf_counter()
            sum(range(1000))  # a trivial request's work, to see whether this process is starved
            latencies.append((time.perf_counter() - started) * 1000)
            peak = max(peak, _descendants_rss_mb(os.getpid()))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.perf_counter()
    message = ""
    try:
        read_and_parse(data, "bomb.pdf", ParseLimits(seconds=seconds, memory_mb=1024, workers=1))
    except ReadError as exc:
        message = str(exc)
    took = time.perf_counter() - started
    finished.set()
    watcher.join()
    return took, peak, message, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit of the sandbox in (b)")
    args = parser.parse_args()
    took, peak, message = text_bomb_figures()
    print(f"(a) 30 MB text bomb, eduplan parse: {took:.2f} s, peak {peak:.0f} MB — {message}")
    took, peak, message, latencies = form_bomb_figures(args.seconds)
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0
    print(
        f"(b) form bomb in the sandbox (limit {args.seconds:g} s): {took:.2f} s, child peak {peak:.0f} MB — {message}"
    )
    print(
        f"    this process meanwhile: {len(latencies)} calls, p95 {p95:.2f} ms, worst {max(latencies):.2f} ms"
    )


if __name__ == "__main__":
    main()
