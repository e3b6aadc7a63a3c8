"""The colours of app.css read well (WCAG 2.2): text in lights, tags and messages at least 4.5:1
against its background, the focus ring at least 3:1 against white and against the red top bar.
(axe-core checks the rendered pages in tests/browser/test_accessibility.py; this names the pairs.)"""

from __future__ import annotations

import re

import pytest

from eduplan.web.pages.render import STATIC_DIR

CSS = (STATIC_DIR / "app.css").read_text(encoding="utf-8")
COLOURS = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS.split("}", 1)[0]))


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour(name: str) -> str:
    return name if name.startswith("#") else COLOURS[name]


@pytest.mark.parametrize(
    ("ink", "ground", "least"),
    [
        ("amber", "amber-bg", 4.5),  # 滞后 light, .tag.urge-yellow, .tag.pending-tag, .flash-warn
        ("green", "green-bg", 4.5),  # 正常 light, .flash-ok (the logout message)
        ("red", "red-bg", 4.5),
        ("muted", "none-bg", 4.5),
        ("muted", "bg", 4.5),
        ("link", "#ffffff", 4.5),
        ("focus", "#ffffff", 3.0),
        ("focus", "bg", 3.0),
        ("focus-on-brand", "brand", 3.0),
    ],
)
def test_colour_pairs_of_the_stylesheet_read_well(ink: str, ground: str, least: float) -> None:
    assert contrast(colour(ink), colour(ground)) >= least, (
        ink,
        ground,
        round(contrast(colour(ink), colour(ground)), 2),
    )
