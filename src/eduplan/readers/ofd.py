"""OFD (GB/T 33190, the 版式 format of 党政机关): the text objects of each page, in reading order.

An OFD is a zip: ``OFD.xml`` names each document's ``Document.xml`` (DocBody/DocRoot), which lists
its pages (Pages/Page BaseLoc → ``Content.xml``) and page templates.  Every TextObject on a page or
its templates (inside layers and PageBlocks) gives glyphs: each TextCode's text from its X/Y (the
baseline), glyph offsets from DeltaX/DeltaY (with the ``g N d`` shorthand), mapped to the page by
the object's CTM and Boundary origin.  Glyphs are grouped by baseline into lines and sorted by x; a
wide gap separates table cells (a tab).  From there on an OFD is read as a PDF is (`pdf_layout`):
page numbers and running headers dropped, wrapped lines joined into paragraphs.

A scanned OFD (images only, no text) raises ReadError("scanned"); `ofd_page_images` gives its page
images for OCR, and `image_only_pages` names the scanned pages of an OFD that mixes both (those
pages are left out of `read_ofd`'s lines until OCR reads them).  The zip is checked for bombs and
entity declarations first (`zipsafe`); any damage met while reading is one ReadError.
Limits: single-column pages; vertical text and glyph-only text (CGTransform without TextCode
characters) are not read; annotations and signatures (seals) are ignored.
"""

from __future__ import annotations

import itertools
import math
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from eduplan.readers.errors import ReadError
from eduplan.readers.pdf_layout import PdfLine, paragraphs, remove_page_furniture
from eduplan.readers.zipsafe import open_zip, refuse_xml_declarations

KIND = "OFD 文件"
MM_TO_PT = 72 / 25.4
"""OFD measures in millimetres; lines are handed to `pdf_layout` in PDF points."""
_A4_HEIGHT = 297.0
_CELL_GAP = 1.5
"""A gap wider than this many glyph sizes between two glyphs of a line separates table cells."""
_SCANNED = "这是扫描版 OFD，没有文字层，需要先进行 OCR 文字识别（或向发文单位索取 Word 版）后再导入"
_CORRUPT = "OFD 文件已损坏或结构不完整（{what}），无法读取；请重新导出 OFD，或改用 PDF/Word 版"
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass(slots=True)
class _Glyph:
    x: float
    y: float
    size: float
    advance: float
    char: str


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: Any, name: str) -> Iterator[Any]:
    return (child for child in el if _local(child.tag) == name)


def _child(el: Any, name: str) -> Any | None:
    return next(_children(el, name), None)


def _text_of(el: Any, name: str) -> str:
    child = _child(el, name)
    return (child.text or "").strip() if child is not None else ""


def _numbers(value: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(value or "")]


def _deltas(value: str | None, limit: int) -> list[float]:
    """The first `limit` values of a DeltaX/DeltaY list; ``g 3 5.2`` stands for 5.2 three times."""
    out: list[float] = []
    tokens = (value or "").split()
    i = 0
    while i < len(tokens) and len(out) < limit:
        if tokens[i] == "g" and i + 2 < len(tokens):
            count = max(0, min(int(float(tokens[i + 1])), limit - len(out)))
            out.extend([float(tokens[i + 2])] * count)
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def _width(char: str, size: float) -> float:
    """An estimated advance where DeltaX is absent: full width for CJK, half for the rest."""
    return size if unicodedata.east_asian_width(char) in "WF" else size / 2


class _Package:
    """The zip and its XML parts, paths resolved as the standard says (``/`` = package root)."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.names = {name.lower(): name for name in zf.namelist()}

    def find(self, path: str) -> str | None:
        return self.names.get(path.lstrip("/").lower())

    def xml(self, path: str) -> Any:
        from lxml import etree

        name = self.find(path)
        if name is None:
            raise ReadError(_CORRUPT.format(what=f"缺少 {path}"))
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            return etree.fromstring(self.zf.read(name), parser)
        except etree.XMLSyntaxError as exc:
            raise ReadError(_CORRUPT.format(what=f"{path} 不是有效的 XML")) from exc

    def read(self, path: str) -> bytes | None:
        name = self.find(path)
        return self.zf.read(name) if name is not None else None


def resolve(base: str, loc: str) -> str:
    """`loc` (from a file at `base`) as a path in the package."""
    loc = loc.strip().replace("\\", "/")
    if loc.startswith("/"):
        return posixpath.normpath(loc.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), loc))


@dataclass(kw_only=True)
class _Page:
    content: str
    templates: dict[str, str]
    """The document's template pages by ID; a page draws those its Content.xml names."""
    height_mm: float


def _box_height(el: Any | None) -> float | None:
    if el is None:
        return None
    area = _child(el, "PageArea") if _local(el.tag) != "Area" else el
    if area is None:
        return None
    box = _numbers(_text_of(area, "PhysicalBox"))
    return box[3] if len(box) == 4 and box[3] > 0 else None


def _document_pages(pkg: _Package, doc_path: str) -> list[_Page]:
    root = pkg.xml(doc_path)
    common = _child(root, "CommonData")
    default_height = _box_height(common) or _A4_HEIGHT
    templates: dict[str, str] = {}
    if common is not None:
        for tpl in _children(common, "TemplatePage"):
            if tpl.get("BaseLoc"):
                templates[tpl.get("ID") or ""] = resolve(doc_path, tpl.get("BaseLoc"))
    pages_el = _child(root, "Pages")
    pages = []
    for page in _children(pages_el, "Page") if pages_el is not None else ():
        if page.get("BaseLoc"):
            pages.append(
                _Page(
                    content=resolve(doc_path, page.get("BaseLoc")),
                    templates=templates,
                    height_mm=default_height,
                )
            )
    return pages


def _documents(pkg: _Package) -> list[str]:
    root = pkg.xml("OFD.xml")
    docs = [resolve("OFD.xml", _text_of(body, "DocRoot")) for body in _children(root, "DocBody")]
    docs = [d for d in docs if d != "."]
    if not docs:
        raise ReadError(_CORRUPT.format(what="OFD.xml 中没有 DocRoot"))
    return docs


def _ctm(obj: Any) -> tuple[float, float, float, float, float, float]:
    values = _numbers(obj.get("CTM"))
    if len(values) == 6:
        a, b, c, d, e, f = values
        return a, b, c, d, e, f
    return 1.0, 0.0, 0.0, 1.0, 0.0, 0.0


def _text_object(obj: Any, out: list[_Glyph]) -> None:
    box = _numbers(obj.get("Boundary"))
    bx, by = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
    a, b, c, d, e, f = _ctm(obj)
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    size = (_numbers(obj.get("Size")) or [3.5])[0]
    x = y = 0.0
    for code in _children(obj, "TextCode"):
        text = code.text or ""
        x = float(code.get("X", x))
        y = float(code.get("Y", y))
        dxs = _deltas(code.get("DeltaX"), len(text))
        dys = _deltas(code.get("DeltaY"), len(text))  # a TextCode may run on over several lines
        for i, char in enumerate(text):
            dx = dxs[i] if i < len(dxs) else _width(char, size)
            dy = dys[i] if i < len(dys) else 0.0
            width = dx if dx > 0 and dy == 0 else _width(char, size)
            if char not in "\r\n":
                px, py = bx + a * x + c * y + e, by + b * x + d * y + f
                out.append(_Glyph(px, py, size * scale, width * scale, char))
            x += dx
            y += dy


def _walk(el: Any, glyphs: list[_Glyph], images: list[tuple[float, str]]) -> None:
    for child in el:
        name = _local(child.tag)
        if name == "TextObject":
            _text_object(child, glyphs)
        elif name == "ImageObject":
            box = _numbers(child.get("Boundary"))
            area = box[2] * box[3] if len(box) == 4 else 0.0
            images.append((area, child.get("ResourceID") or ""))
        elif name in ("Content", "Layer", "PageBlock"):
            _walk(child, glyphs, images)


def _page_objects(pkg: _Package, page: _Page) -> tuple[list[_Glyph], list[tuple[float, str]], Any]:
    glyphs: list[_Glyph] = []
    images: list[tuple[float, str]] = []
    root = pkg.xml(page.content)
    for ref in _children(root, "Template"):
        template = page.templates.get(ref.get("TemplateID") or "")
        if template and pkg.find(template):
            _walk(pkg.xml(template), glyphs, images)
    _walk(root, glyphs, images)
    return glyphs, images, root


def _line_text(glyphs: list[_Glyph]) -> str:
    parts = [glyphs[0].char]
    for prev, glyph in itertools.pairwise(glyphs):
        gap = glyph.x - (prev.x + prev.advance)
        if gap > _CELL_GAP * max(prev.size, glyph.size):
            parts.append("\t")
        elif gap > 0.3 * prev.size and not (prev.char.isspace() or glyph.char.isspace()):
            parts.append(" ")
        parts.append(glyph.char)
    return "".join(parts)


def page_lines(glyphs: list[_Glyph], page: int, height_mm: float) -> list[PdfLine]:
    """Glyphs grouped by baseline into lines (top to bottom, each left to right), in PDF points."""
    rows: list[list[_Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.y, g.x)):
        row = rows[-1] if rows else None
        if row is not None and abs(glyph.y - row[0].y) <= 0.4 * max(glyph.size, row[0].size):
            row.append(glyph)
        else:
            rows.append([glyph])
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.x)
        kept = [g for i, g in enumerate(row) if i == 0 or not _duplicate(row[i - 1], g)]
        size = max(g.size for g in kept)
        base = max(g.y for g in kept)
        text = _line_text(kept)
        x0, x1 = kept[0].x, kept[-1].x + kept[-1].advance
        lines.append(
            PdfLine(
                page=page,
                text=text,
                x0=x0 * MM_TO_PT,
                x1=x1 * MM_TO_PT,
                top=(base - 0.86 * size) * MM_TO_PT,
                bottom=(base + 0.14 * size) * MM_TO_PT,
                page_height=height_mm * MM_TO_PT,
                is_table="\t" in text,
            )
        )
    return lines


def _duplicate(a: _Glyph, b: _Glyph) -> bool:
    """The same glyph drawn twice in one place (fake bold, a shadow)."""
    return a.char == b.char and abs(a.x - b.x) < 0.2 * a.size and abs(a.y - b.y) < 0.2 * a.size


@contextmanager
def _package(data: bytes) -> Iterator[tuple[_Package, list[_Page]]]:
    """The checked package and its pages; any damage met while reading it becomes one ReadError."""
    with open_zip(data, KIND) as zf:
        try:
            refuse_xml_declarations(zf, KIND)
            pkg = _Package(zf)
            pages = [page for doc in _documents(pkg) for page in _document_pages(pkg, doc)]
            if not pages:
                raise ReadError(_CORRUPT.format(what="没有任何页面"))
            yield pkg, pages
        except ReadError:
            raise
        except Exception as exc:  # a malformed number or box, a damaged member, a missing attribute
            raise ReadError(_CORRUPT.format(what=f"内容格式错误：{type(exc).__name__}")) from exc


def read_ofd(data: bytes) -> list[str]:
    """Raw lines (paragraphs and table rows) of an OFD with text objects."""
    with _package(data) as (pkg, pages):
        out: list[list[PdfLine]] = []
        has_images = False
        for number, page in enumerate(pages, start=1):
            glyphs, images, root = _page_objects(pkg, page)
            height = _box_height(_child(root, "Area")) or page.height_mm
            has_images = has_images or bool(images)
            out.append(page_lines(glyphs, number, height))
    if not any(out):
        if has_images:
            raise ReadError(_SCANNED, "scanned")
        raise ReadError("OFD 文件中没有文字内容，请确认选择了正确的文件", "no_text")
    return paragraphs(remove_page_furniture(out))


def _media(pkg: _Package, doc_paths: list[str]) -> dict[str, str]:
    """Resource ID → image path, from each document's PublicRes/DocumentRes files."""
    media: dict[str, str] = {}
    for doc_path in doc_paths:
        common = _child(pkg.xml(doc_path), "CommonData")
        if common is None:
            continue
        for kind in ("PublicRes", "DocumentRes"):
            for res in _children(common, kind):
                res_path = resolve(doc_path, (res.text or "").strip())
                if not pkg.find(res_path):
                    continue
                root = pkg.xml(res_path)
                base = resolve(res_path, root.get("BaseLoc") or ".") + "/"
                for item in root.iter():
                    if _local(item.tag) == "MultiMedia" and item.get("ID"):
                        media[item.get("ID")] = resolve(base, _text_of(item, "MediaFile"))
    return media


def ofd_page_images(data: bytes) -> list[bytes]:
    """The largest image of each page that has one (a scanned OFD's page scans), in page order."""
    with _package(data) as (pkg, pages):
        media = _media(pkg, _documents(pkg))
        out = []
        for page in pages:
            _, images, _ = _page_objects(pkg, page)
            for _, resource in sorted(images, reverse=True):
                blob = pkg.read(media[resource]) if resource in media else None
                if blob:
                    out.append(blob)
                    break
    return out


def image_only_pages(data: bytes) -> list[int]:
    """Numbers (from 1) of the pages that carry images but no text: the scanned pages of an OFD that
    mixes typed and scanned pages, which `read_ofd` cannot read without OCR."""
    with _package(data) as (pkg, pages):
        out = []
        for number, page in enumerate(pages, start=1):
            glyphs, images, _ = _page_objects(pkg, page)
            if images and not glyphs:
                out.append(number)
    return out
