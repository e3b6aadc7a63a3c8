"""Rules from the genres of planning documents that the numbering alone does not settle.  Pure.

- Headings a PDF export glued to their neighbours: ``…学习12次。（二）加强意识形态工作。…`` is split
  before the next expected number; ``一、总体要求2024年全市…`` gives the title 总体要求 and the lead.
- 名称：内容 entries: a numbered entry ``（一）学前教育普惠工程：新建…`` is titled by the name before the
  colon; in a chapter without numbered items, two or more paragraphs ``学位扩容项目：…`` are its items,
  numbered 1, 2, 3 in order (the document writes no number).
- News-style summaries that count ``一是…二是…三是…`` inside a paragraph: in a chapter without numbered
  items they are its items (numbered 一, 二, … as written, the text before 一是 stays the chapter's lead);
  inside an item they are its sub-items.  A title is the clause up to the first ，；。.
- A one-level 一、…十、 document that is not a plan of work (a 行为准则) has chapters and no items.
- Context sections (背景/说明): 发展基础, 发展形势, 指导思想, 基本原则, 总体要求, 主要目标, 工作思路 … are
  kept in the outline but marked ``kind="context"``: an item so titled, or any item of a chapter so
  titled.  The loop neither opens reporting on them nor lights them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eduplan.domain import Chapter, Plan, SubItem, Task
from eduplan.parsing.numbering import Marker, match_marker, number_value
from eduplan.parsing.units import Units, apply_units, inline_units, units_line

# -- headings glued to the paragraph before them ----------------------------------------------
_GLUED = re.compile(
    r"[。；;！？!?）)](?=[（(][一二三四五六七八九十0-9]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、．]"
    r"|[0-9]{1,2}[.．、](?![0-9]))"
)
_GLUED_ITEM = re.compile(r"[（(][一二三四五六七八九十0-9]{1,3}[）)]")
_SPLIT_STYLES = ("chapter", "paren_cn", "arabic", "paren_ar", "bracket")
_NOT_A_HEADING_START = re.compile(r"^[一二三四五六七八九十0-9０-９]|^年级")
_MAX_HEADING = 30


class _Counts:
    """The last marker of each style seen at a line start, and the styles whose count may restart
    at 1 (after a chapter heading).  Values are computed only where a split is in question."""

    def __init__(self) -> None:
        self.last: dict[str, Marker] = {}
        self.fresh: set[str] = set(_SPLIT_STYLES)

    def expects(self, marker: Marker) -> bool:
        """Whether a marker carries the next number of its style (or 1, where its count may restart)."""
        if marker.style not in _SPLIT_STYLES or _NOT_A_HEADING_START.match(marker.rest):
            return False
        value = marker.value
        if value is None:
            return False
        previous = self.last.get(marker.style)
        if previous is None:  # a style never met at a line start: inline (1)(2) points stay text
            return False
        return value == (previous.value or 0) + 1 or (value == 1 and marker.style in self.fresh)

    def see(self, marker: Marker | None) -> None:
        if marker is None or marker.style not in _SPLIT_STYLES:
            return
        if marker.style == "chapter":  # items numbered afresh in each chapter may start at 1 again
            self.fresh.update(_SPLIT_STYLES[1:])
        else:
            self.fresh.discard(marker.style)
        self.last[marker.style] = marker


def _glued_heading(text: str) -> bool:
    """Whether a line may be a chapter heading with an item glued on (一、总体要求（一）…): a cheap test."""
    return text[:1] in "一二三四五六七八九十" and _GLUED_ITEM.search(text, 2, _MAX_HEADING + 6) is not None


def unglue(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines split where a PDF export glued the next heading on (after a sentence end, or right
    after a chapter heading), when the heading carries the next number of its style."""
    whole = "\n".join(text for _, text in body)  # one search over the text, not one per line
    if not (_GLUED.search(whole) or any(_glued_heading(text) for _, text in body)):
        return body  # the common case, read without numbering a line
    out: list[tuple[int, str]] = []
    counts = _Counts()
    for no, text in body:
        first = match_marker(text)
        cuts = [m.end() for m in _GLUED.finditer(text)]
        if first is not None and first.style == "chapter":
            at = len(text) - len(first.rest)
            m = _GLUED_ITEM.search(text[: at + _MAX_HEADING], at + 1)
            if m and "。" not in text[: m.start()]:
                cuts.append(m.start())
        counts.see(first)
        if not cuts:
            out.append((no, text))
            continue
        at = 0
        for cut in sorted(set(cuts)):
            marker = match_marker(text[cut:])
            if marker is not None and counts.expects(marker):
                out.append((no, text[at:cut]))
                at = cut
                counts.see(marker)
        out.append((no, text[at:]))
    return out


# -- a one-level document ---------------------------------------------------------------------
def entries_are_chapters(plan: Plan, body: list[tuple[int, str]], style: str) -> bool:
    """Whether the entries of a one-level document are chapters rather than tasks.

    一、…十、 alone in a document that is not a plan of work (a 行为准则, 守则, 意见) are its chapters,
    with no items; in a 工作要点 or 规划, or when the entries name 责任单位, they are the tasks the loop
    tracks (under a chapter without number or title, as a one-level 1. 2. 3. list always is).
    """
    if style not in ("chapter", "part") or plan.kind != "other":
        return False
    return not any(units_line(text) is not None or inline_units(text) is not None for _, text in body)


# -- a chapter heading glued to its lead ----------------------------------------------------------
_HEADING_WORDS = re.compile(
    r"^(?:总体要求|指导思想|基本原则|工作思路|总体思路|总体目标|主要目标|工作目标|发展目标|目标任务|"
    r"主要任务|重点任务|工作任务|重点工作|主要措施|保障措施|工作要求|组织保障|工作措施|实施步骤)"
)
_BODY_START = re.compile(r"(?:19|20)[0-9]{2}|以习近平|坚持以|深入贯彻|全面贯彻|认真贯彻|按照|围绕")


def heading_and_lead(rest: str) -> tuple[str, str]:
    """(title, lead) of a chapter heading line: 一、总体要求。2024年… and 一、总体要求2024年… alike."""
    title, _, lead = rest.partition("。")
    words = _HEADING_WORDS.match(title)
    if words and (len(title) > _MAX_HEADING or title[words.end() : words.end() + 1] in tuple("，,：:；;")):
        return words.group(0), rest[words.end() :].lstrip("，,：:；; ")
    if len(title) <= _MAX_HEADING:
        return title, lead
    body = _BODY_START.search(title, 2)
    if body and body.start() <= 24:
        return title[: body.start()].rstrip("，,：: "), rest[body.start() :]
    return title, lead


# -- 名称：内容 entries -------------------------------------------------------------------------------
_NAMED = re.compile(r"^([\u4e00-\u9fff“”《》（）()·]{2,20})[：:]\s*(\S.*)$")
_FIELD = re.compile(
    r"(?:目标|措施|内容|要求|时间|时限|节点|单位|科室|处室|部门|领导|说明|备注|任务|举措|思路|原则|依据|范围|"
    r"对象|方式|步骤|安排|重点|成效|进展|情况|标准|指标|注)$|^注"
)


def named_title(lead: str, numbered: bool = True) -> str | None:
    """The name of a 名称：内容 entry (学前教育普惠工程：新建… → 学前教育普惠工程), else None.  An
    unnumbered paragraph whose name is a field label (工作目标：, 责任科室：) is no entry."""
    m = _NAMED.match(lead)
    return m.group(1) if m and (numbered or not _FIELD.search(m.group(1))) else None


@dataclass
class LooseUnits:
    """A units line met in a chapter without items yet, after its `paragraph`-th paragraph."""

    chapter: Chapter
    paragraph: int
    line: int
    text: str
    units: Units


def _named_entries(chapter: Chapter) -> list[int]:
    """Items from 名称：内容 paragraphs; the paragraph index each item starts at."""
    paragraphs = chapter.text.split("\n")
    named = [named_title(p, numbered=False) for p in paragraphs]
    if sum(n is not None for n in named) < 2:
        return []
    lead: list[str] = []
    starts: list[int] = []
    for k, (paragraph, name) in enumerate(zip(paragraphs, named, strict=True)):
        if name is not None:
            number = str(len(chapter.items) + 1)
            chapter.items.append(Task(number=number, title=name, text=paragraph, line=chapter.line))
            starts.append(k)
        elif chapter.items:
            chapter.items[-1].text += "\n" + paragraph
        else:
            lead.append(paragraph)
    chapter.text = "\n".join(lead)
    return starts


# -- 一是…二是…三是… -------------------------------------------------------------------------------
_ENUMERATION = re.compile(r"(?:^|(?<=[。；;！？!?，,：:\n]))([一二三四五六七八九十]{1,3})是")
_CLAUSE_END = re.compile(r"[，,；;。：:]")


def _enumeration(text: str) -> list[tuple[str, int, int]]:
    """(number, start of the 一是 mark, start of the body) of a run 一是, 二是, … (at least two)."""
    run: list[tuple[str, int, int]] = []
    for m in _ENUMERATION.finditer(text):
        value = number_value(m.group(1))
        if value == len(run) + 1:
            run.append((m.group(1), m.start(), m.end()))
    return run if len(run) >= 2 else []


def counts_items(text: str) -> bool:
    """Whether a paragraph counts its points 一是…二是… (at least two, in order)."""
    return "是" in text and bool(_enumeration(text))


def _pieces(text: str, run: list[tuple[str, int, int]]) -> list[tuple[str, str, str]]:
    """(number, title, text) of each counted clause."""
    out = []
    for k, (number, _, body) in enumerate(run):
        end = run[k + 1][1] if k + 1 < len(run) else len(text)
        piece = text[body:end].strip()
        if k + 1 < len(run):
            piece = piece.rstrip("；;，,")
        clause = _CLAUSE_END.search(piece)
        out.append((number, piece[: clause.start()] if clause else piece, piece))
    return out


def _news_items(chapter: Chapter) -> list[int]:
    """Items from a 一是…二是… run; the paragraph index each item starts in."""
    run = _enumeration(chapter.text)
    if not run:
        return []
    for number, title, text in _pieces(chapter.text, run):
        chapter.items.append(Task(number=number, title=title, text=text, line=chapter.line))
    starts = [chapter.text.count("\n", 0, mark) for _, mark, _ in run]
    chapter.text = chapter.text[: run[0][1]].strip()
    return starts


def _news_subitems(task: Task) -> None:
    run = _enumeration(task.text)
    for number, title, text in _pieces(task.text, run):
        task.subitems.append(SubItem(number=number, title=title, text=text, line=task.line))


def read_genres(plan: Plan, loose: list[LooseUnits]) -> None:
    """Items and sub-items the numbering does not show: 名称：内容 lists and 一是…二是… summaries.

    A units line after such a paragraph (`loose`) goes to the items read from the paragraphs since
    the previous units line; where no item was read it is a warning, as anywhere else.
    """
    starts: dict[int, list[int]] = {}
    for chapter in plan.chapters:
        if not chapter.items and chapter.text:
            starts[id(chapter)] = _named_entries(chapter)
        if not chapter.items and chapter.text:
            starts[id(chapter)] = _news_items(chapter)
        for task in chapter.items:
            if not task.subitems and "是" in task.text:
                _news_subitems(task)
    since: dict[int, int] = {}
    for note in loose:
        begins = starts.get(id(note.chapter), [])
        first = since.get(id(note.chapter), 0)
        owners = [k for k, at in enumerate(begins) if first <= at < note.paragraph]
        if not owners and begins and begins[0] < note.paragraph:
            owners = [max(k for k, at in enumerate(begins) if at < note.paragraph)]
        if not owners:
            plan.warnings.append(f"第{note.line}行：责任单位不属于任何条目：{note.text[:40]}")
            continue
        for k in owners:
            apply_units(note.chapter.items[k], note.units)
        since[id(note.chapter)] = note.paragraph


# -- context sections ---------------------------------------------------------------------------
# a context title: scope words (“十四五”时期, 教育, 全市, 面临的 …), then one or more heads joined by 和/与/及
_SCOPE = (
    r"(?:[“\"]?十[一二三四五六七八九]五[”\"]?|时期|期间|以来|教育|事业|发展|全市|全区|全县|我市|我区|我县|本市|"
    r"面临的?|当前|新|的|和|与)"
)
_HEAD = (
    r"(?:发展基础|现实基础|工作基础|基础|发展成就|主要成就|取得的成就|成就|发展形势|形势|机遇与挑战|机遇和挑战|"
    r"挑战|发展环境|环境|指导思想|基本原则|总体要求|总体思路|工作思路|发展思路|主要目标|发展目标|总体目标|"
    r"工作目标|目标要求|重要意义|发展定位|发展愿景|远景目标|具体目标)"
)
_CONTEXT = re.compile(rf"^{_SCOPE}*{_HEAD}(?:[与和及、]{_HEAD})*$")
_PUNCT = re.compile(r"[\s。.：:；;]+$")


def is_context(title: str) -> bool:
    """Whether a section title names background rather than work (发展基础, 指导思想, 主要目标 …)."""
    return bool(_CONTEXT.match(_PUNCT.sub("", title.strip())))


def mark_context(plan: Plan) -> None:
    """Mark the items of context sections ``kind="context"``."""
    for chapter in plan.chapters:
        whole = is_context(chapter.title)
        for task in chapter.items:
            if whole or is_context(task.title):
                task.kind = "context"
