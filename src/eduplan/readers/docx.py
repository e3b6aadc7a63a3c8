"""Word (.docx): paragraphs and tables in document order, with automatic numbering written out.

The zip is checked first (`zipsafe`: size limits, encryption, no DTD/entities), then opened with
python-docx.  The body's w:p and w:tbl children are walked in order (content controls w:sdt are
looked into); a table row becomes one line of tab-separated cells, a merged cell appearing once.
Paragraph text is collected from w:t, w:tab and w:br (deleted text and field codes are left out,
text boxes follow their anchor paragraph as lines of their own) and prefixed with its automatic
number (`docx_numbering`), so a document numbered by Word reads the same as one numbered by hand.
Headers, footers, footnotes and comments are not read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from eduplan.readers.docx_numbering import ListNumbering, W
from eduplan.readers.errors import ReadError
from eduplan.readers.zipsafe import open_zip, refuse_xml_declarations

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {W + "pPr", W + "rPr", W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "sdtPr"}
_SKIP.add(_MC + "Fallback")  # the same content again for old Word versions
_CONTAINERS = {W + "sdt", W + "customXml", W + "ins", W + "moveTo", W + "smartTag"}


def _body_blocks(parent: Any) -> Iterator[Any]:
    """The w:p and w:tbl elements under `parent` in document order, looking into content controls."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag in (W + "p", W + "tbl"):
            yield child
        elif tag in _CONTAINERS:
            content = child.find(W + "sdtContent")
            yield from _body_blocks(content if content is not None else child)


class _DocxText:
    """Turns body elements into raw lines, numbering paragraphs as it goes."""

    def __init__(self, numbering: ListNumbering) -> None:
        self.numbering = numbering

    def _runs(self, el: Any, out: list[str], boxes: list[Any]) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == W + "t":
                out.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                out.append(" ")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag == W + "txbxContent":
                boxes.append(child)
            else:
                self._runs(child, out, boxes)

    def paragraph(self, p: Any) -> list[str]:
        """Lines of one paragraph: its number and text, then any text boxes anchored in it."""
        parts: list[str] = []
        boxes: list[Any] = []
        self._runs(p, parts, boxes)
        text = "".join(parts)
        label = self.numbering.label(p)
        lines = [label + text] if text.strip() else []
        for box in boxes:
            for block in _body_blocks(box):
                lines.extend(self.block(block))
        return lines

    def table(self, tbl: Any) -> list[str]:
        """One tab-separated line per row; merged cells appear once, nested tables inline."""
        lines = []
        for tr in _rows(tbl):
            cells = []
            for tc in tr.iterchildren(W + "tc"):
                tc_pr = tc.find(W + "tcPr")
                vmerge = tc_pr.find(W + "vMerge") if tc_pr is not None else None
                hmerge = tc_pr.find(W + "hMerge") if tc_pr is not None else None
                if hmerge is not None and hmerge.get(W + "val") != "restart":
                    continue
                if vmerge is not None and vmerge.get(W + "val") != "restart":
                    cells.append("")  # the text is in the first row of the merged cell
                    continue
                content = [line for block in _body_blocks(tc) for line in self.block(block)]
                cells.append(" ".join(" ".join(content).replace("\t", " ").split()))
            if any(cells):
                lines.append("\t".join(cells))
        return lines

    def block(self, el: Any) -> list[str]:
        return self.table(el) if el.tag == W + "tbl" else self.paragraph(el)


def _rows(tbl: Any) -> Iterator[Any]:
    for child in tbl.iterchildren():
        if child.tag == W + "tr":
            yield child
        elif child.tag in _CONTAINERS:
            content = child.find(W + "sdtContent")
            yield from _rows(content if content is not None else child)


def read_docx(data: bytes) -> list[str]:
    """Raw lines of a Word document."""
    with open_zip(data) as zf:
        refuse_xml_declarations(zf)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering_el = _numbering_element(document)
        styles_el = document.styles.element
        reader = _DocxText(ListNumbering(numbering_el, styles_el))
        return [line for block in _body_blocks(body) for line in reader.block(block)]
    except ReadError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on a malformed package
        raise ReadError(
            "Word 文档已损坏或不是有效的 .docx 文件，请用 Word 或 WPS 打开后重新保存再导入"
        ) from exc


def _numbering_element(document: Any) -> Any | None:
    """numbering.xml's root, or None (without creating one, as python-docx's property would)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        return document.part.part_related_by(RT.NUMBERING).element
    except KeyError:
        return None
