"""Quantitative targets (量化目标) in a task's text.

A target is a number with a counting or measuring unit (新增学位16500个, 覆盖率达到80%以上,
投入1.5亿元, 开展2-3期…), with its comparator read from the words around it (以上/不低于/至少/达到
→ ``>=``, 以下/不超过/以内 → ``<=``, 左右/约 → ``≈``, a range → ``between``), the thing counted
(subject), a per-scope (每县区至少…) and a 其中… breakdown into parts.

Not targets: years and dates, ordinals (第24届, 100周年), names in quotation marks or book-title
marks (“十百千万”工程, 《…（2017-2020年）》), formulas such as 1+X, document numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from eduplan.domain import Comparator, Target, TargetPart
from eduplan.parsing.numbering import cn_to_int

# longest first, so that 万元 wins over 元 and 人次 over 人
UNITS = sorted(
    [
        "%",
        "％",
        "个百分点",
        "个",
        "所",
        "名",
        "人次",
        "万人次",
        "人",
        "万人",
        "万名",
        "万个",
        "家",
        "项",
        "门",
        "期",
        "节",
        "座",
        "间",
        "套",
        "台",
        "张",
        "册",
        "本",
        "部",
        "篇",
        "种",
        "条",
        "支",
        "批",
        "场",
        "次",
        "课时",
        "学时",
        "小时",
        "平方米",
        "万平方米",
        "亩",
        "公里",
        "千米",
        "元",
        "万元",
        "亿元",
        "倍",
        "处",
        "块",
        "位",
        "户",
        "辆",
        "班",
        "组",
        "届",
        "园",
        "校",
        "亿",
        "万",
    ],
    key=len,
    reverse=True,
)
_UNITS_RE = "|".join(re.escape(u) for u in UNITS)
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+(?:\.[0-9]+)?"
_CN_NUMBER = r"[一二三四五六七八九十百千两]*[十百千万][一二三四五六七八九十百千]*"
_TARGET = re.compile(
    # the look-ahead lets the regex engine skip every other character quickly (2-3× faster scan)
    r"(?=[0-9一二三四五六七八九十百千两万])"
    rf"(?P<num>{_NUMBER}|{_CN_NUMBER})"
    rf"(?:%?\s*[-—–~～至到]\s*(?P<max>{_NUMBER}))?"
    r"(?P<more>余|多)?"
    rf"\s*(?P<unit>{_UNITS_RE})"
    r"(?P<post>以上|以下|以内|左右|多)?"
)
# full-width digits and signs read as ASCII; one character for one, so positions stay the same
_HALF_WIDTH = str.maketrans("０１２３４５６７８９％．－", "0123456789%.-")
_FULL_WIDTH = re.compile("[０-９％．－]")
_CLAUSE_END = "，。；;,！？：:\n"
_CLAUSE_STOP = re.compile(f"[{_CLAUSE_END}]")
# comparator words before the number, longest first (不少于 before 少于); the nearest one counts
_BEFORE_WORDS: dict[str, Comparator] = {
    "不少于": ">=",
    "不低于": ">=",
    "不小于": ">=",
    "至少": ">=",
    "最少": ">=",
    "超过": ">=",
    "多于": ">=",
    "达到": ">=",
    "提高到": ">=",
    "提升到": ">=",
    "增加到": ">=",
    "提高至": ">=",
    "提升至": ">=",
    "增加至": ">=",
    "保持在": ">=",
    "稳定在": ">=",
    "巩固在": ">=",
    "增至": ">=",
    "力争达": ">=",
    "不超过": "<=",
    "不高于": "<=",
    "不大于": "<=",
    "最多": "<=",
    "控制在": "<=",
    "降低到": "<=",
    "降至": "<=",
    "压减到": "<=",
    "减少到": "<=",
    "低于": "<=",
    "少于": "<=",
    "约": "≈",
    "大约": "≈",
    "将近": "≈",
    "接近": "≈",
    "近": "≈",
}
_BEFORE = re.compile("|".join(sorted(_BEFORE_WORDS, key=len, reverse=True)) + r"|(?<![到])达(?=\s*[0-9])")
_PER = re.compile(
    r"(?:每|各)(?:个|所)?([\u4e00-\u9fff]{1,6}?)(?:至少|不少于|不低于|均|都|要|应|各|建立|建设|配备|开设|设立|培育|打造|创建|$)"
)
# where a subject written before its number ends: a comparator word (one-character ones only
# right before the number, so that 近视率, 达标率 and 占比 stay whole), or 由/从 of a baseline
_SUBJECT_END = re.compile(
    "|".join(w for w in sorted(_BEFORE_WORDS, key=len, reverse=True) if len(w) > 1)
    + r"|(?:由|从)(?=\s*[0-9])|[近约达为占是](?=\s*[0-9])|分别"
)
_LINE_MARK = re.compile(r"^(?:[（(][0-9一二三四五六七八九十]{1,3}[）)]|[0-9]{1,2}[.．、]|[①-⑳])\s*")
_NOT_SCOPES = ("年", "月", "周", "天", "日", "学期", "季度", "次", "人", "名", "类", "级", "种", "项")
_PART = re.compile(rf"([^、，,；;：:0-9]+?)\s*({_NUMBER})\s*(?:{_UNITS_RE})?")
_LEADING_VERBS = re.compile(
    r"^(?:(?:到|至|在)?(?:19|20)[0-9]{2}\s*年(?:底|末|前)?|近[一二三四五六七八九十两0-9]+年|确保|力争|争取|全面|努力|推动|推进|实现|使|让|全市|全区|全县"
    r"|计划|预计|年内|全年|其中|并|且|和|同时|、)+"
)
_BASELINE = re.compile(
    r"\s*(?:[%％]|[^，。；0-9]{0,3})?\s*(?:提高|提升|增加|增长|降低|下降|减少|压减)(?:到|至)"
)
_NOT_COUNT_UNITS = {"届", "期", "批", "次", "亿", "万"}


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside “…” 《…》 「…」 ‘…’ where numbers are part of a name."""
    spans: list[tuple[int, int]] = []
    for open_, close in (("“", "”"), ("《", "》"), ("「", "」"), ("‘", "’"), ('"', '"')):
        start = 0
        while True:
            i = text.find(open_, start)
            if i < 0:
                break
            j = text.find(close, i + 1)
            if j < 0:
                break
            spans.append((i, j + 1))
            start = j + 1
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _clause_bounds(stops: list[int], length: int, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): between the clause punctuation marks `stops` around it."""
    k = bisect_left(stops, start)
    a = stops[k - 1] + 1 if k > 0 else 0
    k = bisect_left(stops, end)
    return a, stops[k] if k < len(stops) else length


def _value(num: str) -> float | None:
    if num[0].isdigit():
        return float(num.replace(",", ""))
    if num == "万":
        return 10000.0
    if num.endswith("万"):
        base = cn_to_int(num[:-1])
        return None if base is None else base * 10000.0
    v = cn_to_int(num)
    return None if v is None else float(v)


def _excluded(text: str, m: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    s, e = m.start(), m.end()
    before = text[max(0, s - 2) : s]
    after = text[e : e + 2]
    unit = m.group("unit")
    if _inside(s, spans):
        return True
    if before.endswith(("第", "前", "+", "＋", "/", ".")) or (
        before[-1:].isascii() and before[-1:].isalnum()
    ):
        return True
    if after.startswith(("+", "＋", "周年", "年", "届", "岁", "级", "版", "代", "号", "后", "型", "位数")):
        return True
    if unit in ("亿", "万") and not after.startswith(("元", "人", "名", "个", "平方米")):
        return True
    num = m.group("num")
    if not num[0].isdigit():
        # Chinese numerals count only as whole quantities: 十所, 二十个, 万名
        if unit in _NOT_COUNT_UNITS or len(num) > 4:
            return True
        if num in ("百", "千") or (num == "十" and unit not in ("所", "个", "名", "人", "项", "门", "家")):
            return True  # 百名学生, 千人计划: a manner of speaking, not a count
    return False


def _comparator(text: str, m: re.Match[str], clause_start: int) -> Comparator:
    if m.group("max"):
        return "between"
    post = m.group("post")
    if post in ("以上", "多") or m.group("more"):
        return ">="
    if post in ("以下", "以内"):
        return "<="
    if post == "左右":
        return "≈"
    before = text[clause_start : m.start()] + "0"  # the number itself, for 达's look-ahead
    found = list(_BEFORE.finditer(before))
    if not found:
        return "="
    word = found[-1].group(0)
    if word == "近" and found[-1].end() != len(before) - 1:
        return "="  # 近 only right before the number (近3年 is not about the quantity)
    return _BEFORE_WORDS.get(word, ">=")


def _subject(text: str, m: re.Match[str], clause_start: int, clause_end: int) -> str:
    after = text[m.end() : clause_end]
    after = re.split(r"[0-9（(、]|和(?=[0-9])", after, maxsplit=1)[0]
    after = re.sub(r"(?:建设|的建设|项目建设|工作|任务|目标)$", "", after).strip()
    if after.startswith("的"):  # 50%以上的学校…
        after = after[1:]
    before = text[clause_start : m.start()]
    comma = before.rfind("、")
    if comma >= 0 and re.search(r"[0-9]", before[:comma]):
        before = before[comma + 1 :]  # 省级5所、市级10所: the list's previous entry is another target
    found = list(_SUBJECT_END.finditer(before + "0"))
    if found:
        before = before[: found[-1].start()]  # the comparator nearest the number ends the subject
    before = re.split(r"(?:由|从)(?=\s*[0-9])", before, maxsplit=1)[0]  # 由35%提高到40%
    before = _LINE_MARK.sub("", before.strip()).removesuffix("分别").strip()
    before = _LEADING_VERBS.sub("", before).strip()
    if (m.group("unit") in ("%", "％", "倍", "个百分点") and before) or not after:
        return before or after
    return after


def _parts(text: str, pos: int, spans: list[tuple[int, int]]) -> tuple[list[TargetPart], int]:
    """The 其中… (or （其中…）) breakdown right after `pos`, and where it ends."""
    m = re.match(r"\s*[，,：:]?\s*[（(]?\s*其中\s*[：:，,]?", text[pos:])
    if not m:
        return [], -1
    start = pos + m.end()
    end = start
    while end < len(text) and text[end] not in "；;。）)":
        end += 1
    parts = []
    for pm in _PART.finditer(text, start, end):
        label = pm.group(1).strip("、，, ")
        if label and not _inside(pm.start(), spans):
            parts.append(TargetPart(label=label, value=float(pm.group(2).replace(",", ""))))
    return parts, end


def find_targets(text: str) -> list[Target]:
    """Every quantitative target in `text`, in order."""
    original = text
    if _FULL_WIDTH.search(text):
        text = text.translate(_HALF_WIDTH)
    spans = _protected_spans(text)
    out: list[Target] = []
    skip_until = -1
    stops: list[int] | None = None
    starts: list[int] = []  # where each target's number stands
    for m in _TARGET.finditer(text):
        if m.start() < skip_until or _excluded(text, m, spans):
            continue
        if _BASELINE.match(text, m.end()):
            continue  # 由85%提高到90%: the starting point is not the target
        value = _value(m.group("num"))
        if value is None:
            continue
        unit = original[m.start("unit") : m.end("unit")]  # as written (％ stays ％)
        if stops is None:
            stops = [p.start() for p in _CLAUSE_STOP.finditer(text)]
        cs, ce = _clause_bounds(stops, len(text), m.start(), m.end())
        target = Target(
            text=original[cs:ce].strip(),
            subject=_subject(text, m, cs, ce),
            comparator=_comparator(text, m, cs),
            value=value,
            unit=unit,
            value_max=float(m.group("max").replace(",", "")) if m.group("max") else None,
        )
        per = _PER.search(text[cs : m.start()])
        if per and not per.group(1).startswith(_NOT_SCOPES):
            target.per = per.group(1)
        bracket = re.match(r"\s*[（(]\s*其中", text[m.end() :])
        target.parts, skip_until = _parts(text, m.end() if bracket else ce, spans)
        out.append(target)
        starts.append(m.start())
    if "分别" in text:
        _pair_respectively(text, out, starts)
    return out


def _pair_respectively(text: str, targets: list[Target], starts: list[int]) -> None:
    """A、B分别达到95%、90%: the subjects listed before 分别 go with the values in order."""
    for m in re.finditer("分别", text):
        start = max(text.rfind(c, 0, m.start()) for c in "。；;，,：:") + 1
        end = min((i for c in "。；;" if (i := text.find(c, m.end())) >= 0), default=len(text))
        names = [
            _LEADING_VERBS.sub("", n.strip()).strip()
            for n in re.split(r"、|和|及|与", text[start : m.start()])
        ]
        values = [t for t, at in zip(targets, starts, strict=True) if m.end() <= at < end]
        if len(names) >= 2 and len(values) == len(names) and all(names):
            for target, name in zip(values, names, strict=True):
                target.subject = name


def iter_numbers(text: str) -> Iterator[str]:
    """Every number-with-unit span, targets or not (for diagnostics)."""
    for m in _TARGET.finditer(text):
        yield m.group(0)
