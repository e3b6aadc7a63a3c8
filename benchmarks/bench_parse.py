"""Benchmarks of reading and parsing plans; prints one compact table of figures.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_parse.py`).  Figures:
  (a) the five real seeds of ../shared/corpus/seeds read and parsed in one process, after start-up;
  (b) parse throughput (normalize + parse_plan, one core) on the sample plan scaled 1×, 4×, 16×, 64×,
      chapters and items numbered on, against a bare regex pass over the same text;
  (c) peak memory parsing a ~20 MB plan (tracemalloc peak and ru_maxrss, in a fresh child process);
  (d) whole-process time of `eduplan parse <sample.docx> --format json`, median of 10 runs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

from _table import print_table, verdict
from _timing import best_seconds

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
CHAPTER_MARK = re.compile(r"[一二三四五六七八九十]+、")
ATTACHMENT_MARK = re.compile(r"^附\s*件")
MAX_CHAPTERS = 999  # the numbering grammar counts chapters up to 九百九十九
MB = 1024 * 1024
Row = tuple[str, str, str, str]  # figure, value, target, verdict


def scaled_plan_lines(factor: int) -> list[str]:
    """The sample plan with its body repeated `factor` times, chapters and items numbered on."""
    from eduplan.parsing.numbering import int_to_cn
    from eduplan.samples import plan_text as s

    lines = [*s.cover_lines(), s.PLAN_TITLE, s.LEAD]
    base = [(c.title, item) for c in s.CHAPTERS for item in c.items]
    n_chapters = min(len(s.CHAPTERS) * factor, MAX_CHAPTERS)
    n_items = len(base) * factor
    per_chapter = math.ceil(n_items / n_chapters)
    for k in range(n_items):
        title, item = base[k % len(base)]
        if k % per_chapter == 0:
            lines.append(f"{int_to_cn(k // per_chapter + 1)}、{title}")
        lines.append(f"{k + 1}.{item.text}")
        lines.append(item.units)
    lines.append(s.TABLE_CAPTION)
    lines.extend(s.table_lines())
    lines.append(s.CLOSING)
    return lines


def corpus_lines(factor: int) -> list[str]:
    """The five real seeds' raw lines, one after the other, repeated `factor` times (real plan text).

    附件 marks are left out: in one long document a second copy's 附件 would read as an attachment
    after the plan, whose text the parser rightly skips, and the figure would flatter it.
    """
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    one = [
        line
        for seed in seeds
        for line in seed.read_text(encoding="utf-8").splitlines()
        if not ATTACHMENT_MARK.match(line.strip())
    ]
    return one * factor


def source_lines(factor: int) -> list[str]:
    """Real plan text when ../shared/corpus is there, else the (denser) sample plan."""
    return corpus_lines(factor) if SEEDS.is_dir() else scaled_plan_lines(factor)


def factor_for(megabytes: float) -> int:
    """The scale factor giving a plan of about `megabytes` MB of UTF-8 text."""
    one, two = (len("\n".join(source_lines(f)).encode("utf-8")) for f in (1, 2))
    return max(1, round((megabytes * MB - one) / (two - one)) + 1)


def parse_text_lines(raw: list[str]) -> object:
    """What `eduplan parse` does after reading: normalize, then parse."""
    from eduplan.parsing import parse_plan
    from eduplan.readers.normalize import normalize_lines

    return parse_plan(normalize_lines(raw))


def bench_seeds() -> list[Row]:
    """(a) five seeds read + parsed in one process, after imports."""
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        return [("(a) 5 seeds read+parse", "skipped: ../shared/corpus/seeds absent", "< 0.3 s", "-")]
    from eduplan.parsing import parse_plan
    from eduplan.readers import read_path

    def run() -> None:
        for seed in seeds:
            parse_plan(read_path(seed))

    t0 = time.perf_counter()
    run()
    cold = time.perf_counter() - t0
    warm = best_seconds(run, 3)
    return [
        (f"(a) {len(seeds)} seeds read+parse, first pass", f"{cold:.3f} s", "< 0.3 s", verdict(cold < 0.3)),
        (f"(a) {len(seeds)} seeds read+parse, warm", f"{warm:.3f} s", "", ""),
    ]


def bench_throughput() -> list[Row]:
    """(b) parse cost at 1×, 4×, 16×, 64× against a bare regex pass: real plan text (the seeds, when
    present) and the sample plan, whose short items with a 责任单位 line each cost more per byte."""
    rows = _throughput(corpus_lines, "seeds") if SEEDS.is_dir() else []
    return rows + _throughput(scaled_plan_lines, "sample", target=None)


def _throughput(make: Callable[[int], list[str]], name: str, target: float | None = 10.0) -> list[Row]:
    rows: list[Row] = []
    seconds: dict[int, float] = {}
    for factor in (1, 4, 16, 64):
        raw = make(factor)
        text = "\n".join(raw)
        size = len(text.encode("utf-8")) / MB
        repeat = 5 if factor <= 16 else 3
        t_parse = best_seconds(partial(parse_text_lines, raw), repeat)
        t_regex = best_seconds(partial(CHAPTER_MARK.findall, text), repeat)
        seconds[factor] = t_parse
        mark = verdict(size / t_parse >= target) if target else ""
        rows.append(
            (
                f"(b) parse {name} {factor}× ({size * 1024:.0f} KB)",
                f"{t_parse:.4f} s {size / t_parse:6.2f} MB/s",
                f"regex {size / t_regex:.0f} MB/s" + (f"; >= {target:.0f} MB/s" if target else ""),
                mark,
            )
        )
    ratio = seconds[64] / seconds[16]
    rows.append((f"(b) {name} linearity t(64×)/t(16×)", f"{ratio:.2f}", "≈ 4 (linear)", verdict(ratio < 6)))
    return rows


def bench_memory(megabytes: float) -> list[Row]:
    """(c) peak memory of a ~20 MB parse, measured in a fresh child process."""
    out = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(megabytes)],
        capture_output=True,
        text=True,
        check=False,
        env=_env(),
    )
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["?"])[-1][:100]
        return [("(c) memory", "failed: " + last, "< 300 MB", "FAIL")]
    data = json.loads(out.stdout)
    rss = data["maxrss_mb"]
    return [
        (
            f"(c) parse {data['size_mb']:.1f} MB in {data['seconds']:.1f} s",
            f"tracemalloc peak {data['peak_mb']:.0f} MB, ru_maxrss {rss:.0f} MB",
            "< 300 MB",
            verdict(rss < 300 and data["peak_mb"] < 300),
        )
    ]


def memory_child(megabytes: float) -> None:
    """Child side of (c): build the text, then parse it under tracemalloc; print JSON figures."""
    raw = source_lines(factor_for(megabytes))
    size = sum(len(line.encode("utf-8")) + 1 for line in raw) / MB
    tracemalloc.start()
    t0 = time.perf_counter()
    parse_text_lines(raw)
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"size_mb": size, "seconds": seconds, "peak_mb": peak / MB, "maxrss_mb": maxrss}))


def bench_startup(runs: int = 10) -> list[Row]:
    """(d) the whole `eduplan parse sample.docx --format json` process, median of `runs`."""
    from eduplan.samples.build import write_docx

    folder = Path(tempfile.mkdtemp(prefix="eduplan-bench-"))
    try:
        sample = write_docx(folder / "sample.docx")
        script = Path(sys.executable).with_name("eduplan")
        cmd = [str(script)] if script.exists() else [sys.executable, "-m", "eduplan.cli"]
        cmd += ["parse", str(sample), "--format", "json"]
        subprocess.run(cmd, capture_output=True, check=True, env=_env())  # warm the caches
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True, env=_env())
            times.append(time.perf_counter() - t0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    median = statistics.median(times)
    label = f"(d) `eduplan parse sample.docx -f json`, median of {runs}"
    return [(label, f"{median:.3f} s (min {min(times):.3f})", "< 0.5 s", verdict(median < 0.5))]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def main() -> None:
    """Run every figure (or one child job) and print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--memory-mb", type=float, default=20.0, help="size of the text for (c)")
    ap.add_argument("--memory-child", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child is not None:
        memory_child(args.memory_child)
        return
    sys.path.insert(0, str(ROOT / "src"))
    rows: list[Row] = [("figure", "value", "target / baseline", "")]
    for bench in (bench_seeds, bench_throughput, lambda: bench_memory(args.memory_mb), bench_startup):
        try:
            rows += bench()
        except Exception as exc:  # one failing figure must not hide the others
            message = f"failed: {type(exc).__name__}: {exc}"[:100]
            rows.append((getattr(bench, "__name__", "bench"), message, "", "FAIL"))
    print_table(rows)


if __name__ == "__main__":
    main()
