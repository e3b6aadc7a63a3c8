"""Spreadsheet readers: xlsx, xls (and WPS .et), csv → tables of cell texts; detection; bad workbooks."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from eduplan.readers import ReadError, read_document
from eduplan.readers.detect import detect_format
from eduplan.samples import task_table


def xlsx_bytes(build) -> bytes:  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xls_bytes() -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("任务分工")
    sheet.write_merge(0, 0, 0, 3, "示例市教育局2024年重点工作任务分工表")
    for col, word in enumerate(["序号", "类别", "重点任务", "完成时限"]):
        sheet.write(1, col, word)
    sheet.write_merge(2, 3, 1, 1, "党的建设")
    sheet.write(2, 0, 1)
    sheet.write(2, 2, "加强党的政治建设。")
    sheet.write(2, 3, date(2024, 6, 30), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    sheet.write(3, 0, 2)
    sheet.write(3, 2, "推進清廉學校建設。")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_sheets_become_tables_with_merged_categories_filled(tmp_path: Path) -> None:
    path = task_table.write_xlsx(tmp_path / "分工.xlsx")
    doc = read_document(path.read_bytes(), path.name)
    assert doc.format == "xlsx"
    assert [t.name for t in doc.tables] == ["任务分工", "说明"]
    rows = doc.tables[0].rows
    assert rows[0] == ["附件1"] and rows[1] == [task_table.TITLE]  # merged across: first cell only
    assert rows[2] == task_table.HEADER
    assert [r[1] for r in rows[3:]] == [r[1] for r in task_table.rows()]  # merged down: on every row
    assert rows[3][0] == "1"  # not 1.0
    # one line per row, numbered, for the registry and for linking a task back to its row
    assert len(doc.lines) == sum(len(t.rows) for t in doc.tables)
    assert doc.tables[1].line_numbers == [len(rows) + 1, len(rows) + 2]
    assert doc.lines[2] == "\t".join(task_table.HEADER)


def test_xlsx_dates_numbers_and_traditional_characters() -> None:
    def build(wb):  # type: ignore[no-untyped-def]
        ws = wb.active
        ws.append(["序號", "重點任務", "完成時限", "比例"])
        ws.append([1.0, "推進課後服務", date(2024, 9, 1), 0.5])

    doc = read_document(xlsx_bytes(build), "a.xlsx")
    assert doc.tables[0].rows == [
        ["序号", "重点任务", "完成时限", "比例"],
        ["1", "推进课后服务", "2024年9月1日", "0.5"],
    ]


def test_xls_and_wps_et_are_read_with_merged_cells_and_dates() -> None:
    data = xls_bytes()
    for name in ("分工.xls", "分工.et", None):
        doc = read_document(data, name)
        assert doc.format == "xls"
        assert doc.tables[0].rows == [
            ["示例市教育局2024年重点工作任务分工表"],
            ["序号", "类别", "重点任务", "完成时限"],
            ["1", "党的建设", "加强党的政治建设。", "2024年6月30日"],
            ["2", "党的建设", "推进清廉学校建设。"],
        ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_the_encodings_bureaus_save(tmp_path: Path, encoding: str) -> None:
    path = task_table.write_csv(tmp_path / "分工.csv", encoding=encoding)
    doc = read_document(path.read_bytes(), path.name)
    assert doc.format == "csv"
    (table,) = doc.tables
    assert table.rows[0] == [task_table.TITLE]
    assert table.rows[1] == task_table.HEADER
    assert table.rows[2:] == task_table.rows()


def test_tab_separated_csv() -> None:
    data = "序号\t重点任务\t牵头单位\n1\t加强党建，做好宣传\t组织科\n".encode()
    doc = read_document(data, "tasks.tsv")
    assert doc.tables[0].rows == [["序号", "重点任务", "牵头单位"], ["1", "加强党建，做好宣传", "组织科"]]


def test_detection_from_content() -> None:
    assert detect_format(xlsx_bytes(lambda wb: wb.active.append(["a"])), "x.bin") == "xlsx"
    assert detect_format(xls_bytes(), "x.bin") == "xls"
    assert detect_format(b"a,b\n1,2\n", "x.csv") == "csv"
    assert detect_format(b"a,b\n1,2\n", "x.txt") == "text"


def test_password_protected_xlsx_is_one_clear_line(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = task_table.write_xlsx(tmp_path / "plain.xlsx")
    out = io.BytesIO()
    with plain.open("rb") as f:
        OOXMLFile(f).encrypt("secret", out)
    with pytest.raises(ReadError) as caught:
        read_document(out.getvalue(), "分工.xlsx")
    assert caught.value.reason == "encrypted"
    assert "密码" in str(caught.value) and "\n" not in str(caught.value)


def test_damaged_workbooks_are_refused_in_one_line() -> None:
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "not xml at all")
    for data, name in ((broken.getvalue(), "a.xlsx"), (xls_bytes()[:600], "a.xls")):
        with pytest.raises(ReadError) as caught:
            read_document(data, name)
        assert "Excel" in str(caught.value) or "损坏" in str(caught.value)


def test_a_workbook_without_content_is_refused() -> None:
    with pytest.raises(ReadError) as caught:
        read_document(xlsx_bytes(lambda wb: None), "empty.xlsx")
    assert caught.value.reason == "no_text"


def test_docx_tables_are_found_among_its_lines(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("示例市教育局2024年重点工作任务分工表")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["序号", "重点任务", "牵头单位"], ["1", "加强党建。", "组织科"], ["2", "做好宣传。", "宣传科"]]
    ):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.add_paragraph("示例市教育局办公室 2024年1月10日印发，请各单位认真落实本表所列各项任务。")
    path = tmp_path / "分工.docx"
    doc.save(str(path))
    read = read_document(path.read_bytes(), path.name)
    (found,) = read.tables
    assert found.rows == [
        ["序号", "重点任务", "牵头单位"],
        ["1", "加强党建。", "组织科"],
        ["2", "做好宣传。", "宣传科"],
    ]
    assert [read.lines[n - 1] for n in found.line_numbers] == ["\t".join(r) for r in found.rows]


def test_a_workbook_declaring_a_wrong_size_is_read_whole(tmp_path: Path) -> None:
    import re

    path = task_table.write_xlsx(tmp_path / "分工.xlsx")
    wrong = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(wrong, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', data)
            dst.writestr(info, data)
    doc = read_document(wrong.getvalue(), "分工.xlsx")
    assert doc.tables[0].rows[2] == task_table.HEADER
    assert len(doc.tables[0].rows) == 3 + len(task_table.rows())


def test_excel_exports_that_are_html_or_text_named_xls() -> None:
    rows = [task_table.HEADER, *task_table.rows()]
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    html = f'<html><head><meta charset="utf-8"></head><body><table>{cells}</table></body></html>'
    as_html = read_document(html.encode(), "导出.xls")
    assert as_html.format == "html" and as_html.tables[0].rows[0] == task_table.HEADER
    as_text = read_document("\n".join("\t".join(r) for r in rows).encode("gb18030"), "导出.xls")
    assert as_text.format == "csv" and as_text.tables[0].rows == rows
