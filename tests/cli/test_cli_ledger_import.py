"""`eduplan ledger import 台账.xlsx --org 长春市` as its own process: the columns as understood, the
rows that cannot be read, --dry-run writing nothing, the import, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli.conftest import Run
from tests.services import ledger_books as books


def test_ledger_import_from_the_command_line(
    run_eduplan: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUPLAN_DATA_DIR", str(tmp_path / "data"))
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(books.monthly(months=3, bad=True))
    dry = run_eduplan("ledger", "import", ledger, "--org", "长春市", "--on", "2024-05-10", "--dry-run")
    out = dry.stdout.decode()
    assert dry.returncode == 0, dry.stderr.decode()
    assert "  G 列 1月进展 → 1月进展（progress:m1）" in out
    assert "新建计划：2024年长春市教育工作要点（2024年，长春市，每月报送）" in out
    assert "  第5行：完成进度“约一半”不是百分数（应为 0–100 或 70%）" in out
    assert out.rstrip().endswith("（--dry-run：未写入）")

    done = run_eduplan("ledger", "import", ledger, "--org", "长春市", "--on", "2024-05-10")
    assert done.returncode == 0, done.stderr.decode()
    assert (
        "已导入计划 1（created）：3 项任务，新建工作条目 3 个；进展报告新增 6、更新 0、未变 0，未读入 2 行"
        in done.stdout.decode()
    )
    again = run_eduplan("ledger", "import", ledger, "--org", "长春市", "--on", "2024-05-10", "--dry-run")
    assert "更新计划 1：" in again.stdout.decode()

    written = run_eduplan("ledger", "1", "-o", tmp_path / "导出.xlsx", "--on", "2024-05-10")
    assert written.returncode == 0 and (tmp_path / "导出.xlsx").exists()


def test_ledger_import_errors_are_one_line(
    run_eduplan: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUPLAN_DATA_DIR", str(tmp_path / "data"))
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(books.one_column())
    wrong = run_eduplan("ledger", "import", ledger, "--org", "长春市", "--columns", "number,ignore")
    assert wrong.returncode == 1
    assert wrong.stdout.decode().strip() == "错误：台账.xlsx：请至少把一列设为“任务”或“主要内容”"
    missing = run_eduplan("ledger", "import", tmp_path / "没有.xlsx")
    assert missing.returncode == 2 and missing.stdout.decode().startswith("错误：")
    text = tmp_path / "a.txt"
    text.write_text("一、总体要求\n", encoding="utf-8")
    refused = run_eduplan("ledger", "import", text, "--org", "长春市")
    assert refused.returncode == 1 and "Excel" in refused.stdout.decode()
