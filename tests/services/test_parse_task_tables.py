"""Task tables through the parse use case: routing (table path or text path) and the 抚顺 round trip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from eduplan.parsing import ParseError
from eduplan.plan_json import plan_to_dict
from eduplan.samples import task_table
from eduplan.samples.build import write_docx
from eduplan.services.parse import parse_file

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_plan.py"
SEED = SHARED / "corpus" / "seeds" / "002_ed8192ea9db54648.txt"
GOLD = SHARED / "corpus" / "gold" / "002_ed8192ea9db54648.json"


def outline(plan) -> list[tuple[str, list[tuple[str, str, list[str], list[str]]]]]:  # type: ignore[no-untyped-def]
    return [
        (c.title, [(t.number, t.title, t.lead_units, t.support_units) for t in c.items])
        for c in plan.chapters
    ]


def test_xlsx_and_csv_task_tables_give_the_same_plan(tmp_path: Path) -> None:
    from_xlsx = parse_file(task_table.write_xlsx(tmp_path / "分工.xlsx"))
    from_csv = parse_file(task_table.write_csv(tmp_path / "分工.csv"))
    assert from_xlsx.title == from_csv.title == task_table.TITLE
    assert outline(from_xlsx) == outline(from_csv)
    assert [c.title for c in from_xlsx.chapters] == [category for category, _ in task_table.TASKS]
    assert sum(len(c.items) for c in from_xlsx.chapters) == len(task_table.rows())


def docx_with_table(path: Path, paragraphs: list[str], rows: list[list[str]]) -> Path:
    """A Word file at `path`: the `paragraphs`, then a table of `rows`."""
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.save(str(path))
    return path


def test_a_docx_holding_a_task_table_goes_the_table_path(tmp_path: Path) -> None:
    heads = [
        "示例市教育局关于印发2024年重点工作任务分工的通知",
        "各科室、各直属单位：现将2024年重点工作任务分工印发给你们，请认真抓好落实。",
        "示例市教育局2024年重点工作任务分工表",
    ]
    plan = parse_file(docx_with_table(tmp_path / "分工.docx", heads, [task_table.HEADER, *task_table.rows()]))
    assert plan.title == "示例市教育局2024年重点工作任务分工表"
    assert outline(plan) == outline(parse_file(task_table.write_xlsx(tmp_path / "分工.xlsx")))


def test_a_plan_written_as_text_still_goes_the_text_path(tmp_path: Path) -> None:
    from eduplan.parsing import parse_plan
    from eduplan.readers import read_path

    path = write_docx(tmp_path / "plan.docx")
    assert parse_file(path) == parse_plan(read_path(path))


def test_a_workbook_that_is_not_a_task_table_is_refused(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["学校", "学生数", "教师数"])
    ws.append(["示例市第一中学", 1200, 96])
    wb.save(tmp_path / "统计.xlsx")
    with pytest.raises(ParseError) as caught:
        parse_file(tmp_path / "统计.xlsx")
    assert "重点任务" in str(caught.value) and "牵头单位" in str(caught.value)


@pytest.mark.skipif(
    not (SCORER.is_file() and SEED.is_file() and GOLD.is_file()), reason="../shared/corpus is absent"
)
def test_the_fushun_plan_as_a_task_table_scores_like_its_text(tmp_path: Path) -> None:
    """The 抚顺 plan's chapters and tasks with their 责任单位, written as an xlsx 任务分工表, read back."""
    text_plan = parse_file(SEED)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "任务分工"
    ws.append([text_plan.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    ws.append(["序号", "类别", "重点任务", "责任单位"])
    for chapter in text_plan.chapters:
        first = ws.max_row + 1
        for task in chapter.items:
            ws.append([int(task.number), chapter.title, task.text, "、".join(task.units)])
        ws.merge_cells(start_row=first, start_column=2, end_row=ws.max_row, end_column=2)
    wb.save(tmp_path / "抚顺.xlsx")

    table_plan = parse_file(tmp_path / "抚顺.xlsx")
    pred, gold = tmp_path / "pred", tmp_path / "gold"
    pred.mkdir()
    gold.mkdir()
    (pred / GOLD.name).write_text(json.dumps(plan_to_dict(table_plan), ensure_ascii=False), encoding="utf-8")
    (gold / GOLD.name).write_bytes(GOLD.read_bytes())
    proc = subprocess.run(
        [
            sys.executable,
            str(SCORER),
            "--gold",
            str(gold),
            "--pred",
            str(pred),
            "--min",
            "chapters=0.95",
            "items=0.95",
            "units=0.95",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_text_pdf_holding_a_task_table_goes_the_table_path(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    header = ["序号", "类别", "重点任务", "牵头单位", "配合单位", "完成时限"]
    data = [header, *([r[0], r[1], r[2], r[4], r[5], r[6]] for r in task_table.rows())]
    table = Table(data)
    table.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 9), ("GRID", (0, 0), (-1, -1), 0.5, "black")])
    )
    title = Paragraph(task_table.TITLE, ParagraphStyle("t", fontName="STSong-Light", fontSize=14))
    path = tmp_path / "分工.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([title, table])
    plan = parse_file(path)
    assert plan.title == task_table.TITLE
    assert outline(plan) == outline(parse_file(task_table.write_xlsx(tmp_path / "分工.xlsx")))


def test_a_plan_with_its_task_table_attached_is_read_from_its_text(tmp_path: Path) -> None:
    texts = [
        "示例市教育局2024年工作要点",
        "一、党的建设",
        "1.加强党的政治建设。开展学习12次。",
        "责任单位：组织科",
        "2.推进清廉学校建设。",
        "责任单位：纪检组",
        "二、基础教育",
        "3.扩大学前教育资源。",
        "责任单位：学前教育科",
        "附件",
        "2024年重点工作任务分工表",
    ]
    rows = [
        ["序号", "重点任务", "牵头单位"],
        ["1", "加强党的政治建设", "组织科"],
        ["2", "推进清廉学校建设", "纪检组"],
        ["3", "扩大学前教育资源", "学前教育科"],
    ]
    plan = parse_file(docx_with_table(tmp_path / "要点.docx", texts, rows))
    assert plan.title == "示例市教育局2024年工作要点"
    assert [(c.title, [t.number for t in c.items]) for c in plan.chapters] == [
        ("党的建设", ["1", "2"]),
        ("基础教育", ["3"]),
    ]
