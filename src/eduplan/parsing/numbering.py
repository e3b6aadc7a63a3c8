"""Numbering grammar of Chinese official documents, and Chinese numerals.

Recognised markers (full-width and half-width alike):
- part:      ``第一章`` ``第一部分`` ``第一篇`` (above chapters when both are used)
- section:   ``第一节`` (under 第一章)
- chapter:   ``一、`` ``一．``
- paren_cn:  ``（一）`` ``(一)``
- arabic:    ``1.`` ``1．`` ``1、`` ``1-`` ``1 `` (digits followed by a separator)
- paren_ar:  ``（1）`` ``(1)``
- circled:   ``①`` … ``⑳``
- bracket:   ``【重点任务1】`` ``【任务一】`` ``[重点工作2]`` (a bracketed label: a few words, then a number),
             and the same labels unbracketed before a colon: ``重点任务1：`` ``任务二：``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = "零〇○一二三四五六七八九十百千两"
_CN_VALUE = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_to_int(text: str) -> int | None:
    """Chinese numeral (一, 十二, 三十八, 一百零五, 二〇二一) → int; None when not a numeral."""
    if not text:
        return None
    if all(ch in _CN_VALUE for ch in text) and len(text) > 1:
        # digit by digit, as in years: 二〇二一
        return int("".join(str(_CN_VALUE[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _CN_VALUE:
            current = _CN_VALUE[ch]
        elif ch in _CN_UNIT:
            total += (current or 1) * _CN_UNIT[ch]
            current = 0
        else:
            return None
    return total + current


def int_to_cn(n: int) -> str:
    """int (1–999) → Chinese numeral as used in numbering: 1→一, 12→十二, 38→三十八."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    head = digits[n // 100] + "百"
    if not rest:
        return head
    return head + (
        "零" + digits[rest] if rest < 10 else int_to_cn(rest) if rest >= 20 else "一" + int_to_cn(rest)
    )


def number_value(number: str) -> int | None:
    """The numeric value of a marker's number: "12" → 12, "十二" → 12, "③" → 3."""
    if len(number) == 1 and number in CIRCLED:
        return CIRCLED.index(number) + 1
    if number.isascii() and number.isdigit():
        return int(number)
    return cn_to_int(number)


FW_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
"""`str.translate` table: full-width digits (０-９) to ASCII, as parsers compare them."""
_CN = "[一二三四五六七八九十百零〇两]+"

_CHAPTER = re.compile(rf"^({_CN})\s*[、.．]\s*(.*)$")
_CHAPTER_DI = re.compile(rf"^第({_CN})\s*(章|部分|篇|节)\s*[、.．：:]?\s*(.*)$")
_PAREN_CN = re.compile(rf"^[（(]\s*({_CN})\s*[）)]\s*[、.．]?\s*(.*)$")
_ARABIC = re.compile(
    r"^([0-9]{1,3})\s*(?:[.．、](?![0-9])|-(?![0-9])|[）)](?![0-9])|\s(?=[\u4e00-\u9fff“《]))\s*(.*)$"
)
_PAREN_AR = re.compile(r"^[（(]\s*([0-9]{1,3})\s*[）)]\s*[、.．]?\s*(.*)$")
_CIRCLED = re.compile(rf"^([{CIRCLED}])\s*[、.．]?\s*(.*)$")
# 【重点任务1】 【任务一】: the label words are not a unit label (【责任单位】 has no number)
_BRACKET = re.compile(
    rf"^[【\[［]\s*[\u4e00-\u9fff]{{0,6}}?\s*([0-9]{{1,3}}|{_CN})\s*[】\]］]\s*[：:、.．]?\s*(.*)$"
)


_TASK_LABEL = re.compile(
    rf"^((?:年度)?(?:重点|主要)?(?:工作)?任务|重点工作)\s*([0-9]{{1,3}}|{_CN})\s*[：:]\s*(.*)$"
)
_NOT_A_LABEL = re.compile(r"\s*(?:专栏|案例|附件|附表|表|图|注|例)")


@dataclass(frozen=True)
class Marker:
    """A numbering mark at the start of a line: its style, its number as written, the rest."""

    style: str
    number: str
    rest: str

    @property
    def value(self) -> int | None:
        return number_value(self.number)


def match_marker(line: str) -> Marker | None:
    """The numbering marker a line starts with, if any."""
    if not line:
        return None
    first = line[0]
    if first in "（(":
        m = _PAREN_CN.match(line)
        if m:
            return Marker("paren_cn", m.group(1), m.group(2))
        m = _PAREN_AR.match(line[:12].translate(FW_DIGITS) + line[12:])
        if m:
            return Marker("paren_ar", m.group(1), line[m.start(2) :])
        return None
    if first in "【[［":
        m = _BRACKET.match(line[:16].translate(FW_DIGITS) + line[16:])
        if m is None or _NOT_A_LABEL.match(line[1:]):
            return None  # 【专栏1】 is a box, 【案例2】 an example: not items
        return Marker("bracket", m.group(1), line[m.start(2) :])
    if first in "重任年主":
        m = _TASK_LABEL.match(line[:16].translate(FW_DIGITS) + line[16:])
        return Marker("bracket", m.group(2), line[m.start(3) :]) if m else None
    if first in CIRCLED:
        m = _CIRCLED.match(line)
        return Marker("circled", m.group(1), m.group(2)) if m else None
    if first == "第":
        m = _CHAPTER_DI.match(line)
        if m is None:
            return None
        return Marker("section" if m.group(2) == "节" else "part", m.group(1), m.group(3))
    if first in CN_DIGITS:
        m = _CHAPTER.match(line)
        return Marker("chapter", m.group(1), m.group(2)) if m else None
    if first.isdigit() or first in "０１２３４５６７８９":
        m = _ARABIC.match(line[:8].translate(FW_DIGITS) + line[8:])
        return Marker("arabic", m.group(1), line[m.start(2) :]) if m else None
    return None
