"""`eduplan parse` on the formats a bureau also receives: OFD, and .doc/.wps/.rtf/.odt via LibreOffice.

Bad files of these kinds give one line and exit 1 in a real process, leaving no temporary files.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from tests.cli.test_cli_errors import assert_one_error_line

from eduplan.readers.convert import soffice_path
from eduplan.samples.ofd_render import render_sample_ofd, write_scanned_ofd


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TMPDIR for the process under test, to see that it leaves nothing behind."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))
    return root


def test_parse_ofd_gives_the_plan(run_eduplan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ofd = render_sample_ofd(tmp_path / "要点.ofd")
    proc = run_eduplan("parse", ofd, "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    plan = json.loads(proc.stdout.decode("utf-8"))
    assert plan["title"] == "示例市教育局2024年教育工作要点" and len(plan["chapters"]) >= 3


def _bad(kind: str, folder: Path) -> Path:
    if kind == "executable_doc":
        path = folder / "红头文件.doc"
        shutil.copyfile(shutil.which("true") or "/bin/true", path)
    elif kind == "broken_ofd":
        path = folder / "公文.ofd"
        path.write_bytes(render_sample_ofd(folder / "whole.ofd").read_bytes()[:800])
    elif kind == "scanned_ofd":
        path = write_scanned_ofd(folder / "扫描件.ofd", [b"\x89PNG\r\n\x1a\n" + bytes(64)])
    elif kind == "odt_libreoffice_refuses":
        if soffice_path() is None:
            pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            zf.writestr("content.xml", "<<< not xml")
        path = folder / "损坏.odt"
        path.write_bytes(buffer.getvalue())
    else:
        raise ValueError(kind)
    return path


@pytest.mark.parametrize("kind", ["executable_doc", "broken_ofd", "scanned_ofd", "odt_libreoffice_refuses"])
def test_bad_office_file_gives_one_line_and_leaves_nothing(  # type: ignore[no-untyped-def]
    run_eduplan, tmp_path: Path, private_tmp: Path, kind: str
) -> None:
    bad = _bad(kind, tmp_path)
    out = tmp_path / "out.json"
    proc = run_eduplan("parse", bad, "--format", "json", "-o", out)
    assert proc.returncode == 1
    assert_one_error_line(proc.stderr, str(bad))
    assert not out.exists() and os.listdir(private_tmp) == []
