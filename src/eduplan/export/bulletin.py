"""The progress bulletin (进展通报) as a Word document in 公文 style, written with python-docx.

Layout after GB/T 9704-2012, roughly: A4 with margins 37 mm (top), 35 mm (bottom), 28 mm (left),
26 mm (right); the issuer (发文机关标志) in red 方正小标宋简体 centred, a 文号-like line, a red rule,
the title in 方正小标宋简体 二号, body in 仿宋 三号 on a fixed 29 pt line, headings 一、 in 黑体 and
（一） in 楷体, tables in 仿宋 小四, 落款 and date (2021年3月11日) on the right, page numbers
``— 1 —`` in the footer.  Every run names its East Asian font (``w:eastAsia``) so that Word does
not fall back to a Western font for Chinese; a machine without 方正小标宋 shows Word's substitute.

Contents: summary figures (as prose and as a table), a native Word chart of the units' reporting
rate and progress (export/docx_chart.py), the 严重滞后 and overdue lists, the ranking of the units and
a closing paragraph.  Input is a `Bulletin` (services/loop/bulletin.py); no database work here.  Characters XML forbids are
removed from names and titles (`eduplan.export.cells.clean_text`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from eduplan.export.cells import clean_text
from eduplan.export.docx_chart import add_chart
from eduplan.export.saving import document_bytes, save_document
from eduplan.labels import chinese_date
from eduplan.services.tracking.bulletin import Bulletin, ListedTask

TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋", "黑体"
LATIN_FONT = "Times New Roman"
RED = "FF0000"
PPR_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
"""What follows ``w:pBdr`` inside ``w:pPr`` (ECMA-376 CT_PPrBase order)."""
CLOSING = (
    "各责任单位要对照本通报，对滞后、逾期任务逐项分析原因，明确整改措施和完成时限，"
    "按时、如实报送工作进展。对连续滞后或未按时报送的单位，将按规定督办，并纳入年度目标考核。"
)


def _font(run: Any, name: str, size: float, bold: bool = False, color: str | None = None) -> Any:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _paragraph(
    doc: Any,
    text: str = "",
    font: str = BODY_FONT,
    size: float = 16,
    align: str = "justify",
    indent: bool = True,
    bold: bool = False,
    color: str | None = None,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    p.paragraph_format.first_line_indent = Pt(size * 2) if indent else None
    if text:
        _font(p.add_run(clean_text(text)), font, size, bold, color)
    return p


def _red_rule(paragraph: Any) -> None:
    """A red line under a paragraph (the 红线 between the header and the body)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = paragraph._p.get_or_add_pPr()
    border = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="18" w:space="6" w:color="{RED}"/></w:pBdr>'
    )
    ppr.insert_element_before(border, *PPR_AFTER_BORDER)  # Word insists on the schema's order


def _page_numbers(section: Any) -> None:
    """— 1 — centred in the footer (a PAGE field)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p = section.footer.paragraphs[0]
    p.alignment = 1
    _font(p.add_run("— "), "宋体", 14)
    p._p.append(
        parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )
    _font(p.add_run(" —"), "宋体", 14)


def _setup(doc: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(29)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    _page_numbers(section)


def _row_flags(row: Any, header: bool) -> None:
    """A row never splits across pages (w:cantSplit); the header row repeats on each page
    (w:tblHeader) and keeps with the next row, so it is never left alone at a page's bottom."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True


def _table(doc: Any, headers: list[str], rows: list[list[str]], widths: list[float]) -> Any:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 12)
        cell.paragraphs[0].alignment = 1
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(clean_text(text)), BODY_FONT, 12)
    for k, row in enumerate(table.rows):
        _row_flags(row, header=k == 0)
        row.cells[0].paragraphs[0].alignment = 1
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
            cell.paragraphs[0].paragraph_format.line_spacing = Pt(18)
            cell.paragraphs[0].paragraph_format.first_line_indent = None
    return table


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _pct(value: float) -> str:
    return _number(value) + "%"


@dataclass(frozen=True)
class Signing:
    """What the office writes on a bulletin itself (never invented): its 文号, who signed it (签发人)
    and the 印发 line of the 版记 (the organ that prints it, and the date)."""

    number: str = ""
    """文号, e.g. 长教督〔2024〕4号; empty: the bulletin is numbered as a periodical, 〔2024〕第4期."""
    signer: str = ""
    printed_by: str = ""
    """印发机关, e.g. 长春市教育局办公室; empty: no 印发 line."""
    printed_on: date | None = None


def doc_number_line(b: Bulletin, signing: Signing | None = None) -> str:
    """The 文号 the office set, else the periodical's number 〔2024〕第4期 (no 文号 is made up)."""
    if signing is not None and signing.number.strip():
        return signing.number.strip()
    return f"〔{b.cycle.start.year}〕第{b.cycle.number}期"


def _task_rows(tasks: list[ListedTask], overdue: bool) -> list[list[str]]:
    rows = []
    for k, t in enumerate(tasks, start=1):
        name = f"{t.number}. {t.title}" if t.number else t.title
        units = t.units
        if overdue:
            rows.append(
                [str(k), name, units, chinese_date(t.deadline) if t.deadline else "—", _pct(t.progress)]
            )
        else:
            rows.append([str(k), name, units, _pct(t.expected), _pct(t.progress), "；".join(t.reasons)])
    return rows


def summary_sentence(b: Bulletin) -> str:
    """The figures of 一、总体情况 in one paragraph."""
    c, r = b.counts, b.reporting
    return (
        f"截至{chinese_date(b.as_of)}，《{b.plan_title}》共列入任务{b.tasks}项，完成{b.completed}项（{_pct(b.completion)}），平均进度{_pct(b.average)}。"
        f"按红黄绿灯评估，正常{c.get('green', 0)}项、滞后{c.get('amber', 0)}项、严重滞后{c.get('red', 0)}项，"
        f"超过完成时限仍未完成{b.overdue}项。本期应报送{r.expected}项次，按时报送{r.on_time}项次、"
        f"逾期报送{r.late}项次、未报送{r.missing}项次，报送完成率{_pct(r.rate)}。"
    )


def build_bulletin(b: Bulletin, signing: Signing | None = None) -> Any:
    """The bulletin as a python-docx Document (not saved), with the office's `signing`."""
    from docx import Document
    from docx.shared import Mm

    doc = Document()
    _setup(doc)
    _paragraph(doc, b.issuer, TITLE_FONT, 36, "center", indent=False, color=RED)
    _paragraph(doc, "工作要点落实情况通报", TITLE_FONT, 26, "center", indent=False, color=RED)
    _paragraph(doc)
    rule = _paragraph(doc, doc_number_line(b, signing), BODY_FONT, 16, "center", indent=False)
    if signing is not None and signing.signer.strip():
        rule = _paragraph(doc, f"签发人：{signing.signer.strip()}", BODY_FONT, 16, "right", indent=False)
    _red_rule(rule)
    _paragraph(doc)
    _paragraph(doc, b.title, TITLE_FONT, 22, "center", indent=False)
    _paragraph(doc)
    _paragraph(doc, "各责任单位：", indent=False)
    _paragraph(
        doc,
        f"根据《{b.plan_title}》任务分工和报送安排，现将{b.cycle.label}（第{b.cycle.number}期）"
        "工作要点落实情况通报如下。",
    )
    _paragraph(doc, "一、总体情况", HEADING_FONT)
    _paragraph(doc, summary_sentence(b))
    c, r = b.counts, b.reporting
    _table(
        doc,
        ["任务", "完成", "正常", "滞后", "严重滞后", "逾期未完成", "本期报送率"],
        [
            [
                str(b.tasks),
                str(b.completed),
                str(c.get("green", 0)),
                str(c.get("amber", 0)),
                str(c.get("red", 0)),
                str(b.overdue),
                _pct(r.rate),
            ]
        ],
        [22] * 7,
    )
    _paragraph(doc, f"注：{b.explanation}", size=10.5, indent=False)
    _paragraph(doc, "二、各责任单位推进情况", HEADING_FONT)
    _paragraph(doc, "各责任单位本期报送率和所负责任务的平均完成进度如下图。")
    if b.chart_categories:
        height = Mm(min(190, 45 + 11 * len(b.chart_categories)))
        chart = add_chart(
            doc,
            b.chart_categories,
            b.chart_series,
            "各责任单位本期报送率与平均完成进度（%）",
            Mm(156),
            height,
            maximum=100,
        )
        chart.alignment = 1
    _paragraph(doc, "三、严重滞后任务", HEADING_FONT)
    if b.red:
        _paragraph(doc, f"以下{len(b.red)}项任务落后序时进度较多或已超期，列为严重滞后（红灯）：")
        _table(
            doc,
            ["序号", "任务", "责任单位", "序时进度", "完成进度", "原因"],
            _task_rows(b.red, False),
            [10, 42, 30, 17, 17, 40],
        )
    else:
        _paragraph(doc, "本期无严重滞后任务。")
    _paragraph(doc, "四、逾期未完成任务", HEADING_FONT)
    if b.overdue_items:
        _paragraph(doc, f"以下{len(b.overdue_items)}项任务已超过完成时限，尚未完成：")
        _table(
            doc,
            ["序号", "任务", "责任单位", "完成时限", "完成进度"],
            _task_rows(b.overdue_items, True),
            [10, 56, 40, 28, 22],
        )
    else:
        _paragraph(doc, "本期无逾期未完成任务。")
    _paragraph(doc, "五、责任单位排名", HEADING_FONT)
    _paragraph(doc, b.ranking_rule + "。")
    _table(
        doc,
        [
            "名次",
            "责任单位",
            "任务数",
            "本期应报",
            "本期已报",
            "本期报送率",
            "累计报送率",
            "严重滞后",
            "平均进度",
        ],
        _ranking_rows(b),
        [11, 33, 14, 14, 14, 18, 18, 16, 18],
    )
    _paragraph(doc, "六、下一步工作要求", HEADING_FONT)
    _paragraph(doc, CLOSING)
    _paragraph(doc)
    _paragraph(doc)
    _paragraph(doc, b.issuer, align="right", indent=False).paragraph_format.right_indent = Mm(8)
    _paragraph(doc, chinese_date(b.as_of), align="right", indent=False).paragraph_format.right_indent = Mm(8)
    if signing is not None and signing.printed_by.strip():
        _paragraph(doc)
        on = chinese_date(signing.printed_on or b.as_of)
        imprint = _paragraph(doc, f"{signing.printed_by.strip()}　　{on}印发", BODY_FONT, 14, indent=False)
        _red_rule(imprint)
    doc.core_properties.title = b.title
    doc.core_properties.author = b.issuer
    return doc


def bulletin_bytes(b: Bulletin, signing: Signing | None = None) -> bytes:
    """The bulletin as docx bytes (for a download)."""
    return document_bytes(build_bulletin(b, signing))


def write_bulletin(b: Bulletin, path: str | Path, signing: Signing | None = None) -> Path:
    """Write the bulletin to `path` (atomically) and return the path."""
    return save_document(build_bulletin(b, signing), path)


def _ranking_rows(b: Any) -> list[list[str]]:
    """The ranking's rows; with units of several levels, a row naming each group before its units
    (like with like: 市局科室, 直属单位, 县区, 学校 each ranked among their own)."""
    grouped = len({u.tier for u in b.ranking}) > 1
    rows: list[list[str]] = []
    for k, u in enumerate(b.ranking):
        if grouped and (k == 0 or b.ranking[k - 1].tier != u.tier):
            rows.append([u.tier] + [""] * 8)
        rows.append(
            [
                str(u.rank),
                u.unit_name,
                str(u.tasks),
                str(u.cycle_expected),
                str(u.cycle_filed),
                _pct(u.cycle_rate),
                _pct(u.total_rate),
                str(u.red),
                _pct(u.average_percent),
            ]
        )
    return rows
