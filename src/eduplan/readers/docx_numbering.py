"""Word automatic numbering: the "一、" and "1." that python-docx's ``.text`` never shows.

`ListNumbering` reads numbering.xml (w:abstractNum levels, w:num instances with w:lvlOverride /
w:startOverride) and styles.xml (w:numPr inherited through w:basedOn, levels bound to a style by
w:lvl/w:pStyle, w:numStyleLink), then counts paragraphs in document order as Word does: a level
restarts when a higher level advances (w:lvlRestart), lists sharing an abstractNum continue each
other unless a w:num overrides the start.  `label(p)` gives the rendered lvlText (%1, %2 …).
Limits: bullets and hidden numbers render as nothing; legal numbering (w:isLgl) shows decimals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from eduplan.readers.numfmt import format_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PLACEHOLDER = re.compile(r"%([1-9])")


def _val(el: Any, path: str) -> str | None:
    """The w:val of the child at `path` (``w:`` prefixed tags separated by /), if any."""
    node = el
    for tag in path.split("/"):
        if node is None:
            return None
        node = node.find(W + tag)
    return None if node is None else node.get(W + "val")


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class Level:
    """One w:lvl: start value, numFmt, lvlText, lvlRestart, isLgl, and the style bound to it."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None
    legal: bool = False
    style: str | None = None

    @classmethod
    def parse(cls, lvl: Any) -> Level:
        legal = lvl.find(W + "isLgl")
        return cls(
            start=_int(_val(lvl, "start"), 1) or 0,
            fmt=_val(lvl, "numFmt") or "decimal",
            text=_val(lvl, "lvlText") or "",
            restart=_int(_val(lvl, "lvlRestart")),
            legal=legal is not None and legal.get(W + "val", "1") not in ("0", "false", "off"),
            style=_val(lvl, "pStyle"),
        )


@dataclass
class _Instance:
    abstract_id: str
    levels: dict[int, Level] = field(default_factory=dict)
    overridden: bool = False


def _levels(abstract: Any) -> dict[int, Level]:
    out: dict[int, Level] = {}
    for lvl in abstract.findall(W + "lvl"):
        ilvl = _int(lvl.get(W + "ilvl"))
        if ilvl is not None and 0 <= ilvl <= 8:
            out[ilvl] = Level.parse(lvl)
    return out


class ListNumbering:
    """Counts numbered paragraphs in document order and renders their labels."""

    def __init__(self, numbering: Any | None, styles: Any | None) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._style_link: dict[str, str] = {}
        self._instances: dict[str, _Instance] = {}
        self._style_num: dict[str, tuple[str | None, int | None, str | None]] = {}
        self._default_style: str | None = None
        self._counters: dict[str, dict[int, int]] = {}
        if styles is not None:
            self._read_styles(styles)
        if numbering is not None:
            self._read_numbering(numbering)

    def _read_styles(self, styles: Any) -> None:
        for style in styles.findall(W + "style"):
            style_id = style.get(W + "styleId")
            if not style_id:
                continue
            ppr = style.find(W + "pPr")
            num_id = _val(ppr, "numPr/numId") if ppr is not None else None
            ilvl = _int(_val(ppr, "numPr/ilvl")) if ppr is not None else None
            self._style_num[style_id] = (num_id, ilvl, _val(style, "basedOn"))
            if style.get(W + "type") == "paragraph" and style.get(W + "default") in ("1", "true"):
                self._default_style = style_id

    def _read_numbering(self, numbering: Any) -> None:
        for abstract in numbering.findall(W + "abstractNum"):
            abstract_id = abstract.get(W + "abstractNumId")
            if abstract_id is None:
                continue
            self._abstract[abstract_id] = _levels(abstract)
            link = _val(abstract, "numStyleLink")
            if link:
                self._style_link[abstract_id] = link
        for num in numbering.findall(W + "num"):
            num_id = num.get(W + "numId")
            abstract_id = _val(num, "abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            instance = _Instance(abstract_id)
            for override in num.findall(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl"))
                if ilvl is None:
                    continue
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    instance.levels[ilvl] = Level.parse(lvl)
                start = _int(_val(override, "startOverride"))
                if start is not None:
                    instance.levels.setdefault(ilvl, Level(fmt="", start=start)).start = start
                    instance.overridden = True
            self._instances[num_id] = instance

    def _style_chain(self, style_id: str | None) -> tuple[str | None, int | None]:
        """numId and ilvl a paragraph style gives (following w:basedOn)."""
        num_id: str | None = None
        ilvl: int | None = None
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            s_num, s_ilvl, based_on = self._style_num.get(style_id, (None, None, None))
            num_id = num_id or s_num
            ilvl = s_ilvl if ilvl is None else ilvl
            style_id = based_on
        return num_id, ilvl

    def _resolve_abstract(self, abstract_id: str) -> str:
        """Follow w:numStyleLink to the abstractNum that really holds the levels."""
        for _ in range(4):
            link = self._style_link.get(abstract_id)
            if not link:
                break
            num_id, _ilvl = self._style_chain(link)
            instance = self._instances.get(num_id or "")
            if instance is None or instance.abstract_id == abstract_id:
                break
            abstract_id = instance.abstract_id
        return abstract_id

    def _level(self, instance: _Instance, abstract_id: str, ilvl: int) -> Level:
        base = self._abstract.get(abstract_id, {}).get(ilvl, Level())
        override = instance.levels.get(ilvl)
        if override is None:
            return base
        if override.fmt:  # a whole w:lvl in the override
            return override
        return Level(override.start, base.fmt, base.text, base.restart, base.legal, base.style)

    def label(self, p: Any) -> str:
        """The number text of paragraph `p` (advancing the counters), or ``""`` if not numbered."""
        ppr = p.find(W + "pPr")
        style_id = (_val(ppr, "pStyle") if ppr is not None else None) or self._default_style
        num_id = _val(ppr, "numPr/numId") if ppr is not None else None
        ilvl = _int(_val(ppr, "numPr/ilvl")) if ppr is not None else None
        s_num, s_ilvl = self._style_chain(style_id)
        num_id = num_id or s_num
        if ilvl is None:
            ilvl = s_ilvl
        instance = self._instances.get(num_id or "")
        if instance is None:  # numId 0 (numbering switched off) or unknown
            return ""
        abstract_id = self._resolve_abstract(instance.abstract_id)
        if ilvl is None:
            bound = [
                i
                for i, lvl in self._abstract.get(abstract_id, {}).items()
                if style_id and lvl.style == style_id
            ]
            ilvl = bound[0] if bound else 0
        ilvl = min(max(ilvl, 0), 8)
        key = f"num:{num_id}" if instance.overridden else f"abstract:{abstract_id}"
        counters = self._counters.setdefault(key, {})
        counters[ilvl] = (
            counters[ilvl] + 1 if ilvl in counters else self._level(instance, abstract_id, ilvl).start
        )
        for deeper in [d for d in counters if d > ilvl]:
            restart = self._level(instance, abstract_id, deeper).restart
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[deeper]
        level = self._level(instance, abstract_id, ilvl)
        if level.fmt == "bullet":
            return ""

        def render(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lvl = self._level(instance, abstract_id, k)
            value = counters.get(k, lvl.start)
            fmt = "decimal" if level.legal and lvl.fmt not in ("none", "bullet") else lvl.fmt
            return format_number(value, fmt)

        return _PLACEHOLDER.sub(render, level.text)
