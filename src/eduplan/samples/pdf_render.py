"""Lay the sample plan out as a printed 公文 PDF with reportlab (dev dependency, imported lazily).

Pages follow the look of GB/T 9704 documents: 28 characters a line, 21 lines a page (so that item
8 runs on from page 3 to page 4), a cover notice on page 1 under a large 版头, the plan from page 2
with a running header "示例市教育局文件" and "- N -" page numbers at the foot.  Paragraphs wrap at
the right margin, so readers must join them again.  Layout is done by hand (not platypus) to stay
predictable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from eduplan.samples import plan_text as pt

FONT = "STSong-Light"
PAGE_W, PAGE_H = 595.0, 842.0
SIZE = 15.0
LEFT = 88.0
RIGHT = LEFT + 28 * SIZE
TOP = 742.0
LINE_H = 28.0
LINES_PER_PAGE = 21
BOTTOM = TOP - LINES_PER_PAGE * LINE_H
COL_WIDTHS = (150.0, 50.0, 70.0, 70.0, 60.0)
ROW_H = 24.0

_NO_LINE_START = "，。、；：？！）》”’」%"

Align = Literal["left", "indent", "center", "right"]


def line_start(
    align: Align, width: float, size: float, first: bool, page_w: float, left: float, right: float
) -> float:
    """Where a line `width` wide starts on a page `page_w` wide with margins at `left` and `right`:
    centred, flush right, indented two characters (a paragraph's `first` line) or flush left."""
    if align == "center":
        return (page_w - width) / 2
    if align == "right":
        return right - width
    if align == "indent" and first:
        return left + 2 * size
    return left


@dataclass
class Block:
    """A paragraph to lay out: text, alignment, font size, whether a new page starts before it."""

    text: str
    align: Align = "indent"
    size: float = SIZE
    new_page: bool = False


def sample_blocks() -> list[Block]:
    """The sample plan as paragraphs to lay out (the table and closing line are drawn apart)."""
    blocks = [
        Block(pt.ISSUER_HEADER, "center", 26.0),
        Block(pt.DOC_NUMBER, "center"),
        Block(pt.NOTICE_TITLE, "center", 18.0),
        Block(pt.RECIPIENTS, "left"),
        Block(pt.NOTICE_BODY),
        *(Block(issuer, "right") for issuer in pt.ISSUERS),
        Block(pt.ISSUE_DATE, "right"),
        Block(pt.PLAN_TITLE, "center", 18.0, new_page=True),
        Block(pt.LEAD),
    ]
    number = 0
    for c, chapter in enumerate(pt.CHAPTERS):
        blocks.append(Block(f"{pt.chapter_number(c)}、{chapter.title}"))
        for item in chapter.items:
            number += 1
            blocks.append(Block(f"{number}.{item.text}"))
            blocks.append(Block(item.units))
    blocks.append(Block(pt.TABLE_CAPTION, "left"))
    return blocks


def _wrap(text: str, first_width: float, width: float, size: float) -> list[str]:
    """Greedy line breaking by glyph width (CJK text breaks between any two characters)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    limit = first_width
    for ch in text:
        # 禁则: closing punctuation never starts a line; it hangs in the margin as in Word
        fits = stringWidth(current + ch, FONT, size) <= limit or ch in _NO_LINE_START
        if current and not fits:
            lines.append(current)
            current = ""
            limit = width
        current += ch
    if current:
        lines.append(current)
    return lines


class _Pages:
    """A canvas that knows the current line position and draws header/footer on each new page."""

    def __init__(self, path: Path, header: str | None = pt.ISSUER_HEADER) -> None:
        from reportlab.pdfgen.canvas import Canvas

        self.canvas: Any = Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
        self.header = header
        self.page = 1
        self.y = TOP
        self._decorate()

    def _decorate(self) -> None:
        c = self.canvas
        if self.page > 1 and self.header:
            c.setFont(FONT, 10.5)
            c.drawCentredString(PAGE_W / 2, 800, self.header)
            c.line(LEFT, 795, RIGHT, 795)
        c.setFont(FONT, 12)
        c.drawCentredString(PAGE_W / 2, 60, f"- {self.page} -")

    def new_page(self) -> None:
        self.canvas.showPage()
        self.page += 1
        self.y = TOP
        self._decorate()

    def ensure(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.new_page()

    def draw_line(self, text: str, align: Align, size: float, first: bool) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        height = max(LINE_H, size * 1.6)
        self.ensure(height)
        self.y -= height
        x = line_start(align, stringWidth(text, FONT, size), size, first, PAGE_W, LEFT, RIGHT)
        self.canvas.setFont(FONT, size)
        self.canvas.drawString(x, self.y + (height - size) / 2, text)


def _draw_table(pages: _Pages) -> None:
    rows = pt.INDICATOR_TABLE
    pages.ensure(ROW_H * len(rows) + 4)
    c = pages.canvas
    top = pages.y - 4
    xs = [LEFT]
    for w in COL_WIDTHS:
        xs.append(xs[-1] + w)
    bottom = top - ROW_H * len(rows)
    for r in range(len(rows) + 1):
        c.line(xs[0], top - r * ROW_H, xs[-1], top - r * ROW_H)
    for x in xs:
        c.line(x, top, x, bottom)
    c.setFont(FONT, 11)
    for r, row in enumerate(rows):
        for col, value in enumerate(row):
            c.drawString(xs[col] + 4, top - (r + 1) * ROW_H + 8, value)
    pages.y = bottom


def _draw_blocks(pages: _Pages, blocks: list[Block]) -> None:
    for block in blocks:
        if block.new_page:
            pages.new_page()
        width = RIGHT - LEFT
        first_width = width - 2 * block.size if block.align == "indent" else width
        for i, line in enumerate(_wrap(block.text, first_width, width, block.size)):
            pages.draw_line(line, block.align, block.size, first=i == 0)


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def render_pdf(path: Path) -> Path:
    """Write the sample plan as a multi-page PDF with a Chinese CID font."""
    _register_font()
    pages = _Pages(path)
    _draw_blocks(pages, sample_blocks())
    _draw_table(pages)
    pages.draw_line(pt.CLOSING, "left", SIZE, first=True)
    pages.canvas.showPage()
    pages.canvas.save()
    return path


def render_text_pdf(lines: list[str], path: Path) -> Path:
    """Write any document's lines as a printed PDF: the first line a centred title, the rest
    indented paragraphs wrapped at the margin, ``- N -`` page numbers; a table-of-contents line
    (``标题……\t6``) gets a dotted leader to its page number, other tabs become spaces."""
    _register_font()
    pages = _Pages(path, header=None)
    texts = [line.strip() for line in lines if line.strip()]
    blocks = [Block(" ".join(texts[0].split()), "center", 18.0)] if texts else []
    for text in texts[1:]:
        entry, _, page = text.rpartition("\t")
        if entry and page.strip().isdigit():
            blocks.append(Block(f"{entry.rstrip('.。…· ')}{'…' * 6}{page.strip()}", "left"))
        else:
            blocks.append(Block(" ".join(text.split())))
    _draw_blocks(pages, blocks)
    pages.canvas.showPage()
    pages.canvas.save()
    return path


def render_scanned_pdf(path: Path) -> Path:
    """Write a two-page PDF of grey bars and a seal outline: what a scan looks like, no text layer."""
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    for page in range(2):
        c.setFillGray(0.35)
        for i in range(LINES_PER_PAGE):
            indent = 2 * SIZE if i % 5 == 0 else 0
            length = (RIGHT - LEFT - indent) * (0.55 if i % 5 == 4 else 1.0)
            c.rect(LEFT + indent, TOP - (i + 1) * LINE_H + 8, length, 12, stroke=0, fill=1)
        if page == 0:
            c.setStrokeColorRGB(0.8, 0.1, 0.1)
            c.circle(RIGHT - 60, BOTTOM + 60, 45, stroke=1, fill=0)
        c.showPage()
    c.save()
    return path
