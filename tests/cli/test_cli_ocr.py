"""`eduplan parse` on scans: pages done shown with --progress, nothing extra without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eduplan.readers.ocr import engine_name
from eduplan.samples.build import write_pdf
from eduplan.samples.plan_text import CHAPTERS
from eduplan.samples.scans import page_images, write_image_pdf

pytestmark = pytest.mark.skipif(
    engine_name() is None, reason="no OCR engine installed (pip install rapidocr)"
)


def test_scanned_pages_parse_with_progress_on_stderr(run_eduplan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pages = page_images(write_pdf(tmp_path / "plan.pdf"), 150, pages=[1, 2])
    scan = write_image_pdf((p.crop((0, 0, p.width, p.height * 2 // 3)) for p in pages), tmp_path / "扫描.pdf")
    proc = run_eduplan("parse", scan, "--format", "json", "--progress")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr.decode().splitlines() == [
        f"正在识别 {scan}：第1页/共2页",
        f"正在识别 {scan}：第2页/共2页",
    ]
    plan = json.loads(proc.stdout)
    assert plan["chapters"][0]["title"] == CHAPTERS[0].title
    assert any("OCR" in w for w in plan["warnings"])
    quiet = run_eduplan("parse", scan, "--format", "json")  # stderr is not a terminal here
    assert quiet.returncode == 0 and quiet.stderr == b""
