"""Scans and photos made from the project's own PDFs, for the OCR tests and benchmark.

- `page_images`: the pages of a PDF rendered with pdfium at a given resolution (grayscale or colour);
- `write_image_pdf`: page images wrapped as an image-only PDF (what a scanner produces), page by page;
- `scan_pdf`: both at once, a typed PDF → its scanned twin at 150 dpi grayscale;
- `with_red_furniture`: a colour page with a red 版头 rule under the header and a red seal;
- `photo`: a page as a phone photo: turned a little, warm paper, soft, JPEG-compressed.
Pillow, pypdfium2 and reportlab (dev) are imported lazily.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

A4 = (595.0, 842.0)


def page_images(
    pdf: Path, dpi: int = 150, grey: bool = True, pages: Iterable[int] | None = None
) -> Iterator[Any]:
    """The pages (indexes from 0, default all) of `pdf` as PIL images at `dpi`."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        for index in pages if pages is not None else range(len(doc)):
            page = doc[index]
            image = page.render(scale=dpi / 72, grayscale=grey).to_pil()
            page.close()
            yield image.convert("L") if grey else image.convert("RGB")
    finally:
        doc.close()


def write_image_pdf(images: Iterable[Any], path: Path) -> Path:
    """An A4 image-only PDF with one image per page (no text layer), written page by page."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        canvas.drawImage(ImageReader(buffer), 0, 0, width=A4[0], height=A4[1])
        canvas.showPage()
    canvas.save()
    return path


def scan_pdf(pdf: Path, path: Path, dpi: int = 150) -> Path:
    """The scanned twin of a typed PDF: each page rendered at `dpi` in grayscale, no text layer."""
    return write_image_pdf(page_images(pdf, dpi), path)


def with_red_furniture(image: Any, rule_at: float = 0.085) -> Any:
    """A colour copy of a page as a 红头文件: the text above `rule_at` (of the height) printed red,
    a red rule under it, and a red seal (ring and star) lower right over the text."""
    from PIL import Image, ImageDraw

    page = image.convert("RGB")
    w, h = page.size
    red = (210, 30, 35)
    y = int(h * rule_at)
    band = page.crop((0, 0, w, y))
    ink = band.convert("L").point(lambda v: 255 if v < 128 else 0)
    band.paste(Image.new("RGB", band.size, red), (0, 0), ink)
    page.paste(band, (0, 0))
    draw = ImageDraw.Draw(page)
    draw.rectangle([int(w * 0.12), y, int(w * 0.88), y + max(3, h // 400)], fill=red)
    cx, cy, r = int(w * 0.72), int(h * 0.55), int(w * 0.1)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=max(4, w // 250))
    draw.regular_polygon((cx, cy, r // 3), 5, fill=red)
    return page


def photo(image: Any, angle: float = 2.5, seed: int = 1) -> Any:
    """A page as a phone photo of the print: turned by `angle`°, on warm paper, slightly soft."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    page = image.convert("RGB")
    w, h = page.size
    canvas = Image.new("RGB", (int(w * 1.08), int(h * 1.06)), (92, 84, 74))  # the desk around it
    canvas.paste(page, ((canvas.width - w) // 2, (canvas.height - h) // 2))
    turned = canvas.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(92, 84, 74))
    tint = Image.new("RGB", turned.size, (255, 244, 225))
    warm = Image.blend(turned, Image.composite(turned, tint, turned.convert("L")), 0.25)
    soft = warm.filter(ImageFilter.GaussianBlur(0.6 + rng.random() * 0.2))
    buffer = io.BytesIO()
    soft.save(buffer, "JPEG", quality=80)
    return Image.open(io.BytesIO(buffer.getvalue()))
