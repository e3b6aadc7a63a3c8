"""Fixtures for the command-line tests: the sample plan built into tmp_path, and a real process runner."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from eduplan.samples.build import write_docx, write_scanned_pdf, write_txt

SRC = Path(__file__).resolve().parents[2] / "src"
Run = Callable[..., subprocess.CompletedProcess[bytes]]


@pytest.fixture
def sample_docx(tmp_path: Path) -> Path:
    return write_docx(tmp_path / "示例市教育工作要点.docx")


@pytest.fixture
def sample_txt(tmp_path: Path) -> Path:
    return write_txt(tmp_path / "sample.txt")


@pytest.fixture
def run_eduplan() -> Run:
    """Run `eduplan ARGS…` as its own process (stdin closed unless `stdin=` bytes are given)."""

    def run(
        *args: str | Path, stdin: bytes | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
        }
        return subprocess.run(
            [sys.executable, "-m", "eduplan.cli", *map(str, args)],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            env=env,
            cwd=cwd,
            timeout=120,
        )

    return run


def make_bad_input(kind: str, folder: Path) -> Path:
    """One unreadable input of the given kind, built in `folder`."""
    if kind == "missing":
        return folder / "不存在.docx"
    if kind == "empty":
        path = folder / "empty.txt"
        path.write_bytes(b"")
        return path
    if kind == "random_docx":
        path = folder / "random.docx"
        path.write_bytes(os.urandom(4096))
        return path
    if kind == "zip_bomb_docx":
        return _zip_bomb(folder / "bomb.docx")
    if kind == "huge_200mb":
        path = folder / "huge.txt"
        with path.open("wb") as f:  # sparse: the size is there, the disk blocks are not
            f.truncate(200 * 1024 * 1024)
        return path
    if kind == "scanned_pdf":
        return write_scanned_pdf(folder / "scan.pdf")
    if kind == "not_a_plan":
        path = folder / "notes.txt"
        path.write_text("今天天气很好。\n我们去公园散步。\n", encoding="utf-8")
        return path
    raise ValueError(kind)


BAD_KINDS = ["missing", "empty", "random_docx", "zip_bomb_docx", "huge_200mb", "scanned_pdf", "not_a_plan"]


@pytest.fixture(params=BAD_KINDS)
def bad_input(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Each kind of unreadable input in turn."""
    return make_bad_input(request.param, tmp_path)


def _zip_bomb(path: Path, megabytes: int = 256) -> Path:
    """A docx-shaped zip whose document.xml inflates to `megabytes` of spaces (about 1000:1)."""
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            for _ in range(megabytes):
                f.write(chunk)
    return path
