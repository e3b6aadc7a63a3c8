"""`eduplan report template` and `eduplan report upload` on the database of `Settings`: a template
written with its Chinese default name, filled and uploaded as a reporter; conflicting and invalid
rows printed with their row numbers and exit code 1; a refused file or account exit code 2."""

from __future__ import annotations

from pathlib import Path

from tests.services.template_fill import fill

from eduplan.commands.report_excel import template_command, upload_command
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import tracking
from eduplan.services.accounts import Principal


def test_template_then_upload_from_the_command_line(
    world: World, sessions: SessionFactory, settings: Settings, workdir: Path
) -> None:
    lines: list[str] = []
    assert (
        template_command(world.plan_id, "基础教育科", None, None, "2024-05-10", settings, lines.append) == 0
    )
    written = workdir / "示例市教育局2024年教育工作要点-基础教育科-第5期填报模板.xlsx"
    assert lines == [f"已写出填报模板：{written.name}（基础教育科，第5期，4 项任务）"]
    filled = workdir / "填好.xlsx"
    filled.write_bytes(
        fill(
            written.read_bytes(),
            {
                "1": {"status": "推进中", "percent": 40, "narrative": "已开工", "values": [1500]},
                "2": {"status": "推进中", "percent": 30, "values": [850, None]},
            },
        )
    )
    lines.clear()
    assert upload_command(filled, "jichu", True, False, "2024-05-10", settings, lines.append) == 1
    out = "\n".join(lines)
    assert "第4行 1 加快中小学幼儿园建设：已报送" in out
    assert "第7行：「普惠性幼儿园覆盖率」是百分比，须在 0 到 100 之间（填写的是 850）" in out
    assert out.endswith("基础教育科 第5期：已保存 1 项；新填报 1 项，未填写 2 项，有误 1 项")
    reports = tracking.list_reports(sessions, Principal.system(), world.items["1"], 4)
    assert [(r.unit_name, r.state) for r in reports] == [("基础教育科", "submitted")]
    lines.clear()
    assert upload_command(filled, "jichu", False, True, "2024-05-10", settings, lines.append) == 1
    assert "第4行 1 加快中小学幼儿园建设：无变化" in "\n".join(lines)


def test_refusals_are_one_line_with_exit_code_2(world: World, settings: Settings, tmp_path: Path) -> None:
    lines: list[str] = []
    out = tmp_path / "t.xlsx"
    assert template_command(world.plan_id, "不存在科", out, None, "2024-05-10", settings, lines.append) == 2
    assert template_command(world.plan_id, "基础教育科", out, None, "2024-05-10", settings, lines.append) == 0
    assert upload_command(out, "nobody", settings=settings, echo=lines.append) == 2
    assert upload_command(out, "xueqian", settings=settings, echo=lines.append) == 2
    foreign = tmp_path / "别的.xlsx"
    foreign.write_bytes(b"not an xlsx")
    assert upload_command(foreign, "jichu", settings=settings, echo=lines.append) == 2
    assert lines[0] == "错误：找不到单位“不存在科”，请写单位全称（如 基础教育科）"
    assert lines[2:4] == [
        "错误：找不到账户 nobody（或已停用）",
        f"错误：{out}：这是基础教育科的填报模板，只能由基础教育科的填报员上传",
    ]
    assert lines[4].startswith(f"错误：{foreign}：") and "xlsx" in lines[4]
