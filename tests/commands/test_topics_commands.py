"""`relabel_command` (registered by the CLI as ``eduplan topics relabel``) on a SQLite file database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update
from typer.testing import CliRunner

from eduplan.cli import app
from eduplan.commands import registry as commands
from eduplan.commands.topics import relabel_command
from eduplan.config import Settings
from eduplan.db import make_engine
from eduplan.db.topics import EntryTopic
from eduplan.samples.build import write_txt


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url="")


def test_relabel_prints_how_many_entries_changed(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    write_txt(tmp_path / "plan.txt")
    assert commands.import_command([tmp_path / "plan.txt"], settings=settings, echo=lambda _: None) == 0
    lines: list[str] = []
    assert relabel_command(None, settings, lines.append) == 0
    assert lines[-1].startswith("重新标注 1 个版本的 ") and "：0 个条目的主题有变化" in lines[-1]
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as conn:  # labels an older lexicon gave to two tasks
            first, second = conn.scalars(
                select(EntryTopic.id).where(EntryTopic.rank == 0, EntryTopic.kind == "item").limit(2)
            ).all()
            conn.execute(update(EntryTopic).where(EntryTopic.id.in_([first, second])).values(topic="ethnic"))
        assert relabel_command(1, settings, lines.append) == 0
        assert "：2 个条目的主题有变化，0 个人工校正的条目保持不变" in lines[-1]
        with engine.connect() as conn:
            assert conn.scalar(select(EntryTopic.id).where(EntryTopic.topic == "ethnic")) is None
    finally:
        engine.dispose()


def test_relabel_of_a_missing_plan_says_so(tmp_path: Path) -> None:
    lines: list[str] = []
    assert relabel_command(42, _settings(tmp_path), lines.append) == 1
    assert lines == ["错误：找不到计划 42"]


def test_the_command_is_registered_with_its_option() -> None:
    result = CliRunner().invoke(app, ["topics", "relabel", "--help"], terminal_width=120)
    assert result.exit_code == 0 and "--plan" in result.stdout and "人工校正" in result.stdout
