"""A native Word chart (DrawingML chart part with its embedded workbook) inside a python-docx
document, so that Chinese labels are drawn by Word with its own fonts on any machine: no font
file, no image.

python-docx cannot make charts, python-pptx can: its `ChartXmlWriter` writes the chart XML
(`c:chartSpace`) and `CategoryChartData.xlsx_blob` the workbook behind it (via XlsxWriter).  Both are
added to the docx package as plain OPC parts — ``/word/charts/chartN.xml`` related to the document
(relationship type *chart*) and ``/word/embeddings/Microsoft_Excel_SheetN.xlsx`` related to the chart
(*package*, referenced by ``c:externalData``) — and the chart is placed in a run as an inline
``wp:inline`` graphic frame holding ``<c:chart r:id=…>``.  Word opens it as an ordinary chart
(编辑数据 works); LibreOffice reads the cached values.

Labels are written as text in the workbook, never as formulas (`eduplan.export.cells`).
Limits: clustered bar/column charts of one category axis; styling is python-pptx's defaults plus a
title, a legend at the bottom, data labels and the East Asian font of the labels.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Length
from lxml import etree

from eduplan.export.cells import clean_text

CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
INLINE = (
    '<wp:inline distT="0" distB="0" distL="0" distR="0"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    f' xmlns:a="{A_NS}" xmlns:c="{CHART_URI}"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name="图表 {id}"/><wp:cNvGraphicFramePr/>'
    f'<a:graphic><a:graphicData uri="{CHART_URI}"><c:chart r:id="{{rid}}"/></a:graphicData></a:graphic>'
    "</wp:inline>"
)


def _next_number(package: Any, folder: str) -> int:
    used = {str(p.partname) for p in package.iter_parts()}
    n = 1
    while any(name.startswith(f"{folder}{n}.") for name in used):
        n += 1
    return n


def _east_asian_font(space: Any, typeface: str) -> None:
    """Give the chart's default text an East Asian typeface (``a:ea``) beside its latin one."""
    for rpr in space.iter(f"{{{A_NS}}}defRPr"):
        latin = rpr.find(f"{{{A_NS}}}latin")
        ea = rpr.find(f"{{{A_NS}}}ea")
        if ea is None:
            ea = etree.Element(f"{{{A_NS}}}ea")
            if latin is not None:
                latin.addnext(ea)
            else:
                rpr.append(ea)
        ea.set("typeface", typeface)


def _text_workbook(data: Any) -> bytes:
    """The workbook behind a chart, its labels written as text (python-pptx's writer, whose
    XlsxWriter would store a label beginning with ``=`` as a formula: see `eduplan.export.cells`)."""
    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class TextWorkbookWriter(CategoryWorkbookWriter):  # type: ignore[misc]
        @contextmanager
        def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
            workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False})
            worksheet = workbook.add_worksheet()
            yield workbook, worksheet
            workbook.close()

    return bytes(TextWorkbookWriter(data).xlsx_blob)


def chart_xml(
    categories: list[str],
    series: dict[str, list[float]],
    title: str,
    horizontal: bool = True,
    font: str = "宋体",
    maximum: float | None = None,
) -> tuple[Any, bytes]:
    """The `c:chartSpace` element of a clustered bar chart, and the xlsx bytes behind it."""
    from pptx.chart.chart import Chart
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.oxml import parse_xml as parse_chart
    from pptx.util import Pt

    data = CategoryChartData(number_format="0.0")
    data.categories = [clean_text(c) for c in categories]
    for name, values in series.items():
        data.add_series(clean_text(name), values)
    kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    space = parse_chart(ChartXmlWriter(kind, data).xml.encode("utf-8"))
    chart = Chart(space, None)
    chart.has_title = True
    chart.chart_title.text_frame.text = clean_text(title)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    # a zero bar has no length: its label would sit on the axis over its neighbour's, so it has none
    plot.data_labels.number_format = "0.0;-0.0;;"
    plot.data_labels.number_format_is_linked = False
    if horizontal:
        chart.category_axis.reverse_order = True  # first category at the top, as read
    if maximum is not None:
        chart.value_axis.maximum_scale = maximum
        chart.value_axis.minimum_scale = 0
    chart.font.size = Pt(10.5)
    chart.font.name = font
    _east_asian_font(space, font)
    return space, _text_workbook(data)


def add_chart(
    document: Any,
    categories: list[str],
    series: dict[str, list[float]],
    title: str,
    width: Length,
    height: Length,
    horizontal: bool = True,
    maximum: float | None = None,
) -> Any:
    """Append a paragraph holding a native chart to `document`; returns the paragraph."""
    space, workbook = chart_xml(categories, series, title, horizontal, maximum=maximum)
    package = document.part.package
    n = _next_number(package, "/word/charts/chart")
    xlsx = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Sheet{n}.xlsx"), XLSX_TYPE, workbook, package)
    part = Part(PackURI(f"/word/charts/chart{n}.xml"), CHART_TYPE, None, package)
    external = space._add_externalData()
    external.rId = part.relate_to(xlsx, RT.PACKAGE)
    part._blob = etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)
    rid = document.part.relate_to(part, RT.CHART)
    inline = parse_xml(INLINE.format(cx=int(width), cy=int(height), id=document.part.next_id, rid=rid))
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing = 1.0  # an "exactly" spacing inherited would crop the chart
    paragraph.paragraph_format.first_line_indent = 0
    paragraph.add_run()._r.add_drawing(inline)
    return paragraph


def charts_of(document: Any) -> list[Any]:
    """The `c:chartSpace` elements of the charts a document's body refers to (for checks)."""
    out = []
    for rel in document.part.rels.values():
        if rel.reltype == RT.CHART:
            out.append(etree.fromstring(rel.target_part.blob))
    return out
