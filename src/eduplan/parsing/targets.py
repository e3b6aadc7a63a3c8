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
from dataclasses import replace

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
        "Mbps",
        "M",
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
    r"(?:\s*(?P<post>以上|以下|以内|左右))?(?P<post_more>多)?"
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
    r"^(?:(?:到|至|在)?(?:19|20)[0-9]{2}\s*年(?:底|末|前)?|近[一二三四五六七八九十两0-9]+年|确保|力争|争取|全面|努力|推动|推进|实现|使|让|全市|全区|全县|每年|每学年"
    r"|计划|预计|年内|全年|其中|并|且|和|同时|、)+"
)
_BASELINE = re.compile(
    r"\s*(?:[%％]|[^，。；0-9]{0,3})?\s*(?:提高|提升|增加|增长|降低|下降|减少|压减)(?:到|至)"
)
_NOT_COUNT_UNITS = {"届", "期", "批", "次", "亿", "万"}
# right after a count: 5人以上的学校 (a condition), 十项准则 (a name)
_CONDITION = re.compile(r"\s*及?(?:以上|以下)\s*的")
_NAMED_LIST = re.compile(r"(?:准则|原则|规定|要求|管理|措施|举措|制度|禁令|纪律|标准)")
# a baseline and its goal joined by a verb of change: 由11所整合为9所, 从35%提高到40%
# a small count written in words after 各/每…: 县区各办好一所…, 每个乡镇至少建设一所…
_PER_ONE_NUMBER = re.compile(
    r"(?<=[好设立成造育备有办])(?P<num>[一两])(?P<unit>所|个|名)(?P<max>)?(?P<more>)?(?P<post>)?(?P<post_more>)?"
)
_EACH_AFTER = re.compile(
    r"(?:支持|推动|鼓励|要求|确保|指导|督促)?([\u4e00-\u9fff（）()]{1,8}?)各(?=[^，。；]{0,4}?[一两二三四五六七八九0-9])"
)
_BRACKET_PARTS = re.compile(r"\s*[（(]\s*其中")
_UNIT_OF = re.compile(r"以([\u4e00-\u9fff（）()]{1,6}?)为单位")  # 以县为单位，…比例达到40%: per 县
_BASELINE_TO = re.compile(
    r"\s*(?:整合|调整|合并|缩减|精简|压减|压缩|减少|扩大|扩展|增加|增长|提高|提升|降低|下降)(?:到|至|为)"
)


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
    if unit in ("M", "Mbps") and (text[e : e + 1].isascii() and text[e : e + 1].isalpha()):
        return True  # 100MB, a model name: not a bandwidth
    if unit == "个" and after.startswith(("小时", "月", "学期", "星期", "工作日", "季度")):
        return True  # 1个小时, 3个月: a duration
    if unit not in ("%", "％") and _CONDITION.match(text, m.end("unit")):
        return True  # 招收残疾学生5人以上的学校: a condition on the schools, not a count to reach
    if unit in ("亿", "万") and not after.startswith(("元", "人", "名", "个", "平方米")):
        return True
    num = m.group("num")
    if not num[0].isdigit():
        # Chinese numerals count only as whole quantities: 十所, 二十个, 万名
        if unit in _NOT_COUNT_UNITS or len(num) > 4:
            return True
        if num in ("百", "千") or (num == "十" and unit not in ("所", "个", "名", "人", "项", "门", "家")):
            return True  # 百名学生, 千人计划: a manner of speaking, not a count
        if _NAMED_LIST.match(text, e):
            return True  # 十项准则, 五项管理: the name of a rule set
    return False


def _comparator(text: str, m: re.Match[str], clause_start: int) -> Comparator:
    if m.group("max"):
        return "between"
    post = m.group("post")
    if post == "以上" or m.group("post_more") or m.group("more"):
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


def _subject(text: str, m: re.Match[str], clause_start: int, clause_end: int, previous: Target | None) -> str:
    """The thing counted or measured: the noun after the number (10所示范校), else the words before
    it (覆盖率达到80%), with the measured thing named by its verb where only a verb is written."""
    raw_after = text[m.end() : clause_end]
    joined = (
        _JOINED.match(raw_after) is not None
    )  # 10所及其高品质项目24个: the words after are the next one's
    after = "" if joined else _object_after(raw_after, share=m.group("unit") in ("%", "％"))
    before = _words_before(text, m, clause_start)
    unit = m.group("unit")
    if before.startswith("及其") and previous is not None:
        before = _name_of(previous.subject) + before.removeprefix("及其")
    before = _CONJUNCTION.sub("", before)
    if unit in _MEASURES and before.endswith("的"):
        before = before[:-1] + ("比例" if "占" in before and unit in ("%", "％") else "")  # A占B的80%
    if (unit in _MEASURES and before) or not after:
        subject = before or after
        if unit in _MEASURES and len(subject) > 10 and "的" in subject:
            head = subject.rsplit("的", 1)[1]
            subject = head if len(head) >= 3 else subject  # 覆盖全市中小班的班均带宽 → 班均带宽
    else:
        subject = after
    return _named_by_verb(subject, unit, text, clause_end)


_MEASURES = ("%", "％", "倍", "个百分点", "M", "Mbps")
_JOINED = re.compile(r"\s*(?:及其|以及|及|和|与|、)")
_CONJUNCTION = re.compile(r"^(?:及其|以及|及|和|与|并|、|，)+")
# the object after a number ends where a new predicate begins (45所乡村学校结成对子)
_NEW_PREDICATE = re.compile(
    r"结成|建成|达到|实现|开展|完成|参加|参与|获得|入选|纳入|成为|形成|为(?:抓手|重点|主线|引领|核心|载体|突破口|契机|依托|支撑|目标)"
)
_PEOPLE_VERBS = (
    "招聘",
    "招收",
    "录用",
    "培训",
    "资助",
    "表彰",
    "接收",
    "输送",
    "培养",
    "补充",
    "引进",
    "选派",
    "交流",
    "招生",
)
_PROJECT_VERBS = ("竣工", "开工", "完工", "立项", "启动")
_MONEY_VERBS = ("投资", "投入", "安排", "拨付", "下达", "奖补", "补助")
_PURPOSE = re.compile(r"\s*(?:对|用于|用以|落实|支持|实施|推进|完成)")


def _object_after(after: str, share: bool = False) -> str:
    """The noun phrase right after a number and its unit, up to where it ends (for a share, 60%以上的
    学校建成省智慧校园, the whole clause: the share is of schools that do so)."""
    after = after.lstrip()
    if after.startswith("的"):  # 50%以上的学校…
        after = after[1:]
    quotes = _protected_spans(after)
    digit = next(
        (
            d.start()
            for d in _DIGIT.finditer(after)
            if not _inside(d.start(), quotes) and not _NAME_WITH_DIGITS.match(after, d.start())
        ),
        len(after),
    )  # the next count ends this one's noun (5G is a name, not a count)
    after = after[:digit].removesuffix("和")
    last_de = max((k for k, ch in enumerate(after) if ch == "的" and not _inside(k, quotes)), default=-1)
    if last_de >= 0 and len(after) - last_de - 1 >= 2 and not share:
        after = after[last_de + 1 :]  # 办学水平高、…的教育集团 → 教育集团
        quotes = _protected_spans(after)
    end = len(after)
    for stop in _OBJECT_STOP.finditer(after):
        k = stop.start()
        if _inside(k, quotes) or (stop.group() in "（(" and _SHORT_ASIDE.match(after, k)):
            continue
        if stop.group() in ("及", "以及") and k < 2:
            continue
        end = k
        break
    after = after[:end]
    cut = _NEW_PREDICATE.search(after)
    if cut and cut.start() >= 2 and not share and not _inside(cut.start(), quotes):
        after = after[: cut.start()]
    after = _OBJECT_TAIL.sub("", after).strip()
    return after.rstrip("和与及").strip()


_DIGIT = re.compile("[0-9]")
_NAME_WITH_DIGITS = re.compile(r"[0-9.]*[A-Za-z]")
_OBJECT_STOP = re.compile(r"[、（(]|以及|及")
_OBJECT_TAIL = re.compile(r"(?:建设|的建设|项目建设|工作|任务|目标)$")
_SHORT_ASIDE = re.compile(r"[（(](?!其中|含|包括)[^0-9（()）]{1,6}[）)]")


def _words_before(text: str, m: re.Match[str], clause_start: int) -> str:
    """The words between the clause's start (or the previous count in it) and the number."""
    before = text[clause_start : m.start()]
    last = None
    for last in _TARGET.finditer(before):  # noqa: B007 - the last count before this one
        pass
    if last is not None and (_BASELINE.match(before, last.end()) or _BASELINE_TO.match(before, last.end())):
        before = before[: last.start()]  # 由35%提高到40%: the subject stands before the baseline
    elif last is not None:
        before = before[last.end() :]  # 省级5所、市级10所 / 10所及其高品质项目: after the previous count
    found = list(_SUBJECT_END.finditer(before + "0"))
    if found:
        before = before[: found[-1].start()]  # the comparator nearest the number ends the subject
    before = re.split(r"(?:由|从)(?=\s*[0-9])", before, maxsplit=1)[0]  # 由35%提高到40%
    before = _LINE_MARK.sub("", before.strip()).removesuffix("分别").strip()
    return _LEADING_VERBS.sub("", before).strip()


def _name_of(subject: str) -> str:
    """The name in a subject: its quoted part (新增义务教育“新优质学校” → 新优质学校), else the subject."""
    quoted = re.search(r"[“\"「『]([^”\"」』]+)[”\"」』]", subject)
    return quoted.group(1) if quoted else subject


def _named_by_verb(subject: str, unit: str, text: str, clause_end: int) -> str:
    """A subject that is only a verb names what it counts: 招聘150人 → 招聘人数, 竣工24个 → 竣工项目,
    投资1443万元，对…工程建设 → …工程投资."""
    bare = re.sub(r"^(?:每年|每学年|年内|全年|计划)+", "", subject)
    if bare in _PEOPLE_VERBS and unit in ("人", "名", "万人", "万名"):
        return bare + "人数"
    if bare in _PEOPLE_VERBS and unit in ("人次", "万人次"):
        return bare + "人次"
    if bare in _PROJECT_VERBS and unit in ("个", "项"):
        return bare + "项目"
    if bare in _MONEY_VERBS and unit.endswith("元"):
        purpose = _PURPOSE.match(text, clause_end + 1)
        if purpose:
            stop = _CLAUSE_STOP.search(text, purpose.end())
            what = text[purpose.end() : stop.start() if stop else len(text)]
            what = re.sub(r"(?:建设|工作|任务)$", "", what.strip())
            if 2 <= len(what) <= 30:
                return what + bare
    return subject


def subject_doubt(target: Target) -> str | None:
    """Why a target's subject may be wrong (for the preview's warnings), or None."""
    bare = re.sub(r"^(?:每年|每学年|年内|全年|计划)+", "", target.subject)
    number = f"{target.value:g}{target.unit}"
    if not bare:
        return f"目标“{number}”没有读出所计的对象，请在预览中补上"
    if bare in _PEOPLE_VERBS + _PROJECT_VERBS + _MONEY_VERBS + ("资助", "完成", "新增", "实现"):
        return f"目标“{number}”只读出动词“{bare}”，请在预览中写明所计的对象"
    return None


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
    return [t for t, _ in find_target_spans(text)]


def find_target_spans(text: str) -> list[tuple[Target, int]]:
    """Every quantitative target in `text` with where its number stands, in order."""
    original = text
    if _FULL_WIDTH.search(text):
        text = text.translate(_HALF_WIDTH)
    matches = _matches(text)
    if not matches:
        return []
    spans = _protected_spans(text)
    out: list[Target] = []
    skip_until = -1
    stops: list[int] | None = None
    starts: list[int] = []  # where each target's number stands
    baseline: float | None = None
    baseline_end = -1
    for m in matches:
        if m.start() < skip_until or _excluded(text, m, spans):
            continue
        if stops is None:
            stops = [p.start() for p in _CLAUSE_STOP.finditer(text)]
        if _BASELINE.match(text, m.end()) or _BASELINE_TO.match(text, m.end()):
            baseline = _value(m.group("num"))  # 由85%提高到90%: the starting point is not the target
            baseline_end = _clause_bounds(stops, len(text), m.start(), m.end())[1]
            continue
        value = _value(m.group("num"))
        if value is None:
            continue
        unit = original[m.start("unit") : m.end("unit")]  # as written (％ stays ％)
        cs, ce = _clause_bounds(stops, len(text), m.start(), m.end())
        target = Target(
            text=original[cs:ce].strip(),
            subject=_subject(text, m, cs, ce, out[-1] if out and starts[-1] >= cs else None),
            comparator=_comparator(text, m, cs),
            value=value,
            unit=unit,
            value_max=float(m.group("max").replace(",", "")) if m.group("max") else None,
        )
        if baseline is not None and m.start() < baseline_end:
            target.baseline = baseline
        baseline = None
        target.per = _per(text, m, cs)
        bracket = _BRACKET_PARTS.match(text, m.end())
        target.parts, skip_until = _parts(text, m.end() if bracket else ce, spans)
        for each in _each_of(target):
            out.append(each)
            starts.append(m.start())
    if "分别" in text:
        _pair_respectively(text, out, starts)
    return list(zip(out, starts, strict=True))


def _matches(text: str) -> list[re.Match[str]]:
    """The number-with-unit matches of `text`, with small counts in words after 各/每 (一所)."""
    found = list(_TARGET.finditer(text))
    if ("一" in text or "两" in text) and ("各" in text or "每" in text):
        taken = {m.start() for m in found}
        extra = [
            m
            for m in _PER_ONE_NUMBER.finditer(text)
            if m.start() not in taken and re.search("[各每]", text[max(0, m.start() - 10) : m.start()])
        ]
        if extra:
            found = sorted(found + extra, key=lambda m: m.start())
    return found


def _per(text: str, m: re.Match[str], clause_start: int) -> str | None:
    """The scope a target holds for each of: 每县区至少…→ 县区, 县（市）区各办好一所…→ 县（市）区."""
    before = text[clause_start : m.start()]
    per = _PER.search(before)
    if per and not per.group(1).startswith(_NOT_SCOPES):
        return per.group(1)
    each = _EACH_AFTER.search(before)
    if each:
        return each.group(1)
    unit_of = _UNIT_OF.search(text[max(0, clause_start - 12) : m.start()])
    return unit_of.group(1) if unit_of else None


def _each_of(target: Target) -> list[Target]:
    """A、B、C均达到100%: one target per listed subject (the shared value holds for each)."""
    head, sep, _ = target.subject.partition("均")
    names = [n.strip() for n in re.split(r"、|和(?!谐)", head or target.subject)]
    if len(names) < 2 or not all(2 <= len(n) <= 24 for n in names):
        return [target]
    if not (sep or re.search(r"、[^、]*(?:均|都|全部)", target.text)):
        return [target]
    return [replace(target, subject=n, parts=list(target.parts)) for n in names]


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
