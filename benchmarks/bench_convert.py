"""Benchmarks of the formats read through LibreOffice and of OFD; prints one table of figures.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_convert.py [--repeat N]`).  Figures:
  (a) .doc → lines (LibreOffice conversion to .docx in a fresh profile + the docx reader), seconds per
      file: the first conversion of this process ("cold": LibreOffice starts with a new profile; its
      program files may still be in the OS cache from an earlier run) and the median of the next N
      ("warm"), for the sample plan and, when ../shared is there, the largest seed (~100 KB of text);
  (b) four .doc files read by two threads at once (the converter's bound), files per minute;
  (c) OFD read throughput (MB of .ofd per second, and pages per second) for the sample and for the
      largest seed laid out by `samples.ofd_render`.
Skips (a)/(b) with a note when soffice is not installed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from eduplan.readers import read_bytes
from eduplan.readers.convert import INSTALL_HINT, run_soffice, soffice_path
from eduplan.samples import build
from eduplan.samples.ofd_render import render_sample_ofd, render_text_ofd

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
MB = 1024 * 1024


def _seconds(call: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    call(*args)
    return time.perf_counter() - start


def _largest_seed() -> Path | None:
    seeds = sorted(SEEDS.glob("*.txt"), key=lambda p: p.stat().st_size) if SEEDS.is_dir() else []
    return seeds[-1] if seeds else None


def bench_doc(folder: Path, repeat: int) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    sample = build.write_docx(folder / "sample.docx", numbering="auto")
    sources = [sample]
    seed = _largest_seed()
    if seed is not None:
        sources.append(seed)
    made = folder / "doc"
    made.mkdir()
    run_soffice([sample], "doc:MS Word 97", made)
    if seed is not None:
        run_soffice([seed], "doc:MS Word 97", made, infilter="Text (encoded):UTF8,LF,,,")
    docs = [made / f"{s.stem}.doc" for s in sources]
    first = True
    for doc in docs:
        data = doc.read_bytes()
        label = f"{doc.name} ({len(data) / 1024:.0f} KB)"
        if first:
            rows.append((f".doc → lines, cold, {label}", f"{_seconds(read_bytes, data, doc.name):.2f} s"))
            first = False
        warm = [_seconds(read_bytes, data, doc.name) for _ in range(repeat)]
        rows.append((f".doc → lines, warm, {label}, median of {repeat}", f"{statistics.median(warm):.2f} s"))
    batch = [docs[0].read_bytes()] * 4
    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda d: read_bytes(d, "plan.doc"), batch))
    minutes = (time.perf_counter() - start) / 60
    rows.append(("4 sample .doc read by 2 threads", f"{len(batch) / minutes:.0f} files/min"))
    return rows


def bench_ofd(folder: Path, repeat: int) -> list[tuple[str, str]]:
    rows = []
    files = [render_sample_ofd(folder / "sample.ofd")]
    seed = _largest_seed()
    if seed is not None:
        files.append(
            render_text_ofd(folder / f"{seed.stem}.ofd", seed.read_text(encoding="utf-8").splitlines())
        )
    for path in files:
        data = path.read_bytes()
        with zipfile.ZipFile(path) as zf:
            pages = sum(name.endswith("Content.xml") and "/Pages/" in name for name in zf.namelist())
        read_bytes(data, path.name)
        times = [_seconds(read_bytes, data, path.name) for _ in range(repeat)]
        median = statistics.median(times)
        rows.append(
            (
                f"OFD read, {path.name} ({len(data) / 1024:.0f} KB, {pages} pages), median of {repeat}",
                f"{median * 1000:.0f} ms = {len(data) / MB / median:.2f} MB/s, {pages / median:.0f} pages/s",
            )
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as tmp:
        folder = Path(tmp)
        if soffice_path() is None:
            rows.append((".doc conversion", f"skipped: soffice is not installed ({INSTALL_HINT})"))
        else:
            rows += bench_doc(folder, args.repeat)
        rows += bench_ofd(folder, max(args.repeat, 10))
    width = max(len(name) for name, _ in rows)
    print("bench_convert: legacy Word through LibreOffice, and OFD")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
