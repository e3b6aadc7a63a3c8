"""The 进展通报 docx, opened again with python-docx: 公文 layout (red issuer, 文号, title, fonts with
their East Asian names, A4 margins), the figures, the native chart part (Chinese categories and
values, its embedded workbook), the red list, the ranking and the 落款 date."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from openpyxl import load_workbook
from tests.export.progress_scenario import TODAY, file_april

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.export.bulletin import Signing, write_bulletin
from eduplan.export.docx_chart import charts_of
from eduplan.samples.loop import World
from eduplan.services.accounts import Principal
from eduplan.services.tracking.bulletin import bulletin

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture
def made(world: World, sessions: SessionFactory, settings: Settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    file_april(sessions, world)
    b = bulletin(sessions, settings, Principal.system(), world.plan_id, TODAY)
    path = write_bulletin(b, tmp_path / "通报.docx", Signing(number="示教督〔2024〕4号"))  # set by the office
    return b, Document(str(path))


def _texts(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in doc.paragraphs]


def _east_asian(run) -> str | None:  # type: ignore[no-untyped-def]
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_gongwen_head_title_and_layout(made) -> None:  # type: ignore[no-untyped-def]
    _b, doc = made
    paragraphs = doc.paragraphs
    issuer = paragraphs[0].runs[0]
    assert paragraphs[0].text == "示例市教育局" and str(issuer.font.color.rgb) == "FF0000"
    assert _east_asian(issuer) == "方正小标宋简体"
    assert "示教督〔2024〕4号" in _texts(doc)
    rule = next(p for p in paragraphs if p.text == "示教督〔2024〕4号")
    bottom = rule._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"  # the red rule under the header
    order = [child.tag.split("}")[1] for child in rule._p.pPr]
    assert order.index("pBdr") < order.index("jc")  # schema order, or Word calls the file corrupt
    title = next(p for p in paragraphs if p.text.startswith("关于"))
    assert title.text == "关于2024年4月（第4期）示例市教育局教育工作要点落实情况的通报"
    assert _east_asian(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size.pt == 22
    body = next(p for p in paragraphs if p.text.startswith("截至"))
    assert _east_asian(body.runs[0]) == "仿宋" and body.runs[0].font.size.pt == 16
    heading = next(p for p in paragraphs if p.text == "一、总体情况")
    assert _east_asian(heading.runs[0]) == "黑体"
    section = doc.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    sizes += [section.left_margin, section.right_margin]
    assert [round(x.mm) for x in sizes] == [210, 297, 37, 35, 28, 26]  # A4, GB/T 9704 margins
    assert 'w:instr="PAGE"' in etree.tostring(section.footer._element).decode()
    assert doc.core_properties.title == title.text


def test_summary_figures_in_words_and_in_a_table(made) -> None:  # type: ignore[no-untyped-def]
    _b, doc = made
    summary = next(t for t in _texts(doc) if t.startswith("截至"))
    assert summary.startswith(
        "截至2024年5月10日，《示例市教育局2024年教育工作要点》共列入任务11项，完成1项（9.1%），平均进度18%。"
    )
    assert "正常2项、滞后1项、严重滞后8项" in summary
    assert "本期应报送20项次，按时报送5项次、逾期报送1项次、未报送14项次，报送完成率30%" in summary
    figures = doc.tables[0]
    assert [c.text for c in figures.rows[0].cells] == [
        "任务",
        "完成",
        "正常",
        "滞后",
        "严重滞后",
        "逾期未完成",
        "本期报送率",
    ]
    assert [c.text for c in figures.rows[1].cells] == ["11", "1", "2", "1", "8", "0", "30%"]


def test_a_native_chart_with_chinese_categories_values_and_its_workbook(made) -> None:  # type: ignore[no-untyped-def]
    b, doc = made
    (space,) = charts_of(doc)
    series = space.findall(f".//{C}ser")
    names = [s.find(f"{C}tx//{C}v").text for s in series]
    assert names == ["本期报送率（%）", "平均完成进度（%）"]
    categories = [v.text for v in series[0].find(f"{C}cat").iter(f"{C}v")]
    assert categories[:4] == ["发展规划科", "学前教育科", "计划财务科", "基础教育科"]
    assert categories == [u.unit_name for u in b.ranking]
    rates = [float(v.text) for v in series[0].find(f"{C}val").iter(f"{C}v")]
    assert rates[:4] == [100, 100, 100, 50]
    progress = [float(v.text) for v in series[1].find(f"{C}val").iter(f"{C}v")]
    assert progress[0] == 70
    assert space.find(f".//{A}defRPr/{A}ea").get("typeface") == "宋体"
    assert "各责任单位本期报送率与平均完成进度" in "".join(
        t.text for t in space.find(f"{C}chart/{C}title").iter(f"{A}t")
    )
    # the body refers to the chart from an inline graphic frame
    body = etree.tostring(doc.element.body).decode()
    assert 'uri="http://schemas.openxmlformats.org/drawingml/2006/chart"' in body and "<c:chart " in body
    holder = next(p for p in doc.paragraphs if p._p.xpath(".//w:drawing"))
    assert holder.paragraph_format.line_spacing == 1.0  # not the body's exact 29 pt, which would crop it
    # the workbook behind the chart (编辑数据 in Word) holds the same figures
    chart_rel = next(r for r in doc.part.rels.values() if r.reltype.endswith("/chart"))
    (xlsx_rel,) = chart_rel.target_part.rels.values()
    sheet = load_workbook(io.BytesIO(xlsx_rel.target_part.blob)).active
    assert (
        sheet["A2"].value == "发展规划科"
        and sheet["B1"].value == "本期报送率（%）"
        and sheet["B5"].value == 50
    )


def test_red_list_ranking_and_sign_off(made) -> None:  # type: ignore[no-untyped-def]
    _b, doc = made
    red = doc.tables[1]
    assert [c.text for c in red.rows[0].cells] == ["序号", "任务", "责任单位", "序时进度", "完成进度", "原因"]
    rows = [[c.text for c in r.cells] for r in red.rows[1:]]
    assert len(rows) == 8
    seven = next(r for r in rows if r[1] == "7. 建设智慧校园")
    assert seven[2] == "教育技术装备中心、计划财务科" and seven[4] == "2.5%" and "有单位报告受阻" in seven[5]
    assert "本期无逾期未完成任务。" in _texts(doc)
    ranking = doc.tables[2]
    assert ranking.rows[0].cells[0].text == "名次"
    # like with like: a row names each group (市局科室, then 直属单位) before its units
    assert ranking.rows[1].cells[0].text == "市局科室"
    assert [r.cells[1].text for r in ranking.rows[2:5]] == ["发展规划科", "学前教育科", "计划财务科"]
    assert [c.text for c in ranking.rows[2].cells][:7] == ["1", "发展规划科", "1", "1", "1", "100%", "25%"]
    assert "直属单位" in [r.cells[0].text for r in ranking.rows]
    texts = _texts(doc)
    assert texts[-2:] == ["示例市教育局", "2024年5月10日"]


def test_overdue_list_after_the_deadline(
    world: World, sessions: SessionFactory, settings: Settings, tmp_path: Path
) -> None:
    from datetime import date

    file_april(sessions, world)
    b = bulletin(sessions, settings, Principal.system(), world.plan_id, date(2024, 7, 2))
    doc = Document(str(write_bulletin(b, tmp_path / "x.docx")))
    overdue = doc.tables[2]
    assert [c.text for c in overdue.rows[0].cells] == ["序号", "任务", "责任单位", "完成时限", "完成进度"]
    assert [c.text for c in overdue.rows[1].cells][:4] == [
        "1",
        "1. 加快中小学幼儿园建设",
        "发展规划科、基础教育科",
        "2024年6月30日",
    ]
    assert "关于2024年6月（第6期）" in doc.paragraphs[5].text
