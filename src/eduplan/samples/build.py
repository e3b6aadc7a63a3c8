"""Write the sample plan (`plan_text`) as the files a bureau would publish: txt, docx, html, mht, pdf.

Each builder writes one file and returns its path.  The docx can carry typed numbers (一、 1.) or
Word automatic numbering (numbers only in numbering.xml), so that readers can be checked to give
the same lines for both.  PDFs need reportlab (a dev dependency), imported only when called.
"""

from __future__ import annotations

import html as html_escape
from pathlib import Path
from typing import Any, Literal

from eduplan.samples import plan_text as pt

TextEncoding = Literal["utf-8", "utf-8-sig", "gb18030", "utf-16"]
Numbering = Literal["typed", "auto"]


def write_txt(
    path: str | Path, encoding: TextEncoding = "utf-8", newline: Literal["\n", "\r\n"] = "\n"
) -> Path:
    """The sample as a plain-text file in the given encoding and line ending."""
    path = Path(path)
    text = newline.join(pt.sample_lines()) + newline
    path.write_bytes(text.encode(encoding))
    return path


def write_docx(path: str | Path, numbering: Numbering = "typed", year: int = pt.SAMPLE_YEAR) -> Path:
    """The sample as a Word file; ``numbering="auto"`` uses Word automatic numbering for 一、 and 1.;
    `year` moves the plan to another year (`plan_text.for_year`)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT

    def para(text: str, align: Any = None, indent: bool = False, size: int | None = None) -> Any:
        p = doc.add_paragraph()
        run = p.add_run(pt.for_year(text, year))
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        return p

    para(pt.ISSUER_HEADER, center, size=26)
    para(pt.DOC_NUMBER, center)
    para(pt.NOTICE_TITLE, center, size=18)
    para(pt.RECIPIENTS)
    para(pt.NOTICE_BODY, indent=True)
    for issuer in pt.ISSUERS:
        para(issuer, right)
    para(pt.ISSUE_DATE, right)
    doc.add_page_break()
    para(pt.PLAN_TITLE, center, size=18)
    para(pt.LEAD, indent=True)

    chapter_num = item_num = None
    chapter_style = None
    number = 0
    if numbering == "auto":
        chapter_num, item_num = _add_numbering_definitions(doc)
        chapter_style = _add_numbered_style(doc, "章标题", chapter_num)
    for c, chapter in enumerate(pt.CHAPTERS):
        if chapter_style is not None:
            p = doc.add_paragraph(chapter.title, style=chapter_style)
        else:
            p = para(f"{pt.chapter_number(c)}、{chapter.title}", indent=True)
        for item in chapter.items:
            number += 1
            if item_num is not None:
                p = para(item.text, indent=True)
                _set_num_pr(p._p.get_or_add_pPr(), item_num)
            else:
                para(f"{number}.{item.text}", indent=True)
            para(item.units, indent=True)

    para(pt.TABLE_CAPTION)
    rows = pt.INDICATOR_TABLE
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for col, value in enumerate(row):
            table.cell(r, col).text = pt.for_year(value, year)
    para(pt.CLOSING)
    path = Path(path)
    doc.save(str(path))
    return path


def _w(tag: str, **attrs: str) -> Any:
    """A new w:tag element with w:-prefixed attributes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


def _set_num_pr(ppr: Any, num_id: int, ilvl: int = 0) -> None:
    """Attach w:numPr (list membership) to a paragraph or style's w:pPr."""
    num_pr = _w("numPr")
    num_pr.append(_w("ilvl", val=str(ilvl)))
    num_pr.append(_w("numId", val=str(num_id)))
    # w:numPr belongs near the front of w:pPr (after pStyle/keepNext… in schema order)
    anchor = ppr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pStyle")
    if anchor is not None:
        anchor.addnext(num_pr)
    else:
        ppr.insert(0, num_pr)


def _add_numbering_definitions(doc: Any) -> tuple[int, int]:
    """Two lists in numbering.xml: chapters (一、, chineseCounting) and items (1., decimal)."""
    from docx.oxml.ns import qn

    numbering = doc.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    next_abstract = max(abstract_ids, default=-1) + 1
    next_num = max(num_ids, default=0) + 1
    result = []
    for offset, (fmt, text) in enumerate((("chineseCounting", "%1、"), ("decimal", "%1."))):
        abstract = _w("abstractNum", abstractNumId=str(next_abstract + offset))
        abstract.append(_w("multiLevelType", val="multilevel"))
        for ilvl in range(2):
            lvl = _w("lvl", ilvl=str(ilvl))
            lvl.append(_w("start", val="1"))
            lvl.append(_w("numFmt", val=fmt if ilvl == 0 else "decimal"))
            lvl.append(_w("suff", val="nothing"))
            lvl.append(_w("lvlText", val=text if ilvl == 0 else "（%2）"))
            lvl.append(_w("lvlJc", val="left"))
            abstract.append(lvl)
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num = _w("num", numId=str(next_num + offset))
        num.append(_w("abstractNumId", val=str(next_abstract + offset)))
        numbering.append(num)
        result.append(next_num + offset)
    return result[0], result[1]


def _add_numbered_style(doc: Any, name: str, num_id: int) -> Any:
    """A paragraph style whose numbering comes from the style (as Word's heading styles do)."""
    from docx.enum.style import WD_STYLE_TYPE

    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    _set_num_pr(style.element.get_or_add_pPr(), num_id)
    return style


_HTML_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<title>{title}_示例市教育局</title>
<style>body {{ font-family: SimSun; }} .nav a {{ margin: 0 8px; }}</style>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
</head>
<body>
<header class="top"><div class="logo">示例市教育局门户网站</div></header>
<nav class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a><a href="/zwfw/">政务服务</a>
<a href="/hdjl/">互动交流</a></nav>
<div class="location">当前位置：首页 &gt; 信息公开 &gt; 通知公告</div>
<div class="article">
<h1>{title}</h1>
<div class="info">发布时间：2024-02-22 来源：示例市教育局 <span id="views">浏览次数：<script>
document.write(1024);</script></span></div>
<div class="content">
{body}
</div>
</div>
<footer><p>主办单位：示例市教育局 备案号：示ICP备00000000号</p><p>地址：示例市人民路1号</p></footer>
<script src="/js/share.js"></script>
</body>
</html>
"""


def write_html(path: str | Path, encoding: Literal["utf-8", "gb18030"] = "utf-8") -> Path:
    """The sample as a government-website article page (nav, scripts and footer around the text)."""
    esc = html_escape.escape
    parts = [
        f'<p style="text-align:center">{esc(pt.DOC_NUMBER)}</p>',
        f"<p><strong>{esc(pt.NOTICE_TITLE)}</strong></p>",
        f"<p>{esc(pt.RECIPIENTS)}</p>",
        f'<p style="text-indent:2em">{esc(pt.NOTICE_BODY)}</p>',
        *(f'<p style="text-align:right">{esc(issuer)}</p>' for issuer in pt.ISSUERS),
        f'<p style="text-align:right">{esc(pt.ISSUE_DATE)}</p>',
        f'<p style="text-align:center"><b>{esc(pt.PLAN_TITLE)}</b></p>',
        f"<p>&nbsp;&nbsp;{esc(pt.LEAD)}</p>",
    ]
    number = 0
    for c, chapter in enumerate(pt.CHAPTERS):
        parts.append(f"<p><strong>{pt.chapter_number(c)}、{esc(chapter.title)}</strong></p>")
        for item in chapter.items:
            number += 1
            parts.append(f"<p>{number}.<b>{esc(item.title)}。</b>{esc(item.body)}</p>")
            parts.append(f"<p>{esc(item.units)}</p>")
    parts.append(f"<p>{esc(pt.TABLE_CAPTION)}</p>")
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in pt.INDICATOR_TABLE
    )
    parts.append(f'<table border="1">\n<tbody>\n{rows}\n</tbody>\n</table>')
    parts.append(f"<p>{esc(pt.CLOSING)}</p>")
    # the page header line of the printed document is site chrome here: keep it as the first <p>
    body = f'<p style="text-align:center">{esc(pt.ISSUER_HEADER)}</p>\n' + "\n".join(parts)
    charset = "gb2312" if encoding == "gb18030" else "utf-8"
    page = _HTML_PAGE.format(charset=charset, title=esc(pt.PLAN_TITLE), body=body)
    path = Path(path)
    path.write_bytes(page.encode(encoding))
    return path


def write_mht(path: str | Path, encoding: Literal["utf-8", "gb18030"] = "utf-8") -> Path:
    """The sample as Word's "single file web page" (.mht, often named .doc): a MIME message whose
    HTML part is base64 (utf-8) or quoted-printable gb2312 with the charset only in the MIME header,
    beside a picture part."""
    import base64
    import quopri
    import re

    path = Path(path)
    page = write_html(path.with_suffix(".part.html"), encoding).read_bytes()
    path.with_suffix(".part.html").unlink()
    if encoding == "utf-8":
        charset, transfer, body = "utf-8", "base64", base64.encodebytes(page)
    else:
        page = re.sub(rb"<meta[^>]*charset[^>]*>", b"", page, flags=re.IGNORECASE)
        charset, transfer, body = "gb2312", "quoted-printable", quopri.encodestring(page)
    boundary = "----=_NextPart_01DA0000.12345678"
    head = (
        f'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="{boundary}"\r\n\r\n'
        "此文档为“单个文件网页”，也称为“Web 档案”文件。\r\n\r\n"
        f"--{boundary}\r\nContent-Location: file:///C:/plan.htm\r\n"
        f'Content-Transfer-Encoding: {transfer}\r\nContent-Type: text/html; charset="{charset}"\r\n\r\n'
    )
    picture = (
        f"\r\n--{boundary}\r\nContent-Location: file:///C:/plan.files/image001.png\r\n"
        "Content-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\niVBORw0KGgo=\r\n"
        f"\r\n--{boundary}--\r\n"
    )
    path.write_bytes(head.encode("gb18030") + body + picture.encode("ascii"))
    return path


def write_pdf(path: str | Path) -> Path:
    """The sample as a printed-document PDF: running header, page numbers, wrapped paragraphs."""
    from eduplan.samples.pdf_render import render_pdf

    return render_pdf(Path(path))


def write_scanned_pdf(path: str | Path) -> Path:
    """A PDF that looks like a scan: only drawings, no text layer."""
    from eduplan.samples.pdf_render import render_scanned_pdf

    return render_scanned_pdf(Path(path))
