"""Offline OCR engines: a page image → text boxes with their confidence and position.

Two engines, both working without any download at run time:
- ``rapidocr`` (default): RapidOCR on onnxruntime with the PP-OCRv6 small models that ship inside
  the ``rapidocr`` wheel; the more accurate on Chinese 公文 (see benchmarks/bench_ocr.py).
- ``tesseract``: Debian's ``tesseract-ocr`` + ``tesseract-ocr-chi-sim`` run as a process with TSV
  output; faster and lighter, less accurate on punctuation and numbering marks.
``EDUPLAN_OCR_ENGINE`` picks one; otherwise the first installed one in that order is used;
``EDUPLAN_OCR_THREADS`` bounds RapidOCR's threads (default: all cores).  The
engine is loaded once per process and reused; pages are recognised one at a time (bounded memory).
Limits: horizontal text only (no vertical 竖排); no handwriting.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from eduplan.readers.errors import ReadError

ENGINES = ("rapidocr", "tesseract")
ENGINE_ENV = "EDUPLAN_OCR_ENGINE"
THREADS_ENV = "EDUPLAN_OCR_THREADS"
LOW_CONFIDENCE = 0.8
"""A line read with a lower confidence (0–1) is marked for a person to check."""

MIN_CONFIDENCE = 0.5
"""A box read with a lower confidence is noise (a seal's edge, a photo's texture) and is dropped."""

PAGE_TIMEOUT = 120
"""Seconds the tesseract process may take for one page."""

_INSTALL = (
    "本机未安装 OCR 文字识别组件，无法读取扫描件或图片；请安装 rapidocr 和 onnxruntime"
    "（pip install rapidocr onnxruntime），或安装 tesseract-ocr 与 tesseract-ocr-chi-sim，"
    "或向发文单位索取 Word 版"
)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]$")
_RAPID_MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


@dataclass(frozen=True)
class OcrBox:
    """One run of text the engine read, with its confidence (0–1) and box in image pixels."""

    text: str
    confidence: float
    x0: float
    top: float
    x1: float
    bottom: float


class Engine(Protocol):
    """An OCR engine: an 8-bit grayscale or RGB image → boxes in no particular order."""

    name: str

    def recognize(self, image: Any) -> list[OcrBox]: ...


class RapidEngine:
    """RapidOCR (onnxruntime, PP-OCRv6 small models inside the wheel)."""

    name = "rapidocr"

    def __init__(self) -> None:
        import rapidocr
        from rapidocr import RapidOCR

        # the models inside the wheel, named outright: rapidocr never looks for a download then
        models = Path(rapidocr.__file__).parent / "models"
        paths = {f"{part}.model_path": str(models / name) for part, name in _RAPID_MODELS.items()}
        if not all(Path(p).is_file() for p in paths.values()):
            raise ReadError(_INSTALL, "scanned")
        self._ocr = RapidOCR(
            params={
                **paths,
                "Global.log_level": "error",
                "Global.use_cls": False,  # pages are upright once deskewed; saves a third of the time
                # detect on the page scaled to 1280 px: 150 dpi text stays legible, detection is 3× faster
                "Det.limit_type": "max",
                "Det.limit_side_len": 1280,
                "Global.text_score": MIN_CONFIDENCE,
                # a worker pool sets 1 per worker; by default onnxruntime uses every core
                "EngineConfig.onnxruntime.intra_op_num_threads": _threads(),
            }
        )
        self._lock = threading.Lock()  # one inference at a time per process: bounded memory

    def recognize(self, image: Any) -> list[OcrBox]:
        import numpy as np

        array = np.asarray(image.convert("RGB"))
        with self._lock:
            result: Any = self._ocr(array, use_cls=False)
        if result.boxes is None:
            return []
        out = []
        for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
            xs, ys = quad[:, 0], quad[:, 1]
            out.append(
                OcrBox(
                    str(text),
                    float(score),
                    float(xs.min()),
                    float(ys.min()),
                    float(xs.max()),
                    float(ys.max()),
                )
            )
        return out


class TesseractEngine:
    """Debian's tesseract with the chi_sim model, one process per page, TSV output."""

    name = "tesseract"

    def __init__(self, binary: str) -> None:
        self._binary = binary

    def recognize(self, image: Any) -> list[OcrBox]:
        with tempfile.TemporaryDirectory(prefix="eduplan-ocr-") as tmp:
            path = os.path.join(tmp, "page.png")
            image.save(path)
            try:
                done = subprocess.run(
                    [self._binary, path, "stdout", "-l", "chi_sim", "--psm", "4", "tsv"],
                    capture_output=True,
                    timeout=PAGE_TIMEOUT,
                    check=True,
                )
            except subprocess.TimeoutExpired as exc:
                raise ReadError("OCR 识别单页超时，请提供更清晰或更小的扫描件", "corrupt") from exc
            except (OSError, subprocess.CalledProcessError) as exc:
                raise ReadError("OCR 文字识别失败（tesseract 无法运行），请检查安装", "corrupt") from exc
        return _tsv_boxes(done.stdout.decode("utf-8", errors="replace"))


def _threads() -> int:
    """``EDUPLAN_OCR_THREADS`` (threads of one OCR inference), or -1 for all cores."""
    value = os.environ.get(THREADS_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else -1


def _tsv_boxes(tsv: str) -> list[OcrBox]:
    """Tesseract's word rows grouped into its lines (block, paragraph, line)."""
    lines: dict[tuple[str, str, str], list[list[str]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip() or float(cells[10]) < 0:
            continue
        lines.setdefault((cells[2], cells[3], cells[4]), []).append(cells)
    out = []
    for words in lines.values():
        text = ""
        for w in words:
            word = w[11].strip()
            text += f" {word}" if text and _ASCII_WORD.search(text) and word[0].isascii() else word
        confidence = min(float(w[10]) for w in words) / 100
        x0 = min(int(w[6]) for w in words)
        top = min(int(w[7]) for w in words)
        x1 = max(int(w[6]) + int(w[8]) for w in words)
        bottom = max(int(w[7]) + int(w[9]) for w in words)
        out.append(OcrBox(text, confidence, x0, top, x1, bottom))
    return out


@lru_cache(maxsize=4)
def _installed(name: str) -> bool:
    if name == "tesseract":
        return shutil.which("tesseract") is not None and _has_chi_sim()
    try:
        import onnxruntime  # noqa: F401
        import rapidocr
    except ImportError:
        return False
    models = Path(rapidocr.__file__).parent / "models"
    return all((models / name).is_file() for name in _RAPID_MODELS.values())


def _has_chi_sim() -> bool:
    try:
        done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "chi_sim" in done.stdout.decode(errors="replace").split()


def engine_name() -> str | None:
    """The engine that `get_engine` would load: ``EDUPLAN_OCR_ENGINE`` or the first installed one."""
    wanted = os.environ.get(ENGINE_ENV, "").strip().lower()
    if wanted:
        return wanted if wanted in ENGINES and _installed(wanted) else None
    return next((name for name in ENGINES if _installed(name)), None)


@lru_cache(maxsize=2)
def _load(name: str) -> Engine:
    if name == "tesseract":
        return TesseractEngine(shutil.which("tesseract") or "tesseract")
    return RapidEngine()


def get_engine() -> Engine:
    """The OCR engine of this process (loaded once); `ReadError` saying what to install if none is."""
    name = engine_name()
    if name is None:
        raise ReadError(_INSTALL, "scanned")
    return _load(name)
