"""Text normalization shared by every reader: raw lines of any format → clean lines for the parser.

What it does, in order:
- traditional characters to simplified (OpenCC ``t2s``), on the whole text at once for speed;
- markup removed: ``**bold**``, ``<b>``/``</b>`` and other tags, markdown ``#`` heading marks,
  Word artefacts such as ``[bookmark: _GoBack]``; odd spaces (U+3000, NBSP, zero-width) folded;
- a sentence broken by a page break or an export artefact (a long line that stops mid-sentence,
  a blank line, then the rest) joined again;
- blank lines dropped.  Tab characters are kept: they separate the cells of table rows.

It does not change full-width punctuation: titles keep their （一） and ，; the parser accepts
full-width and half-width forms alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]", re.IGNORECASE)
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s*")
_SPACES = re.compile(r"[ \u00a0\u2002\u2003\u2009\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# A line that starts a new unit of the document: a numbering mark, a label line, a box or table.
_STARTS_NEW = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百0-9０-９]+[）)]|[0-9０-９]+\s*[.．、\-](?![0-9０-９])"
    r"|[①-⑳]|第[一二三四五六七八九十百]+[章节部分条]|专栏|附件|附表|注[：:]"
    r"|(?:责任|牵头|负责|配合|协助|协办|主办|承办)(?:单位|科室|处室|部门)|目\s*录"
    r"|[【\[［][\u4e00-\u9fff]{0,8}[0-9０-９一二三四五六七八九十]*[】\]］]"
    r"|(?:重点|主要)?(?:工作)?任务[0-9０-９一二三四五六七八九十]+[：:])"
)
# a page number left between two halves of a sentence by a text export: - 3 -, 第3页, 3/12
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–]\s*[0-9]{1,4}\s*[-—–]|第\s*[0-9]{1,4}\s*页(?:\s*共\s*[0-9]{1,4}\s*页)?|[0-9]{1,4}\s*/\s*[0-9]{1,4})$"
)
_SENTENCE_END = "。；;！!？?：:”’」』）)】>…"
_MIN_BROKEN = 40  # a shorter line is a heading, a title or a label, never half a paragraph


def starts_new_unit(line: str) -> bool:
    """Whether a line opens a new numbered unit, label line, box or table (never a continuation)."""
    return _STARTS_NEW.match(line) is not None


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters converted to simplified ones."""
    return str(_converter().convert(text)) if text else text


def clean_line(line: str) -> str:
    """One line with markup and odd spacing removed (no character conversion)."""
    line = _ZERO_WIDTH.sub("", line)
    if "<" in line:
        line = _TAG.sub("", line)
    if "**" in line:
        line = line.replace("**", "")
    if "[" in line:
        line = _BOOKMARK.sub("", line)
    if "#" in line:
        line = _HEADING_MARK.sub("", line)
    if "\t" not in line:
        return _SPACES.sub(" ", line).strip()
    cells = [_SPACES.sub(" ", c).strip() for c in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    if sum(1 for c in cells if c) <= 1:
        return "".join(cells)  # a lone cell (a category row, a box title) is plain text
    return "\t".join(cells)  # leading empty cells keep their column (merged cells)


def is_broken(prev: str) -> bool:
    """Whether the paragraph line `prev` stops mid-sentence (so the next line may continue it)."""
    if "\t" in prev or prev[-1] in _SENTENCE_END:
        return False
    if prev[-1] in "，、," and len(prev) >= 10:
        return True  # a clause left open
    # a heading or a title has no full stop; a paragraph cut by a page break has one earlier on
    return len(prev) >= _MIN_BROKEN and ("。" in prev or len(prev) >= 2 * _MIN_BROKEN)


def normalize_lines(raw: Iterable[str]) -> list[str]:
    """Raw lines of a document → normalized, non-blank lines ready for the parser."""
    text = "\n".join(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = to_simplified(text)
    out: list[str] = []
    gap = False
    for raw_line in text.split("\n"):
        line = clean_line(raw_line)
        if not line or not line.strip("\t") or _PAGE_NUMBER.match(line):
            gap = True  # a page number is a page break too
            continue
        if out and gap and is_broken(out[-1]) and not starts_new_unit(line) and "\t" not in line:
            out[-1] += line
        else:
            out.append(line)
        gap = False
    return out
