"""Plain text (txt, md): bytes → str → raw lines, guessing the encoding carefully.

Order of attempts: BOM (UTF-8, UTF-32, UTF-16); BOM-less UTF-16 recognised by its NUL pattern;
strict UTF-8 (a character cut at the very end is dropped; text with no Chinese that reads as common
Chinese in GB18030 is GBK that happens to be valid UTF-8); strict GB18030 (a superset of GBK and
GB2312), unless it reads as mojibake while Big5 reads cleanly; charset-normalizer, because it
misreads short GBK text; last, UTF-8 or GB18030 with a few damaged bytes (under 1%) replaced by
U+FFFD.  Content with NULs or many control characters is binary, not text.
"""

from __future__ import annotations

import codecs
import re

from eduplan.readers.errors import ReadError

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PLAUSIBLE = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_CJK_OR_FULLWIDTH = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_MAX_CONTROL_SHARE = 0.005


def _utf16_without_bom(data: bytes) -> str | None:
    """BOM-less UTF-16 text: NUL bytes are frequent, and one byte order reads as plausible text."""
    sample = data[:8192]
    # Chinese text has few ASCII characters (digits, line ends), so a few NULs are enough
    if len(sample) < 4 or sample.count(0) < max(2, len(sample) * 0.01):
        return None
    best, best_score = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _strict(data[: len(data) // 2 * 2], encoding)
        if text is None:
            continue
        head = text[:4096]
        score = len(_PLAUSIBLE.findall(head)) / max(len(head), 1)
        if score > best_score:
            best, best_score = text, score
    return best if best_score >= 0.9 else None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf8(data: bytes) -> str | None:
    """Strict UTF-8, forgiving only one character cut off by truncation at the very end."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8", errors="strict")
        return None


def _utf8_unless_gbk(data: bytes) -> str | None:
    """Strict UTF-8, unless it holds no Chinese at all while GB18030 reads as common Chinese.

    Short GBK text can be valid UTF-8 by accident (学校 = D1A7 D0A3 reads as Cyrillic "ѧУ").
    """
    text = _utf8(data)
    if text is None or text.isascii() or _CJK_OR_FULLWIDTH.search(text):
        return text
    gb = _strict(data, "gb18030")
    if gb is not None and _CJK.search(gb) and _common_share(gb) >= 0.9:
        return gb
    return text


def _common_share(text: str) -> float:
    """Share of Chinese characters that are among the 3755 most common (GB2312 level 1)."""
    hanzi = _CJK.findall(text[:20000])
    if not hanzi:
        return 1.0
    common = 0
    for ch in hanzi:
        try:
            code = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 0xB0 <= code[0] <= 0xD7
    return common / len(hanzi)


def _gb_or_big5(data: bytes) -> str | None:
    gb = _strict(data, "gb18030")
    if gb is None or _common_share(gb) >= 0.8:
        return gb
    big5 = _strict(data, "big5")
    if big5 is not None:
        from eduplan.readers.normalize import to_simplified

        if _common_share(to_simplified(big5)) > _common_share(gb):
            return big5
    return gb


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def _nearly(data: bytes) -> str | None:
    """UTF-8 or GB18030 with a few damaged bytes shown as U+FFFD, rather than no text at all."""
    best: str | None = None
    best_bad = max(8, len(data) // 100) + 1
    for encoding in ("utf-8", "gb18030"):
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        if bad < best_bad:
            best, best_bad = text, bad
    return best


def decode_text(data: bytes) -> str:
    """The text of `data`, or `ReadError` when it is binary or in no recognisable encoding."""
    text: str | None = None
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = _strict(data, encoding)
            break
    if text is None:
        text = _utf16_without_bom(data)
    if text is None and b"\x00" not in data:
        text = _utf8_unless_gbk(data) or _gb_or_big5(data) or _detected(data) or _nearly(data)
    if text is None:
        if b"\x00" in data:
            raise ReadError("文件内容不是文本（含有二进制数据），请确认文件格式或重新导出", "binary")
        raise ReadError("无法识别文件的文字编码，请另存为 UTF-8 编码的文本后再导入", "encoding")
    return check_is_text(text)


def check_is_text(text: str) -> str:
    """`text` without stray control characters; `ReadError` if there are too many to be text."""
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(2, len(text) * _MAX_CONTROL_SHARE):
        raise ReadError("文件内容不是文本（含有二进制数据），请确认文件格式或重新导出", "binary")
    return _CONTROL.sub("", text) if controls else text


def split_lines(text: str) -> list[str]:
    """Lines split at CRLF, LF, CR and Unicode line separators."""
    return _LINE_BREAK.split(text)


def read_text(data: bytes) -> list[str]:
    """Raw lines of a plain-text document."""
    return split_lines(decode_text(data))
