"""Write OFD files (GB/T 33190) laid out like a printed 公文, for the reader's tests and benchmarks.

The package follows the standard's layout: ``OFD.xml`` → ``Doc_0/Document.xml`` (CommonData with
PageArea, a TemplatePage and resources; Pages) → ``Doc_0/Pages/Page_N/Content.xml``, a Layer of
TextObjects (one per printed line or table cell, a TextCode with X/Y on the baseline and DeltaX
advances in the ``g N d`` shorthand) and, for scans, ImageObjects whose MultiMedia lives in
``Doc_0/Res``.  Large titles are drawn at Size 1 scaled by a CTM, as some producers do.  From page 2
a running header comes from the template page and every page has a ``- N -`` number at its foot.

Geometry is in millimetres.  Glyph widths are estimated (full width for CJK, half for the rest); no
font is embedded, which readers that only extract text do not need.
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from eduplan.samples import plan_text as pt
from eduplan.samples.pdf_render import Align, Block, line_start, sample_blocks

PT = 25.4 / 72
PAGE_W, PAGE_H = 210.0, 297.0
SIZE = 15 * PT
LEFT = 31.0
RIGHT = LEFT + 28 * SIZE
TOP = 37.0
LINE_H = 28 * PT
LINES_PER_PAGE = 21
BOTTOM = TOP + LINES_PER_PAGE * LINE_H
HEADER_SIZE = 10.5 * PT
CELL_SIZE = 11 * PT
_NO_LINE_START = "，。、；：？！）》”’」%"
_NS = "http://www.ofdspec.org/2016"


@dataclass
class Text:
    """One TextObject: a line (or cell) of text whose first glyph starts at x on the baseline."""

    x: float
    baseline: float
    size: float
    text: str
    spacing: float = 0.0
    """Added to every advance but the last: a justified line (两端对齐) fills the measure."""


@dataclass(kw_only=True)
class Page:
    texts: list[Text] = field(default_factory=list)
    image: bytes | None = None
    header: bool = False


def advance(char: str, size: float) -> float:
    """The width a glyph takes: full for CJK and full-width forms, half for the rest."""
    return size if unicodedata.east_asian_width(char) in "WF" else size / 2


def text_width(text: str, size: float) -> float:
    return sum(advance(ch, size) for ch in text)


def wrap(text: str, first_width: float, width: float, size: float) -> list[str]:
    """Greedy line breaking; closing punctuation never starts a line (it hangs in the margin)."""
    lines: list[str] = []
    current, used, limit = "", 0.0, first_width
    for ch in text:
        w = advance(ch, size)
        if current and used + w > limit + 1e-6 and ch not in _NO_LINE_START:
            lines.append(current)
            current, used, limit = "", 0.0, width
        current += ch
        used += w
    if current:
        lines.append(current)
    return lines


class Layout:
    """Pages filled line by line from the top margin, a new page when the bottom is reached."""

    def __init__(self, running_header: bool = True) -> None:
        self.pages: list[Page] = []
        self.running_header = running_header
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(Page(header=self.running_header and bool(self.pages)))
        self.y = TOP

    def ensure(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.new_page()

    def line(self, text: str, align: Align, size: float, first: bool, fill: float = 0.0) -> None:
        height = max(LINE_H, size * 1.6)
        self.ensure(height)
        self.y += height
        width = text_width(text, size)
        x = line_start(align, width, size, first, PAGE_W, LEFT, RIGHT)
        spacing = max(0.0, (fill - width) / (len(text) - 1)) if fill and len(text) > 1 else 0.0
        self.pages[-1].texts.append(Text(x, self.y - (height - size) / 2, size, text, spacing))

    def paragraph(self, text: str, align: Align = "indent", size: float = SIZE) -> None:
        width = RIGHT - LEFT
        first_width = width - 2 * size if align == "indent" else width
        lines = wrap(text, first_width, width, size)
        for i, line in enumerate(lines):
            # every line but the last is justified to the right margin, as Word and WPS do
            fill = (first_width if i == 0 else width) if i < len(lines) - 1 and align != "center" else 0.0
            self.line(line, align, size, first=i == 0, fill=fill)

    def row(self, cells: Sequence[str], size: float = CELL_SIZE, columns: Sequence[float] = ()) -> bool:
        """One table row of cells on one baseline; False (nothing drawn) when it does not fit."""
        xs, x = [], LEFT
        for i, cell in enumerate(cells):
            xs.append(x)
            column = columns[i] if i < len(columns) else 0.0
            x = max(x + column, x + text_width(cell, size) + 2 * size)
        if x - 2 * size > RIGHT:
            return False
        self.ensure(LINE_H)
        self.y += LINE_H
        for cell_x, cell in zip(xs, cells, strict=True):
            if cell.strip():
                self.pages[-1].texts.append(Text(cell_x, self.y - (LINE_H - size) / 2, size, cell))
        return True


def _deltas(text: str, size: float, scale: float, spacing: float) -> str:
    values = [f"{(advance(ch, size) + spacing) / scale:.3f}" for ch in text[:-1]]
    out: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j < len(values) and values[j] == values[i]:
            j += 1
        out.append(f"g {j - i} {values[i]}" if j - i > 1 else values[i])
        i = j
    return " ".join(out)


def _text_object(ident: int, t: Text) -> str:
    # titles (above the body size) are drawn at Size 1 and scaled by a CTM, as some producers do
    scale = t.size if t.size > SIZE + 0.01 else 1.0
    size_attr = t.size / scale
    width = text_width(t.text, t.size) + t.spacing * (len(t.text) - 1)
    top = t.baseline - 0.86 * t.size
    ctm = f' CTM="{scale:.4f} 0 0 {scale:.4f} 0 0"' if scale != 1.0 else ""
    deltas = _deltas(t.text, t.size, scale, t.spacing)
    delta_attr = f' DeltaX="{deltas}"' if deltas else ""
    return (
        f'<ofd:TextObject ID="{ident}" Boundary="{t.x:.3f} {top:.3f} {width:.3f} {t.size:.3f}" '
        f'Font="2" Size="{size_attr:.4f}"{ctm}><ofd:FillColor Value="0 0 0"/>'
        f'<ofd:TextCode X="0" Y="{0.86 * t.size / scale:.4f}"{delta_attr}>{escape(t.text)}</ofd:TextCode>'
        "</ofd:TextObject>"
    )


def _content(objects: list[str], ident: int, template: bool) -> str:
    tpl = '<ofd:Template TemplateID="1" ZOrder="Background"/>' if template else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_NS}">{tpl}'
        f'<ofd:Content><ofd:Layer ID="{ident}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def write_ofd(path: str | Path, pages: Sequence[Page], header: str = pt.ISSUER_HEADER) -> Path:
    """Write `pages` as an OFD package; pages with ``header`` draw the template's running header."""
    path = Path(path)
    ident = 10
    parts: dict[str, str | bytes] = {}
    media = []
    page_refs = []
    for n, page in enumerate(pages):
        objects = []
        for t in page.texts:
            ident += 1
            objects.append(_text_object(ident, t))
        if page.image is not None:
            ident += 1
            image_id = ident
            parts[f"Doc_0/Res/page_{n}.png"] = page.image
            media.append(
                f'<ofd:MultiMedia ID="{image_id}" Type="Image" Format="PNG">'
                f"<ofd:MediaFile>page_{n}.png</ofd:MediaFile></ofd:MultiMedia>"
            )
            ident += 1
            objects.append(
                f'<ofd:ImageObject ID="{ident}" ResourceID="{image_id}" Boundary="0 0 {PAGE_W} {PAGE_H}" '
                f'CTM="{PAGE_W} 0 0 {PAGE_H} 0 0"/>'
            )
        number = Text(0, 0, 12 * PT, f"- {n + 1} -")
        number.x, number.baseline = (PAGE_W - text_width(number.text, number.size)) / 2, PAGE_H - 20
        if page.image is None:
            ident += 1
            objects.append(_text_object(ident, number))
        ident += 1
        parts[f"Doc_0/Pages/Page_{n}/Content.xml"] = _content(objects, ident, page.header)
        page_refs.append(f'<ofd:Page ID="{ident + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>')
        ident += 1
    head = Text(0, 14.0, HEADER_SIZE, header)
    head.x = (PAGE_W - text_width(header, HEADER_SIZE)) / 2
    ident += 1
    parts["Doc_0/Tpls/Tpl_0/Content.xml"] = _content([_text_object(ident, head)], ident + 1, False)
    ident += 2
    parts["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{_NS}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    parts["Doc_0/DocumentRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{_NS}" BaseLoc="Res">'
        f"<ofd:MultiMedias>{''.join(media)}</ofd:MultiMedias></ofd:Res>"
    )
    parts["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{ident}</ofd:MaxUnitID>"
        f"<ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_W} {PAGE_H}</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
        '<ofd:TemplatePage ID="1" BaseLoc="Tpls/Tpl_0/Content.xml"/>'
        f"</ofd:CommonData><ofd:Pages>{''.join(page_refs)}</ofd:Pages></ofd:Document>"
    )
    parts["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_NS}" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>eduplan-sample</ofd:DocID><ofd:Creator>eduplan</ofd:Creator>"
        "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", parts.pop("OFD.xml"))
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def render_sample_ofd(path: str | Path) -> Path:
    """The sample plan as an OFD laid out like the sample PDF (cover page, plan, indicator table)."""
    layout = Layout()
    for block in sample_blocks():
        if block.new_page:
            layout.new_page()
        layout.paragraph(block.text, block.align, block.size * PT)
    columns = [w * PT for w in (150.0, 50.0, 70.0, 70.0, 60.0)]
    for row in pt.INDICATOR_TABLE:
        layout.row(row, columns=columns)
    layout.paragraph(pt.CLOSING, "left")
    return write_ofd(path, layout.pages)


def render_text_ofd(path: str | Path, lines: Sequence[str]) -> Path:
    """Plain text as an OFD: each line a paragraph (first line indented), tab-separated lines as
    table rows where they fit the width (else as a paragraph of space-separated cells)."""
    layout = Layout()
    for line in lines:
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) > 1 and layout.row([c.strip() for c in cells]):
            continue
        layout.paragraph(" ".join(c.strip() for c in cells if c.strip()))
    return write_ofd(path, layout.pages)


def write_scanned_ofd(path: str | Path, page_images: Sequence[bytes]) -> Path:
    """An OFD whose pages are only images (a scan): each page one full-page ImageObject."""
    return write_ofd(path, [Page(image=image) for image in page_images])


__all__ = ["Block", "Layout", "Page", "Text", "render_sample_ofd", "render_text_ofd", "write_ofd"]
