"""Number formats of Word lists (w:numFmt): 3 → "3", "三", "叁", "丙", "③", "c", "iii" …

Covers the formats Chinese documents use (decimal, chineseCounting, chineseCountingThousand,
chineseLegalSimplified, ideographTraditional 甲乙丙, ideographZodiac 子丑寅, decimalEnclosedCircle
①, decimalEnclosedParen ⑴, decimalEnclosedFullstop ⒈, decimalFullWidth ３) and the Latin ones.
Formats not listed fall back to decimal, as does any value a format cannot show (① stops at 20).
"""

from __future__ import annotations

_DIGITS = "〇一二三四五六七八九"
_COUNTING_DIGITS = "零一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN: tuple[tuple[int, str], ...] = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
_COUNTING = {
    "chineseCounting",
    "chineseCountingThousand",
    "japaneseCounting",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
    "japaneseDigitalTenThousand",
}


def chinese_counting(n: int, legal: bool = False) -> str:
    """一 … 十 十一 … 二十 … 一百零一 (legal: 壹 … 壹拾 …); up to 9999, beyond that digit by digit."""
    digits = _LEGAL_DIGITS if legal else _COUNTING_DIGITS
    units = ("", "拾", "佰", "仟") if legal else ("", "十", "百", "千")
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return "".join(_DIGITS[int(d)] for d in str(n))
    out: list[str] = []
    pending_zero = False
    for power in (3, 2, 1, 0):
        d = n // 10**power % 10
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(digits[0])
            pending_zero = False
        out.append(digits[d] + units[power])
    text = "".join(out)
    if not legal and 10 <= n < 20:
        text = text[1:]  # 十一, not 一十一
    return text


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    # Word repeats the letter: 27 → aa, 28 → bb
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """`n` shown in Word's numFmt `fmt`."""
    if fmt in ("none", "bullet"):
        return ""
    if n <= 0:
        return str(n)
    if fmt in _COUNTING:
        return chinese_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return chinese_counting(n, legal=True)
    if fmt == "ideographTraditional" and n <= len(_HEAVENLY):
        return _HEAVENLY[n - 1]
    if fmt == "ideographZodiac" and n <= len(_EARTHLY):
        return _EARTHLY[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    return str(n)
