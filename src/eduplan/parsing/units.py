"""Responsible units (责任单位): label lines, inline (牵头单位：…) notes, lead and support split."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from eduplan.domain import Task

_ROLE = (
    r"(?:责任|牵头|负责|主责|主办|配合|协助|协办|协同|参与|承办)(?:单位|科室|处室|股室|部门|处|科|股|领导)"
    r"(?:[（(](?:单位|科室|处室|股室|部门)[）)])?"  # 责任部门（处室）：
)
# the short labels of school and university plans, inside a note only: （牵头：教务处；配合：学生处）
_SHORT_ROLE = r"(?:牵头|负责|配合|协助|协办|参与)"
# what may follow the units on the same line and is not a unit
_TRAILER = re.compile(r"[；;，,\s]*(?:完成时限|完成时间|时间节点|时限|完成期限)\s*[：:](.*)$")
# a whole line: 责任单位：组织部、纪检组   /  牵头单位：…；配合单位：…  / 【责任单位】…
UNITS_LINE = re.compile(rf"^({_ROLE})\s*[：:]\s*(.*?)\s*[。.]?$")
_BRACKETED_LABEL = re.compile(rf"[【\[]\s*({_ROLE})\s*[】\]]\s*[：:]?\s*")
_ROLE_MARK = re.compile(r"[（(]\s*(牵头|主责|负责|配合|协办|参与)\s*[）)]$")
# inline at the end of a paragraph: …工作。（牵头单位：规划科；配合单位：财务科）
_INLINE = re.compile(
    rf"[（(]\s*({_ROLE})\s*[：:]\s*([^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)]\s*[。.]?\s*$"
)
_PART = re.compile(rf"({_ROLE}|{_SHORT_ROLE})\s*[：:]")
_SHORT_INLINE = re.compile(rf"[（(]\s*{_SHORT_ROLE}\s*[：:]\s*([^（）()]*)[)）]\s*[。.]?\s*$")
# a note of bare unit names at the end of a paragraph: …建设。（组织部、人事处）
_BARE_INLINE = re.compile(r"(?<=[。.；;])\s*[（(]([^（）()：:0-9０-９%]{2,80})[)）]\s*[。.]?\s*$")
_UNIT_NAME = re.compile(
    r"^[\u4e00-\u9fff]{1,16}(?:处|科|室|部|委|中心|学院|研究院|馆|办|会|组|站|局|集团|学校)$"
)
_SEPARATORS = re.compile(r"[、，,；;/]|\s+")
# words naming a group rather than one unit: 局各科室, 局相关科室, 各县区, 各区县教育局, 各学校, 各地各校,
# 市直各学校, 相关处室, 其他部门 — kept as written in a task's units, never a unit of the directory
_GROUP = re.compile(
    r"^(?:[市区县局校]|局机关|局属|市直|区直|县直|全市|全区|全县|直属)?(?:各|相关|有关|其他|其它|所有)"
    r"|(?:各|相关|有关)(?:科室|处室|股室|部门|单位|学校|县区|区县|学院)"
)
# group words naming the districts: the task is for 下发 (hand-down) to them
_DISTRICTS = re.compile(r"各(?:县|区|市)|(?:县|区)(?:（|\()?(?:市|区|县)")


def is_group_word(name: str) -> bool:
    """Whether words name a group rather than one unit (局各科室, 相关单位, 各县区, 各学校)."""
    return bool(_GROUP.search(name.strip()))


def group_hint(name: str) -> str | None:
    """``handdown`` when group words name the districts (各县区教育局): the task is for 下发."""
    return "handdown" if _DISTRICTS.search(name) else None


@dataclass
class Units:
    """Units named for one task, as written."""

    label: str
    text: str
    units: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    deadline_text: str | None = None  # 完成时限：… written beside the units


def apply_units(task: Task, units: Units) -> None:
    """Add the units of a label line or note to a task (each unit once; roles and text kept)."""
    task.units += [u for u in units.units if u not in task.units]
    task.lead_units += units.lead
    task.support_units += units.support
    task.units_text = units.text if task.units_text is None else task.units_text + "；" + units.text
    if units.deadline_text:
        task.deadline_text = units.deadline_text


def split_units(text: str) -> list[str]:
    """组织部、纪检组 → [组织部, 纪检组]; separators inside brackets (市招办（市教育发展服务中心）) are kept."""
    out: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and _SEPARATORS.fullmatch(ch):
            if current.strip():
                out.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        out.append(current.strip())
    return [u.strip("。. ") for u in out if u.strip("。. ")]


def _is_person(label: str) -> bool:
    return label.endswith("领导")


def _is_support(label: str) -> bool:
    return label.startswith(("配合", "协助", "协办", "协同", "参与"))


def _from_text(text: str) -> Units:
    trailer = _TRAILER.search(text)
    units = _units_of(text[: trailer.start()] if trailer else text)
    if trailer:
        units.deadline_text = trailer.group(1).strip(" ；;。")
    return units


def _units_of(text: str) -> Units:
    parts = [p for p in _PART.finditer(text)]
    if parts and all(_is_person(p.group(1)) for p in parts):
        return Units(label=parts[0].group(1), text=text)
    first_label = parts[0].group(1) if parts else "责任单位"
    value = text[parts[0].end() :] if len(parts) == 1 else text
    units = Units(label=first_label, text=value.strip(" ；;。"))
    if not parts:
        units.units = split_units(text)
        return units
    for k, m in enumerate(parts):
        end = parts[k + 1].start() if k + 1 < len(parts) else len(text)
        if _is_person(m.group(1)):
            continue  # 责任领导：a person, not a unit
        names = split_units(text[m.end() : end].strip(" ；;，,。"))
        marked = [(_ROLE_MARK.sub("", n), _ROLE_MARK.search(n)) for n in names]
        if any(mark for _, mark in marked):
            # 学前科（牵头）、财务科: the marked unit leads, the others support
            for name, mark in marked:
                units.units.append(name)
                (units.support if mark is None or _is_support(mark.group(1)) else units.lead).append(name)
            continue
        units.units += names
        if _is_support(m.group(1)):
            units.support += names
        elif m.group(1).startswith(("牵头", "负责", "主责", "主办")) or len(parts) > 1:
            units.lead += names
    return units


_LABEL_ONLY = re.compile(rf"^\s*[【\[]?\s*({_ROLE})\s*[】\]]?\s*[：:]?\s*$")


def label_role(header: str) -> str | None:
    """The role a unit label or a table's column header names: 牵头单位/负责处室 → ``lead``, 配合处室/协助部门
    → ``support``, 责任单位/责任科室 → ``responsible``; None when it names no units (完成时间)."""
    m = _LABEL_ONLY.match(header)
    if m is None or _is_person(m.group(1)):
        return None
    if _is_support(m.group(1)):
        return "support"
    return "lead" if m.group(1).startswith(("牵头", "负责", "主责", "主办")) else "responsible"


def units_line(line: str) -> Units | None:
    """Units of a label line (责任单位：…), or None when the line is not one."""
    inner = line.strip().rstrip("。.")
    if inner[:1] in "（(" and inner[-1:] in "）)":
        inner = inner[1:-1].strip()
    inner = _BRACKETED_LABEL.sub(lambda m: m.group(1) + "：", inner)
    if not UNITS_LINE.match(inner):
        return None
    return _from_text(inner)


def inline_units(paragraph: str) -> tuple[str, Units] | None:
    """(paragraph without the note, units) for a paragraph ending in （牵头单位：…）, （牵头：…；配合：…）
    or a note of bare unit names after a sentence (…建设。（组织部、人事处））."""
    if not paragraph.rstrip().rstrip("。.").endswith(("）", ")")):
        return None  # every note ends the paragraph with its bracket: most paragraphs end otherwise
    m = _INLINE.search(paragraph) or _SHORT_INLINE.search(paragraph)
    if m:
        inner = m.group(0).strip().rstrip("。.").strip()[1:-1]
        return paragraph[: m.start()].rstrip(), _from_text(inner)
    bare = _BARE_INLINE.search(paragraph)
    if bare is None:
        return None
    names = split_units(bare.group(1))
    if not names or not all(_UNIT_NAME.match(n) for n in names):
        return None
    return paragraph[: bare.start()].rstrip(), Units(
        label="责任单位", text=bare.group(1).strip(), units=names
    )
