"""Page images (a scanned PDF page, a .png/.jpg/.tif, a phone photo) → positioned OCR lines.

Before OCR each page is cleaned the way a person reading it would ignore things:
- turned upright from the camera's EXIF orientation, scaled to at most `MAX_SIDE` pixels;
- red furniture removed from colour images: the red rule under the 版头 and round red seals (their
  ring and the text inside) are painted white, while red text such as the 版头 itself is kept dark;
- a slight rotation (a page photographed or fed askew, up to ±`MAX_SKEW`°) straightened by the
  angle that makes text rows sharpest in a horizontal projection.
The engine's boxes are then gathered into lines (boxes side by side on one row), and returned as
`PdfLine`s in PDF points so that `pdf_layout` drops running headers and page numbers and joins
wrapped lines exactly as for a PDF with a text layer.
Limits: single-column pages; no perspective correction; a page upside down is not turned.
"""

from __future__ import annotations

import io
import re
import statistics
import warnings
from collections.abc import Iterator
from typing import Any

from eduplan.readers.document import Document, Progress
from eduplan.readers.errors import ReadError
from eduplan.readers.ocr import LOW_CONFIDENCE, OcrBox, get_engine
from eduplan.readers.pdf_layout import PdfLine, paragraph_confidences, remove_page_furniture

MAX_PAGES = 300
"""Most pages OCR'd in one document (about a quarter of an hour of work at 20+ pages a minute)."""

MAX_SIDE = 2200
"""Longest side a page image is scaled down to before OCR (an A4 page at 150 dpi is 1754)."""

MAX_PIXELS = 80_000_000
"""Largest image accepted (a 10,000 × 8,000 pixel scan); larger is refused before decoding."""

MAX_SKEW = 6.0
_GREY_MODES = ("1", "L", "I;16", "I", "F")
A4_WIDTH = 595.0  # PDF points: every page is measured as if it were A4 wide
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LEADERS = re.compile(r"[.…·．•]{2,}")
_DIGIT_DASH = re.compile(r"(?<=[0-9])一(?=[0-9])")  # 2—3所 read as 2一3所
MIN_CJK = 4
"""Fewer recognised Chinese characters than this on the whole document means it holds no text."""

NO_TEXT = (
    "未识别出文字：文件中没有可识别的中文文字（可能是照片或空白页），请确认文件内容，或提供更清晰的扫描件"
)
TOO_MANY_PAGES = "扫描件共{count}页需要 OCR 识别，超过上限{limit}页；请拆分为不超过{limit}页的文件，或向发文单位索取 Word 版"


def _remove_red(rgb: Any) -> Any:
    """An RGB array with the red rule and red seals painted white (red text kept, darkened)."""
    import numpy as np

    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    red = (r > 110) & (r - g > 60) & (r - b > 50)
    if not red.any():
        return rgb
    out = rgb.copy()
    height, width = red.shape
    erase = np.zeros_like(red)
    try:
        import cv2

        count, labels, stats, _ = cv2.connectedComponentsWithStats(red.astype(np.uint8), connectivity=8)
    except ImportError:  # without OpenCV all red goes (the 版头 too)
        count, labels, stats = 0, None, None
        erase = red
    for k in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[k])
        rule = w >= 0.3 * width and h <= 0.02 * height
        # a seal (4 cm across, a fifth of an A4 width) is a thin ring; a big red 版头 glyph is smaller and fuller
        seal = 0.12 * width <= w <= 0.45 * width and 0.7 <= w / max(h, 1) <= 1.45 and area < 0.2 * w * h
        if rule:
            erase |= labels == k
        elif seal:  # the ring and everything red inside it
            erase[y : y + h, x : x + w] |= red[y : y + h, x : x + w]
    keep = red & ~erase
    out[erase] = 255
    out[keep] = 0
    return out


def _skew(gray: Any) -> float:
    """The angle (degrees) by which to turn the page so that its text rows are horizontal."""
    import numpy as np
    from PIL import Image

    thumb = gray.copy()
    thumb.thumbnail((900, 900))
    ink = Image.fromarray(((np.asarray(thumb) < 140) * 255).astype(np.uint8))
    if np.asarray(ink).mean() < 0.5:  # blank page
        return 0.0

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max((a / 2 for a in range(int(-2 * MAX_SKEW), int(2 * MAX_SKEW) + 1)), key=sharpness)
    return max((best + a / 10 for a in range(-5, 6)), key=sharpness)


def prepare(image: Any) -> Any:
    """A page ready for OCR: upright, red furniture removed, grayscale, bounded size, straightened."""
    import numpy as np
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:  # on white paper, not black
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    if max(image.size) > MAX_SIDE:  # first, so that a 50-megapixel photo never has big copies
        image = image.convert("L" if image.mode in _GREY_MODES else "RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    if image.mode in _GREY_MODES:
        gray = image.convert("L")
    else:
        gray = Image.fromarray(_remove_red(np.asarray(image.convert("RGB")))).convert("L")
    angle = _skew(gray)
    if abs(angle) >= 0.2:
        gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return gray


def _size(box: OcrBox) -> float:
    """The font size of a box: from its pitch when it holds full-width text, else its height."""
    return _font_size(box.text, box.x1 - box.x0) or max(box.bottom - box.top, 1.0)


def _join_row(boxes: list[OcrBox]) -> tuple[str, bool]:
    """The text of boxes on one row, left to right; a wide gap between them is a table cell break."""
    text = ""
    cells = False
    prev: OcrBox | None = None
    for box in sorted(boxes, key=lambda b: b.x0):
        if prev is not None:
            gap = box.x0 - prev.x1
            size = min(_size(prev), _size(box))
            if gap > 1.5 * size:
                text += "\t"
                cells = True
            elif gap > 0.6 * size or (text[-1:].isascii() and text[-1:].isalnum() and box.text[:1].isascii()):
                text += " "
        text += box.text.strip()
        prev = box
    return text, cells


def page_lines(boxes: list[OcrBox], page: int, width: float, height: float) -> list[PdfLine]:
    """Boxes of one page image gathered into lines top to bottom, in A4-wide PDF points."""
    rows: list[list[OcrBox]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        middle = (box.top + box.bottom) / 2
        row = rows[-1] if rows else None
        if row is not None and min(b.top for b in row) < middle < max(b.bottom for b in row):
            row.append(box)
        else:
            rows.append([box])
    scale = A4_WIDTH / max(width, 1.0)
    texts = [_join_row(row) for row in rows]
    sizes = [
        None if cells else _font_size(text, max(b.x1 for b in row) - min(b.x0 for b in row))
        for row, (text, cells) in zip(rows, texts, strict=True)
    ]
    # a line of one or two characters (a paragraph's last) is padded by the detector: the page's size
    usual = [s for s, (text, _) in zip(sizes, texts, strict=True) if s is not None and len(text.strip()) > 4]
    typical = statistics.median(usual) if usual else None
    lines = []
    for row, (text, cells), size in zip(rows, texts, sizes, strict=True):
        text = _DIGIT_DASH.sub("—", text)
        x0, x1 = min(b.x0 for b in row), max(b.x1 for b in row)
        top, bottom = min(b.top for b in row), max(b.bottom for b in row)
        if len(text.strip()) <= 2 and not cells and typical is not None:
            size = typical
        if size is not None:  # box heights vary with the glyphs; the pitch tells the font size
            middle = (top + bottom) / 2
            top, bottom = middle - size / 2, middle + size / 2
        lines.append(
            PdfLine(
                page=page,
                text=text,
                x0=x0 * scale,
                x1=x1 * scale,
                top=top * scale,
                bottom=bottom * scale,
                page_height=height * scale,
                is_table=cells,
                confidence=min(b.confidence for b in row),
            )
        )
    return lines


def _font_size(text: str, width: float) -> float | None:
    """The font size of a line of mostly full-width text from its width (CJK glyphs are square);
    none for a line with leader dots, which OCR reads as any number of …"""
    if _LEADERS.search(text):
        return None
    units = sum(0.5 if ch.isascii() else 1.0 for ch in text if not ch.isspace())
    return width / units if units >= 1 and any(not ch.isascii() for ch in text) else None


def ocr_page(image: Any, page: int) -> list[PdfLine]:
    """The lines of one page image (`page` counts from 1), read by this process's OCR engine."""
    ready = prepare(image)
    return page_lines(get_engine().recognize(ready), page, ready.width, ready.height)


def check_page_count(count: int) -> None:
    """Refuse a document with more pages to OCR than `MAX_PAGES`, before any work is done."""
    if count > MAX_PAGES:
        raise ReadError(TOO_MANY_PAGES.format(count=count, limit=MAX_PAGES), "too_large")


def ocr_document(fmt: str, pages: list[list[PdfLine]], ocr_pages: list[int]) -> Document:
    """Raw paragraphs of pages some of which were OCR'd, with the doubtful ones and a warning."""
    found = sum(len(_CJK.findall(line.text)) for number in ocr_pages for line in pages[number - 1])
    if (
        ocr_pages
        and found < MIN_CJK
        and all(not lines for i, lines in enumerate(pages, 1) if i not in ocr_pages)
    ):
        raise ReadError(NO_TEXT, "no_text")
    paras = paragraph_confidences(remove_page_furniture(pages))
    doubts = [(text, round(c, 3)) for text, c in paras if c < LOW_CONFIDENCE]
    notes = []
    if ocr_pages:
        which = "全部页面" if len(ocr_pages) == len(pages) else f"第{_ranges(ocr_pages)}页"
        note = f"{which}为扫描图像，已经 OCR 文字识别，请对照原件核对"
        if doubts:
            note += f"；其中{len(doubts)}段识别把握较低，已标出"
        notes.append(note)
    return Document(format=fmt, lines=[t for t, _ in paras], warnings=notes, low_confidence=doubts)


def _ranges(numbers: list[int]) -> str:
    """``1–3、5`` for pages 1, 2, 3, 5."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return "、".join(parts)


_BAD_IMAGE = "图片文件已损坏或格式不受支持，请重新导出为 PNG 或 JPG 后再导入"
_HUGE_IMAGE = "图片尺寸过大（超过八千万像素），请缩小或拆分后再导入"


def _open(data: bytes) -> Any:
    """The decoded header of an image file (pixels are read frame by frame later)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ReadError(_HUGE_IMAGE, "too_large") from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ReadError(_BAD_IMAGE, "corrupt") from exc
    if image.width * image.height > MAX_PIXELS:
        raise ReadError(_HUGE_IMAGE, "too_large")
    if image.format == "JPEG":  # decode a big photo at a reduced scale straight away
        image.draft(image.mode, (MAX_SIDE, MAX_SIDE))
    return image


def _frames(image: Any) -> Iterator[Any]:
    from PIL import ImageSequence

    try:
        for frame in ImageSequence.Iterator(image):
            frame.load()
            yield frame
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ReadError(_BAD_IMAGE, "corrupt") from exc


def read_image(data: bytes, progress: Progress | None = None) -> Document:
    """Raw paragraphs of a page image (a multi-page TIFF gives several pages), read by OCR."""
    image = _open(data)
    total = int(getattr(image, "n_frames", 1))
    check_page_count(total)
    get_engine()  # say what to install before decoding any pixels
    pages = []
    for number, frame in enumerate(_frames(image), start=1):
        pages.append(ocr_page(frame, number))
        if progress is not None:
            progress(number, total)
    return ocr_document("image", pages, list(range(1, len(pages) + 1)))
