"""`parse_plan`: normalized lines → `Plan`.  Pure: no I/O.

The numbering itself decides the outline, never the markdown heading levels: the styles found in
the body (一、 / （一） / 1. / （1） / ①) are ranked, the top one makes chapters, the next one
items (tasks), deeper ones sub-items.  专栏 boxes are read apart (key projects, indicator tables).
What the numbering does not show — 一是…二是… summaries, 名称：内容 entries, headings glued by a PDF
export, context sections (背景/说明) — is read by the rules of `parsing.genres`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from eduplan.domain import Chapter, Column, Plan, Project, SubItem, Task
from eduplan.parsing.cover import classify, find_place, find_title, split_cover
from eduplan.parsing.deadlines import find_deadline
from eduplan.parsing.errors import ParseError
from eduplan.parsing.genres import (
    LooseUnits,
    counts_items,
    entries_are_chapters,
    heading_and_lead,
    mark_context,
    named_title,
    read_genres,
    unglue,
)
from eduplan.parsing.goals import is_review, split_goals
from eduplan.parsing.numbering import FW_DIGITS, Marker, match_marker, number_value
from eduplan.parsing.tables import is_header, is_table_line, parse_table, split_cells
from eduplan.parsing.targets import find_target_spans, subject_doubt
from eduplan.parsing.toc import find_toc
from eduplan.parsing.units import Units, apply_units, inline_units, units_line

_STYLES_BY_RANK = ("part", "chapter", "section", "paren_cn", "bracket", "arabic", "paren_ar", "circled")
_RANK = {style: rank for rank, style in enumerate(_STYLES_BY_RANK)}
_UNIT_LIST = re.compile(r"^[\u4e00-\u9fff（）()]{2,24}(?:[、，,][\u4e00-\u9fff（）()]{2,24})*[。]?$")
_APPENDIX = re.compile(r"^附\s*[件表录]\s*[0-9０-９一二三四五六七八九十]*\s*(?:[：:]|$)|^附\s*[：:]")
_BOX = re.compile(
    r"^[【\[［]?\s*专栏\s*([0-9０-９]+|[一二三四五六七八九十]+)\s*[】\]］]?\s*[：:、.．]?\s*(.*)$"
)
_PROJECT_WORDS = re.compile(r"(?:项目|工程|计划|行动|中心|基地|平台)$")
_MAX_LINE = 100_000


_EXPORT_SPACE = re.compile(r"(?<=[0-9])\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+(?=[0-9])")


def tidy_title(text: str) -> str:
    """A title without the spaces exporters put between digits and characters (2021 年 → 2021年)."""
    return _EXPORT_SPACE.sub("", text.strip())


def lead_phrase(text: str) -> str:
    """The title of a numbered entry: its lead phrase up to the first 。 (or the whole heading)."""
    i = text.find("。")
    head = text[:i] if i >= 0 else text
    return tidy_title(head.rstrip("；;：:，,"))


@dataclass
class _Outline:
    """The walk's state: what is open while lines are read."""

    plan: Plan
    item_style: str | None
    sub_styles: set[str]
    chapter: Chapter | None = None
    task: Task | None = None
    column: Column | None = None
    table_lines: list[str] = field(default_factory=list)
    loose_table: list[str] = field(default_factory=list)
    loose_title: str = ""
    previous: str = ""
    task_lines: list[str] = field(default_factory=list)
    appendix: bool = False
    previous_units: bool = False  # the last line was a units list left open (…职业教育科、)
    loose_units: list[LooseUnits] = field(default_factory=list)  # units lines of no item (yet)

    def flush_task(self) -> None:
        """Give the open task its whole text (joined once, not grown line by line)."""
        if self.task is not None:
            self.task.text = "\n".join(t for t in self.task_lines if t)
        self.task_lines = []

    def close_box(self) -> None:
        if self.column is not None and self.table_lines:
            table = parse_table(self.table_lines, self.column.title, self.column.number)
            if table is not None:
                self.plan.indicator_tables.append(table)
        self.column = None
        self.table_lines = []

    def close_loose_table(self) -> None:
        if self.loose_table:
            table = parse_table(self.loose_table, self.loose_title)
            if table is not None and table.rows:
                self.plan.indicator_tables.append(table)
        self.loose_table = []


@dataclass
class _Levels:
    """Which numbering style makes chapters, which makes items (per chapter), which sub-items."""

    chapter: str | None
    item: str | None
    per_chapter: list[str | None]
    all_styles: set[str]
    headings: set[str] = field(default_factory=set)

    def item_style(self, chapter_index: int) -> str | None:
        """The item style of one chapter: the first style met inside it, else the document's."""
        own = self.per_chapter[chapter_index] if chapter_index < len(self.per_chapter) else None
        return own or self.item

    def sub_styles(self, item_style: str | None) -> set[str]:
        return self.all_styles - {self.chapter, item_style} - self.headings


def _markers(lines: list[tuple[int, str]]) -> list[str | None]:
    """The marker style of each line outside 专栏 boxes (None inside a box or for plain lines)."""
    styles: list[str | None] = []
    in_box = False
    for _, text in lines:
        if _BOX.match(text):
            in_box = True
            styles.append(None)
            continue
        m = match_marker(text)
        if m is not None and m.style in ("chapter", "part"):
            in_box = False
        styles.append(None if m is None or in_box else m.style)
    return styles


def _levels(lines: list[tuple[int, str]]) -> _Levels:
    """Rank the numbering styles found in the body.

    Chapters are 一、 when present (第一部分/第一章 above them are headings of groups of chapters),
    else 第一章, else the highest-ranked style.  In each chapter the first other style met makes
    its items, so a 1./2. list under 一、总体要求 does not demote the （一） items of 二、.  A style
    must occur at least twice to count.
    """
    styles = _markers(lines)
    counts = Counter(s for s in styles if s)
    order = list(dict.fromkeys(s for s in styles if s and counts[s] >= 2))
    if not order:
        return _Levels(None, None, [], set())
    deeper = [s for s in order if s not in ("part", "section", "chapter")]
    headings: set[str] = set()  # group headings above the outline's levels, read over
    if "part" in order and "chapter" in order and not deeper:
        # 第一部分 / 一、 with nothing under 一、: the parts are the chapters, 一、 the items
        chapter: str | None = "part"
        headings = {"section"}
    elif "chapter" in order:
        chapter = "chapter"
        headings = {"part", "section"}
    elif "part" in order:
        chapter = "part"
    elif len(order) == 1:
        chapter = None
    else:
        chapter = min(order, key=_RANK.__getitem__)
    rest = [s for s in order if s != chapter and s not in headings]
    per_chapter: list[str | None] = []
    for style in styles:
        if style == chapter:
            per_chapter.append(None)
        elif style in rest and per_chapter and per_chapter[-1] is None:
            per_chapter[-1] = style
    return _Levels(chapter, rest[0] if rest else None, per_chapter, set(order) - headings, headings)


def _box_line(state: _Outline, text: str, marker: Marker | None) -> None:
    column = state.column
    assert column is not None
    if is_table_line(text) or (state.table_lines and is_header(split_cells(text))):
        state.table_lines.append(text)
        return
    if state.table_lines and (len(text) <= 20 or text.startswith(("注", "备注", "说明"))):
        state.table_lines.append(text)  # a group row or the note under the table
        return
    if marker is not None and marker.style in ("arabic", "paren_ar", "paren_cn", "circled"):
        column.projects.append(
            Project(number=marker.number, title=_project_title(marker.rest), text=marker.rest)
        )
        return
    lead = _project_title(text)
    numbered = any(p.number is not None for p in column.projects)
    if "。" in text and len(lead) <= 30 and _PROJECT_WORDS.search(lead) and not numbered:
        column.projects.append(Project(number=None, title=lead, text=text))  # an unnumbered project
    elif column.projects:
        column.projects[-1].text += "\n" + text


def _project_title(text: str) -> str:
    """A project's name: its lead phrase, or the words before a colon (项目名称：内容。)."""
    lead = lead_phrase(text)
    head, colon, _ = lead.partition("：") if "：" in lead else lead.partition(":")
    return head.strip() if colon and 2 <= len(head.strip()) <= 30 else lead


def _new_chapter(state: _Outline, no: int, marker: Marker) -> None:
    # 一、总体要求。2024年全市… (or glued: 一、总体要求2024年全市…): the heading, then its lead
    title, lead = heading_and_lead(marker.rest.strip())
    state.chapter = Chapter(number=marker.number, title=tidy_title(title.rstrip("。")), text=lead, line=no)
    state.plan.chapters.append(state.chapter)
    state.flush_task()
    state.task = None


def _new_task(state: _Outline, no: int, marker: Marker) -> None:
    if state.chapter is None:
        state.chapter = Chapter(number="", title="", line=no)
        state.plan.chapters.append(state.chapter)
    rest = marker.rest.strip()
    state.flush_task()
    lead = lead_phrase(rest)
    state.task = Task(number=marker.number, title=named_title(lead) or lead, text=rest, line=no)
    state.task_lines = [rest]
    state.chapter.items.append(state.task)


def _paragraph(state: _Outline, no: int, text: str) -> None:
    if state.task is not None:
        if not state.task.title:  # the number stood alone on its line: the title is the next line
            state.task.title = lead_phrase(text)
        state.task_lines.append(text)
    elif state.chapter is not None:
        if not state.chapter.title:
            state.chapter.title = tidy_title(text.rstrip("。"))
            return
        state.chapter.text = (state.chapter.text + "\n" + text).strip()


def _walk(state: _Outline, body: list[tuple[int, str]], levels: _Levels) -> None:
    chapter_style = levels.chapter
    for no, text in body:
        if state.appendix:
            if is_table_line(text) or (state.loose_table and len(text) <= 20):
                if not state.loose_table:
                    state.loose_title = state.previous
                state.loose_table.append(text)
            else:
                state.close_loose_table()
                state.previous = text
            continue
        if _APPENDIX.match(text) and state.plan.chapters:
            # an attachment after the plan (附件2、附表): its tables are kept, its text is not a task's
            state.flush_task()
            state.close_box()
            state.close_loose_table()
            state.task, state.chapter, state.appendix, state.previous = None, None, True, text
            continue
        box = _BOX.match(text)
        if box:
            state.close_box()
            state.close_loose_table()
            number = box.group(1).translate(FW_DIGITS)
            state.column = Column(
                number=number_value(number) or 0,
                title=box.group(2).strip(),
                chapter=state.chapter.number if state.chapter else None,
            )
            state.plan.columns.append(state.column)
            state.flush_task()
            state.task = None
            continue
        marker = match_marker(text)
        style = marker.style if marker else None
        if marker is not None and style == chapter_style:
            state.close_box()
            state.close_loose_table()
            _new_chapter(state, no, marker)
            state.item_style = levels.item_style(len(state.plan.chapters) - 1)
            state.sub_styles = levels.sub_styles(state.item_style)
            continue
        if marker is not None and style in levels.headings:
            state.close_box()
            state.flush_task()
            state.task = None  # a heading over several chapters or items: not part of any task
        if state.column is not None:
            if not (marker is not None and style == state.item_style and style != "arabic"):
                _box_line(state, text, marker)
                continue
            state.close_box()
        if is_table_line(text) or (state.loose_table and len(text) <= 20):
            if not state.loose_table:
                state.loose_title = state.previous
            state.loose_table.append(text)
            continue
        state.close_loose_table()
        if marker is not None and style == state.item_style:
            _new_task(state, no, marker)
        elif marker is not None and style in state.sub_styles and state.task is not None:
            rest = marker.rest.strip()
            state.task.subitems.append(
                SubItem(number=marker.number, title=lead_phrase(rest), text=rest, line=no)
            )
            state.task_lines.append(text)
        elif state.previous_units and _UNIT_LIST.match(text) and state.task is not None:
            apply_units(state.task, units_line("责任单位：" + text) or Units("", ""))  # wrapped list
        elif (units := units_line(text)) is not None:
            if state.task is not None:
                apply_units(state.task, units)
            elif state.chapter is not None and not state.chapter.items:
                # after a paragraph the genres may split into items (名称：内容, 一是…): settled there
                paragraph = state.chapter.text.count("\n") + 1 if state.chapter.text else 0
                state.loose_units.append(LooseUnits(state.chapter, paragraph, no, text, units))
            else:
                state.plan.warnings.append(f"第{no}行：责任单位不属于任何条目：{text[:40]}")
        else:
            _paragraph(state, no, text)
        state.previous_units = units_line(text) is not None and text.rstrip().endswith(("、", "，", ","))
        state.previous = text
    state.flush_task()
    state.close_box()
    state.close_loose_table()


def _finish_tasks(plan: Plan) -> None:
    # a deadline lies in the plan's own time: 到2020年 in a 十四五 plan's review of the past, or
    # 到2035年 in its long-range vision, is not when a task is due
    window = plan.period or ((plan.year, plan.year + 1) if plan.year else None)
    previous: int | None = None
    for chapter in plan.chapters:
        for task in chapter.items:
            if not task.units:
                paragraphs = task.text.split("\n")
                for k, paragraph in enumerate(paragraphs):
                    inline = inline_units(paragraph)
                    if inline is not None:
                        paragraphs[k], units = inline
                        apply_units(task, units)
                task.text = "\n".join(paragraphs)
            found = find_target_spans(task.text)
            if plan.kind == "five_year_plan":
                task.targets, task.figures = split_goals(
                    task.title, task.text, found, plan.period, chapter.title
                )
            elif is_review(chapter.title, task.title):  # 一、2023年工作回顾: results, not targets
                task.figures = [t for t, _ in found]
            else:
                task.targets = [t for t, _ in found]
            for target in task.targets:
                doubt = subject_doubt(target)
                if doubt:
                    plan.warnings.append(f"第{task.line}行（第{task.number}条）：{doubt}")
            written = find_deadline(task.deadline_text, plan.year, field=True) if task.deadline_text else None
            task.deadline = written or find_deadline(task.text, plan.year, within=window)
            value = match_marker(f"{task.number}、x") or match_marker(f"（{task.number}）x")
            current = value.value if value else None
            if current is not None and previous is not None and current not in (previous + 1, 1):
                plan.warnings.append(f"第{task.line}行：条目编号从{previous}跳到{current}")
            previous = current


def _finish_projects(plan: Plan) -> None:
    """A key project's own commitments (its number-with-unit phrases that are goals)."""
    for column in plan.columns:
        for project in column.projects:
            found = find_target_spans(project.text)
            project.targets = split_goals(project.title, project.text, found, plan.period)[0]


def _check_toc(plan: Plan) -> None:
    """Warn when a TOC entry names a chapter whose title in the body reads differently."""

    def norm(s: str) -> str:
        return re.sub(r"\s+", "", s).rstrip("。.")

    chapters = {c.number: norm(c.title) for c in plan.chapters}
    item_titles = {norm(t.title) for c in plan.chapters for t in c.items}
    for entry in plan.toc:
        title = norm(entry.title)
        if entry.number in chapters and title != chapters[entry.number] and title not in item_titles:
            plan.warnings.append(
                f"目录条目“{entry.number}、{entry.title}”与正文标题“{chapters[entry.number]}”不一致"
            )


_IMPRINT = re.compile(
    r"^(?:抄送|抄报|主送)[：:]|^.{2,40}\s+(?:19|20)[0-9]{2}\s*年.{1,6}日\s*印发$|^[（(]此件.{0,12}[)）]$|^[-—_=]{3,}$"
)


def _without_imprint(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The body without the 版记 at its end (抄送：…, …办公室 2021年2月22日印发)."""
    end = len(body)
    while end > 0 and _IMPRINT.match(body[end - 1][1]):
        end -= 1
    return body[:end]


def parse_plan(lines: Sequence[str]) -> Plan:
    """Parse the normalized lines of one planning document into a `Plan` (topics unlabelled: the
    caller composes `eduplan.topics.label_plan`, as `services.parse` does)."""
    if isinstance(lines, str):
        raise ParseError("parse_plan 需要按行拆分的文本（list[str]），而不是一个字符串")
    numbered = [(i + 1, ln.strip(" \u3000\r\n")) for i, ln in enumerate(lines) if ln and ln.strip()]
    if not numbered:
        raise ParseError("文档中没有文字内容")
    for no, text in numbered:
        if len(text) > _MAX_LINE:
            raise ParseError(f"单行超过{_MAX_LINE}个字符，不像是规划文本", no)
    texts = [t for _, t in numbered]
    toc, toc_start, toc_end = find_toc(texts)
    if toc_end:
        numbered = numbered[:toc_start] + numbered[toc_end:]
        texts = texts[:toc_start] + texts[toc_end:]
    cover = split_cover(texts)
    title, body_at = find_title(texts, cover.body_start)
    title = tidy_title(title or cover.notice_title or "")
    kind, year, period = classify(title, texts[body_at:])
    if kind == "annual_work_plan" and year is None and cover.issued_on:
        year = cover.issued_on.year
    plan = Plan(
        title=title,
        place=find_place(title, cover.issuer, texts),
        kind=kind,  # type: ignore[arg-type]
        year=year,
        period=period,
        issuer=cover.issuer,
        doc_number=cover.doc_number,
        issued_on=cover.issued_on,
        toc=toc,
    )
    body = unglue(_without_imprint(numbered[body_at:]))
    levels = _levels(body)
    if levels.item is None and levels.chapter is not None:
        levels = _Levels(None, levels.chapter, [], levels.all_styles, levels.headings)  # one level: items
    if levels.item is None and not (body and any(counts_items(text) for _, text in body)):
        raise ParseError("没有找到编号的章节或条目（如“一、”“1.”“（一）”），无法识别为规划文本")
    loose: list[LooseUnits] = []
    if levels.item is None:  # a news-style text with nothing numbered but its 一是…二是…: one chapter
        plan.chapters.append(Chapter("", "", "\n".join(text for _, text in body), line=body[0][0]))
    else:
        if levels.chapter is None and entries_are_chapters(plan, body, levels.item):
            levels = _Levels(levels.item, None, [], levels.all_styles, levels.headings)
        state = _Outline(plan=plan, item_style=levels.item, sub_styles=levels.sub_styles(levels.item))
        _walk(state, body, levels)
        loose = state.loose_units
    read_genres(plan, loose)
    _finish_tasks(plan)
    _finish_projects(plan)
    mark_context(plan)
    _check_toc(plan)
    return plan
