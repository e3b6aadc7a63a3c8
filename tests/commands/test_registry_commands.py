"""`import_command` and `serve_command` (registered by the CLI as ``eduplan import`` / ``eduplan serve``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eduplan.commands import registry as commands
from eduplan.config import Settings
from eduplan.db import make_engine
from eduplan.db.migrate import current, head_revision
from eduplan.samples.build import write_docx, write_txt


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url="")


def test_import_command_reports_each_file_and_the_total(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_docx(folder / "a.docx")
    write_txt(folder / "b.txt")  # the same plan as text: same content, nothing new
    (folder / "c.txt").write_text("不是规划\n", encoding="utf-8")
    lines: list[str] = []
    code = commands.import_command([folder], org=None, settings=_settings(tmp_path), echo=lines.append)
    assert code == 1
    assert lines[0].startswith("✓") and "已导入" in lines[0]
    assert "内容未变" in lines[1]
    assert lines[2].startswith("✗")
    assert lines[-1] == "共 3 个文件：成功 2，失败 1"
    again: list[str] = []
    assert commands.import_command([folder / "a.docx"], settings=_settings(tmp_path), echo=again.append) == 0
    assert "已存在" in again[0]


def test_serve_creates_and_migrates_the_sqlite_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.update(app=app, **kw))
    settings = _settings(tmp_path)
    assert commands.serve_command(settings=settings) == 0
    assert (calls["host"], calls["port"]) == ("127.0.0.1", 8000)
    engine = make_engine(settings.database_url)
    try:
        assert current(engine) == head_revision()
    finally:
        engine.dispose()
    assert (tmp_path / "data" / "eduplan.db").exists()
