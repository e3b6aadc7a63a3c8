"""The cover notice (印发通知) in front of a plan, and the plan's metadata.

A plan often arrives wrapped in the notice that issued it: a 文件 header, a 文号 (抚教发〔2021〕1号),
``关于印发…的通知``, recipients (各县区教育局：), a sentence, the issuing bodies, a date, and an
``附件`` mark.  `split_cover` finds where the plan itself begins and reads what the notice says;
`plan_metadata` derives title, place, kind, year and period from the title and the issuers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from eduplan.parsing.numbering import cn_to_int, match_marker

_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【（(]\s*(?:19|20)\d{2}\s*[〕\]］】）)]\s*(?:第\s*)?\d{1,4}\s*号"
)
_DATE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE = re.compile(
    r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$"
)
_NOTICE = re.compile(r"^.{0,40}(?:印发|下发|转发|公布).{0,60}的?通知$")
_HEADER = re.compile(r"^.{2,60}文\s*件$")
_ATTACHMENT = re.compile(r"^附\s*件\s*[0-9０-９]*\s*[：:]?\s*$")
_ATTACHMENT_LIST = re.compile(r"^附\s*件\s*[0-9０-９]*\s*[：:]\s*(.+)$")
_RELEASE_NOTE = re.compile(r"^[（(][^）)]{0,20}(?:公开|发布|删减|印发)[^）)]{0,20}[）)]$")
_ORG = re.compile(
    r"(?:中共|中国共产党)?[\u4e00-\u9fff（）()]{2,30}?"
    r"(?:委员会|教育局|教育厅|教育委员会|工委|教委|人民政府|办公室|办公厅|教育体育局|教体局|教育和体育局)"
)
_PLACE_IN_ORG = re.compile(
    r"(?:中共|中国共产党)?([\u4e00-\u9fff]{2,8}?[省市县区旗州盟])(?:委|人民政府|政府|教育|教体)"
)
_TITLE_WORDS = re.compile(r"(?:要点|规划|计划|方案|安排|纲要|意见|任务)")
_GENERIC_PLACES = {
    "全市",
    "全区",
    "全县",
    "全省",
    "我市",
    "我区",
    "我县",
    "本市",
    "市委",
    "区委",
    "县委",
    "市",
    "区",
}
_FIVE_YEAR = re.compile(r"[“\"]?十([一二三四五六七八九])五[”\"]?")
_SPAN = re.compile(r"((?:19|20)\d{2})\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年")
_SPAN_LINE = re.compile(r"^[（(]\s*(?:19|20)\d{2}\s*[-—–~～至到]\s*(?:19|20)\d{2}\s*年?\s*[）)]$")
_NOT_IN_NAMES = set("年全各我本该等关于的在和与及之")


@dataclass
class Cover:
    """What the notice in front of the plan says."""

    body_start: int = 0
    doc_number: str | None = None
    issued_on: date | None = None
    issuer: list[str] = field(default_factory=list)
    notice_title: str | None = None


def parse_date(line: str) -> date | None:
    """A standalone date line (2021年2月22日 or 二〇二一年二月二十二日) → date."""
    s = line.strip().replace(" ", "")
    m = _DATE.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _CN_DATE.match(s)
        if not m:
            return None
        y, mo, d = (cn_to_int(g) or 0 for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def _orgs(line: str) -> list[str]:
    names = []
    for part in re.split(r"\s+", re.sub(r"文\s*件$", "", line.strip())):
        m = _ORG.fullmatch(part)
        if m:
            names.append(part)
    return names


def _first_heading(lines: list[str], start: int = 0) -> int:
    """Index of the first chapter or section heading (一、 （一）) at or after `start`."""
    return next(
        (
            i
            for i in range(start, len(lines))
            if (m := match_marker(lines[i])) and m.style in ("chapter", "paren_cn")
        ),
        len(lines),
    )


def split_cover(lines: list[str], limit: int = 60) -> Cover:
    """Find the cover notice at the top of `lines` and where the plan proper begins."""
    cover = Cover()
    head = lines[:limit]
    first_chapter = _first_heading(head)
    notice_at = next(
        (i for i, ln in enumerate(head[:first_chapter]) if len(ln) <= 100 and _NOTICE.search(ln)), None
    )
    date_at = (
        None
        if notice_at is None
        else next((i for i in range(notice_at, len(head)) if parse_date(head[i])), None)
    )
    # a notice with its own points (一、…) runs to its date; the plan starts after it
    head = head[: first_chapter if date_at is None else _first_heading(head, date_at)]
    if notice_at is None:
        notice_at = next((i for i, ln in enumerate(head[:5]) if _HEADER.match(ln)), None)
    for ln in head:
        number = _DOC_NUMBER.search(ln)
        if number and cover.doc_number is None and len(ln) < 60:
            cover.doc_number = re.sub(r"\s+", "", number.group(0))
    if notice_at is None and cover.doc_number is None:
        # no notice, but perhaps an 附件 mark above the title
        start = 0
        while start < len(head) and _ATTACHMENT.match(head[start]):
            start += 1
        cover.body_start = start
        return cover
    quoted = re.search(r"《(.+?)》", head[notice_at]) if notice_at is not None else None
    if quoted:
        cover.notice_title = quoted.group(1)
    elif notice_at is not None:
        m2 = re.search(r"印发(.+?)的?通知", head[notice_at])
        cover.notice_title = m2.group(1) if m2 else None
    end = notice_at or 0
    header_orgs: list[str] = []
    signature: list[str] = []
    for i, ln in enumerate(head):
        if i <= (notice_at or 0) and _HEADER.match(ln):
            header_orgs += _orgs(ln)
        d = parse_date(ln)
        if d and i > (notice_at or 0):
            cover.issued_on = d
            end = i
            signature = [o for j in range(max(notice_at or 0, i - 4), i) for o in _orgs(head[j])]
        elif (_ATTACHMENT.match(ln) or _RELEASE_NOTE.match(ln)) and i > (notice_at or 0):
            end = i
    best = max([header_orgs, signature], key=lambda names: sum(map(len, names)))
    cover.issuer = list(dict.fromkeys(best))
    cover.body_start = end + 1
    return cover


def find_title(lines: list[str], start: int) -> tuple[str | None, int]:
    """The plan's own title at `start` (a short line that is neither numbered nor a sentence)."""
    title_parts: list[str] = []
    i = start
    while i < len(lines) and len(title_parts) < 3:
        ln = lines[i]
        if match_marker(ln) or "\t" in ln or len(ln) > 60 or ln.endswith(("。", "：", ":", "；")):
            break
        if title_parts and _TITLE_WORDS.search(title_parts[-1]) and not _SPAN_LINE.match(ln):
            break  # the title is complete: the next short line is something else
        title_parts.append(ln)
        i += 1
    if not title_parts:
        return None, start
    return "".join(title_parts), i


def _place_from_title(title: str, lines: list[str]) -> str | None:
    t = re.sub(r"(?:19|20)\d{2}\s*(?:[-—–~～至到]\s*(?:19|20)\d{2}\s*)?年?度?", "", title)
    t = _FIVE_YEAR.sub("", t)
    m = re.match(r"[（(]?([\u4e00-\u9fff]{2,8}?)([省市县区])?(?:教育|中小学|学前|职业|高等|基础|终身)", t)
    if (
        not m
        or m.group(1) in _GENERIC_PLACES
        or m.group(1).endswith(("委", "局"))
        or _NOT_IN_NAMES & set(m.group(1))
    ):
        return None
    name, suffix = m.group(1), m.group(2)
    if suffix:
        return name + suffix
    inner = re.search(r"[省市县区]", name[1:])
    if inner:  # 示例市义务教育…, 甲区学前教育…: the place already ends inside the name
        return name[: inner.end() + 1]
    text = "\n".join(lines)
    counts = Counter({s: text.count(name + s) for s in "市区县省"})
    best, n = counts.most_common(1)[0]
    return name + (best if n else "市")


def find_place(title: str | None, issuer: list[str], lines: list[str]) -> str | None:
    """The issuing administrative area with its suffix (常州市, 海淀区)."""
    for org in issuer:
        m = _PLACE_IN_ORG.search(org)
        if m and m.group(1) not in _GENERIC_PLACES:
            return m.group(1)
    if title:
        place = _place_from_title(title, lines)
        if place:
            return place
    counts: Counter[str] = Counter()
    for ln in lines[:400]:
        for m in _PLACE_IN_ORG.finditer(ln):
            if m.group(1) not in _GENERIC_PLACES and not _NOT_IN_NAMES & set(m.group(1)):
                counts[m.group(1)] += 1
    return counts.most_common(1)[0][0] if counts else None


def classify(title: str | None, lines: list[str]) -> tuple[str, int | None, tuple[int, int] | None]:
    """(kind, year, period) of a plan from its title, else from its first lines."""
    text = title or ""
    probe = text + "\n" + "\n".join(lines[:5])
    five = _FIVE_YEAR.search(text) or (None if title else _FIVE_YEAR.search(probe))
    span = _SPAN.search(text)
    if five:
        n = 10 + "一二三四五六七八九".index(five.group(1)) + 1
        first = 1981 + 5 * (n - 6)
        return "five_year_plan", None, (first, first + 4)
    if span and int(span.group(2)) - int(span.group(1)) >= 2:
        kind = "five_year_plan" if int(span.group(2)) - int(span.group(1)) == 4 else "other"
        return kind, None, (int(span.group(1)), int(span.group(2)))
    year_m = _YEAR.search(text)
    cn_year = _CN_YEAR.search(text)
    year = int(year_m.group(1)) if year_m else (cn_to_int(cn_year.group(1)) if cn_year else None)
    if re.search(r"要点|工作计划|工作安排|年度|工作任务", text):
        return "annual_work_plan", year, None
    if re.search(r"规划", text):
        return ("other", year, None) if year else ("five_year_plan", None, None)
    return "other", year, None
