"""OCR benchmark: the five real seeds printed, scanned at 150 dpi grayscale, read back by OCR.

Run with `.venv/bin/python benchmarks/bench_ocr.py` (part of `make bench`).  For each engine
(``--engines rapidocr,tesseract``; default: the installed ones; ``text`` reads the typed PDFs
instead, the baseline of the layout rules) and in a fresh child process each:
  - pages per minute of `read_document` on the scanned PDFs (render, clean, OCR, layout), and its
    CPU seconds per page (all threads; what a busy shared machine cannot hide);
  - peak memory of that process (ru_maxrss);
  - character accuracy: matched characters / characters of the typed text (white space ignored);
  - the plans parsed from the OCR'd text scored against ../shared/corpus/gold with score_plan.py
    (micro F1 of chapters, items and units; the bar is 0.90).
The seed → typed PDF (reportlab) → scanned PDF step is cached in ``--work`` (default a folder in
the system temporary directory).  ``--seeds N`` takes the first N seeds only.  The exit code is 1
when the default engine misses the bar.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SCORER = ROOT.parent / "shared" / "tools" / "score_plan.py"
KEYS = ("chapters", "items", "units")
BAR = 0.90


def scanned_seeds(work: Path, count: int) -> list[Path]:
    """The first `count` seeds as image-only PDFs at 150 dpi (made once, then reused)."""
    from eduplan.readers import read_path
    from eduplan.samples.pdf_render import render_text_pdf
    from eduplan.samples.scans import scan_pdf

    out = []
    for seed in sorted((CORPUS / "seeds").glob("*.txt"))[:count]:
        scan = work / f"{seed.stem}.scan.pdf"
        if not scan.exists():
            typed = render_text_pdf(read_path(seed), work / f"{seed.stem}.typed.pdf")
            scan_pdf(typed, scan.with_suffix(".tmp"), dpi=150).rename(scan)
        out.append(scan)
    return out


def _accuracy(truth: list[str], got: list[str]) -> tuple[int, int]:
    """(matched characters, characters of the truth): lines aligned first, then characters."""
    a = ["".join(line.split()) for line in truth]
    b = ["".join(line.split()) for line in got]
    matched = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            matched += sum(map(len, a[i1:i2]))
        elif op == "replace":
            sm = difflib.SequenceMatcher(None, "".join(a[i1:i2]), "".join(b[j1:j2]), autojunk=False)
            matched += sum(block.size for block in sm.get_matching_blocks())
    return matched, sum(map(len, a))


def child(engine: str, scans: list[Path], pred: Path) -> dict[str, float]:
    """Read every scan with `engine` in this process; write the plans; return the figures."""
    import pypdfium2

    from eduplan.plan_json import plan_to_dict
    from eduplan.readers import read_path, read_path_document
    from eduplan.readers.ocr import get_engine
    from eduplan.services.parse import parse_document

    if engine != "text":  # "text": the typed PDFs, the baseline the layout rules give without OCR
        os.environ["EDUPLAN_OCR_ENGINE"] = engine
        get_engine()  # loading the models is not per page
    seconds = cpu = 0.0
    pages = matched = total = 0
    for scan in scans:
        stem = scan.name.removesuffix(".scan.pdf")
        if engine == "text":
            scan = scan.with_name(f"{stem}.typed.pdf")
        pages += len(pypdfium2.PdfDocument(str(scan)))
        start, start_cpu = time.perf_counter(), _cpu()
        document = read_path_document(scan)
        seconds += time.perf_counter() - start
        cpu += _cpu() - start_cpu
        m, t = _accuracy(read_path(CORPUS / "seeds" / f"{stem}.txt"), document.lines)
        matched, total = matched + m, total + t
        plan = plan_to_dict(parse_document(document))
        (pred / f"{stem}.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "pages": pages,
        "seconds": seconds,
        "cpu": cpu,
        "accuracy": matched / max(total, 1),
        "rss_mb": rss,
    }


def _cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract runs as a child)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def score(pred: Path) -> dict[str, float]:
    """Micro F1 per key of the plans in `pred` against the gold files (seeds only)."""
    gold = Path(tempfile.mkdtemp(prefix="eduplan-gold-")) / "gold"
    gold.mkdir()
    for path in (CORPUS / "gold").glob("*.json"):
        if (pred / path.name).exists():
            (gold / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred)],
        capture_output=True,
        text=True,
        check=False,
    )
    f1 = {}
    for line in done.stdout.splitlines():
        cells = line.split()
        if cells and cells[0] in KEYS:
            f1[cells[0]] = float(cells[-1])
    if not f1:
        print(done.stdout, done.stderr, file=sys.stderr)
    return f1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "eduplan-bench-ocr")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if not (CORPUS / "seeds").is_dir():
        print(f"skipped: {CORPUS / 'seeds'} is absent")
        return 0
    scans = scanned_seeds(args.work, args.seeds)
    if args.child:
        pred = args.work / f"pred-{args.child}"
        pred.mkdir(exist_ok=True)
        print(json.dumps(child(args.child, scans, pred)))
        return 0
    from eduplan.readers.ocr import ENGINES, _installed

    engines = [
        e for e in (args.engines.split(",") if args.engines else ENGINES) if e == "text" or _installed(e)
    ]
    print(f"OCR of {len(scans)} seeds scanned at 150 dpi grayscale; load average {os.getloadavg()[0]:.1f}")
    print(
        f"{'engine':<10} {'pages':>5} {'pages/min':>9} {'CPU s/page':>10} {'peak MB':>8} {'char acc':>8}  F1 "
        + " ".join(KEYS)
    )
    verdict = 0
    for engine in engines:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                engine,
                "--seeds",
                str(args.seeds),
                "--work",
                str(args.work),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"{engine:<10} failed: {done.stderr.strip().splitlines()[-1:]}")
            verdict = 1
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        f1 = score(args.work / f"pred-{engine}")
        ppm = r["pages"] / r["seconds"] * 60
        figures = " ".join(f"{f1.get(k, 0):.3f}" for k in KEYS)
        cpu = r["cpu"] / r["pages"]
        print(
            f"{engine:<10} {r['pages']:>5} {ppm:>9.1f} {cpu:>10.2f} {r['rss_mb']:>8.0f} "
            f"{r['accuracy']:>8.4f}  {figures}"
        )
        if engine == engines[0] and any(f1.get(k, 0) < BAR for k in KEYS):
            verdict = 1
    print(f"bar: F1 ≥ {BAR} on {', '.join(KEYS)} for the default engine; aim 20+ pages/min")
    print(
        f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: pages/min is wall-clock time"
    )
    return verdict


if __name__ == "__main__":
    sys.exit(main())
