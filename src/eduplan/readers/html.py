"""HTML pages (as saved from a bureau's website): the article text, without the site around it.

The charset comes from a BOM, the ``<meta charset>``/``http-equiv`` or XML declaration, else the
text detection of `text.decode_text`.  Parsed with BeautifulSoup and lxml; script, style, nav,
header, footer, forms' controls and elements hidden with ``display:none`` are dropped.  Block
elements (p, div, li, h1–h6, br, tr …) end lines; a table row becomes tab-separated cells.
Whitespace is collapsed as a browser would, except that a source line break between two Chinese
characters disappears instead of becoming a space.
Limits: site chrome in plain ``<div>``s (breadcrumbs, "发布时间") stays; the parser skips it.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from eduplan.readers.errors import ReadError
from eduplan.readers.text import check_is_text, decode_text, split_lines

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_GB_ALIASES = {"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "x-euc-cn", "windows-936"}
_DROP = [
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "noscript",
    "template",
    "head",
    "iframe",
    "object",
    "embed",
    "svg",
    "button",
    "select",
    "input",
    "textarea",
]
_BLOCK = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "main",
    "aside",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "address",
    "center",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "figure",
    "figcaption",
    "form",
    "fieldset",
    "hr",
    "title",
    "body",
}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BREAK = "\u2028"  # marks a line end while whitespace is collapsed
_CJK_WRAP = re.compile(r"(?<=[^\x00-\u2fff])[ \t\r\n\f]*\n[ \t\r\n\f]*(?=[^\x00-\u2fff])")
_SPACE = re.compile(r"[ \t\r\n\f]+")


def decode_html(data: bytes) -> str:
    """The page's text, honouring a BOM and the declared charset before guessing."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data)
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match:
        name = match.group(1).decode("ascii").lower()
        encoding = "gb18030" if name in _GB_ALIASES else name
        try:
            return check_is_text(data.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", _CJK_WRAP.sub("", text))


def _cell_text(cell: Any) -> str:
    return " ".join(cell.get_text(" ").split())


def read_html(data: bytes) -> list[str]:
    """Raw lines of an HTML page's visible text."""
    from bs4 import BeautifulSoup, NavigableString
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    text = decode_html(data)
    try:
        soup = BeautifulSoup(text, "lxml")
        for el in soup(_DROP):
            el.decompose()
        for el in soup.find_all(style=_HIDDEN):
            el.decompose()
        junk_types = (Comment, Declaration, Doctype, ProcessingInstruction)
        for junk in soup.find_all(string=lambda s: isinstance(s, junk_types)):
            junk.extract()
        for string in list(soup.find_all(string=True)):
            collapsed = _collapse(str(string))
            if collapsed != string:
                string.replace_with(NavigableString(collapsed))
        for br in soup.find_all("br"):
            br.replace_with(NavigableString(_BREAK))
        for tr in reversed(soup.find_all("tr")):  # inner tables first
            cells = [_cell_text(c) for c in tr.find_all(["td", "th"], recursive=False)]
            tr.replace_with(NavigableString(_BREAK + "\t".join(cells) + _BREAK))
        for el in soup.find_all(_BLOCK):
            el.insert_before(NavigableString(_BREAK))
            el.insert_after(NavigableString(_BREAK))
        flat = soup.get_text("")
    except RecursionError as exc:
        raise ReadError("网页结构嵌套过深，无法解析；请复制正文另存为文本后再导入") from exc
    lines: list[str] = []
    for part in flat.split(_BREAK):
        lines.extend(split_lines(part))
    return lines
