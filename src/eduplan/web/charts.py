"""Charts for the pages: pygal SVG rendered on the server and embedded inline (no JavaScript, no CDN).

Every helper returns `Markup` of one ``<svg role="img" aria-label="…">`` with Chinese labels in the
system CJK font stack of app.css and the lights' colours (--green, --amber, --red).  pygal's inline
configuration script and its comments (which name its web site) are stripped, so a chart needs
nothing from outside the page and the CSP (no inline scripts) holds.  The ids pygal gives its legend
entries (``activate-serie-N``, the same in every chart) are prefixed with the chart's own id, so a
page with several charts repeats no id.  Labels are escaped by pygal's
XML serializer, so plan titles and unit names are safe to pass.

A chart is never the only place a figure is shown: pages print the same figures as a table or
text beside it (screen readers, printing, colour blindness).  pygal takes 10–30 ms a chart, so the
last `CACHE_SIZE` charts are kept by their inputs: a page viewed again with the same figures reuses
its SVG.  Limits: charts are static (no tooltips without JavaScript); a bar chart with many rows
grows tall — pass the top N rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markupsafe import Markup, escape

FONTS = (
    '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", "Hiragino Sans GB", sans-serif'
)
"""The font stack of app.css's body."""
GREEN, AMBER, RED, BLUE, GREY = "#16733a", "#8a5c00", "#b42318", "#3b6fb6", "#c9ced6"
LIGHT_SERIES = (("正常", GREEN), ("滞后", AMBER), ("严重滞后", RED))

CACHE_SIZE = 128
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CHART_ID = re.compile(r'<svg\b[^>]*\sid="([^"]+)"')


def _style(colours: Sequence[str]) -> object:
    from pygal.style import Style

    return Style(
        font_family=FONTS,
        colors=tuple(colours),
        background="transparent",
        plot_background="transparent",
        foreground="#1f2328",
        foreground_strong="#1f2328",
        foreground_subtle="#5c6670",
        title_font_size=17,
        label_font_size=14,
        major_label_font_size=14,
        legend_font_size=14,
        value_font_size=13,
        value_label_font_size=13,
        tooltip_font_size=13,
    )


def _config(colours: Sequence[str], **options: object) -> dict[str, object]:
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": _style(colours),
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": True,
        "margin": 8,
        "spacing": 8,
        "explicit_size": True,
        **options,
    }


LABEL_CHARS = 12


def _label_margin(labels: Sequence[str]) -> int:
    """Extra left margin for the axis labels: pygal sizes them for Latin letters (about 0.6 em)
    while a Chinese character is a full em, so long unit names would be cut at the edge."""
    longest = min(max((len(x) for x in labels), default=0), LABEL_CHARS)
    return 8 + int(0.45 * 14 * longest)


def _svg(chart: object, title: str) -> Markup:
    svg = chart.render(is_unicode=True)  # type: ignore[attr-defined]
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    own = _CHART_ID.search(svg)
    if own:
        svg = svg.replace('id="activate-serie-', f'id="{own.group(1)}-activate-serie-')
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return Markup(svg)


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float]],
    unit: str = "%",
    max_value: float | None = 100.0,
    colour: str = BLUE,
    width: int = 560,
) -> Markup:
    """A horizontal bar per (label, value), top row first, values printed with `unit`."""
    return _bar_chart(title, tuple((str(a), float(b)) for a, b in rows), unit, max_value, colour, width)


def lights_chart(title: str, rows: Sequence[tuple[str, int, int, int]], width: int = 560) -> Markup:
    """Stacked horizontal bars of (label, green, amber, red) task counts, top row first."""
    return _lights_chart(title, tuple((str(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows), width)


def lights_pie(title: str, green: int, amber: int, red: int, width: int = 360) -> Markup:
    """A ring of the tasks' lights (正常/滞后/严重滞后) with their counts."""
    return _lights_pie(title, green, amber, red, width)


def gauge(title: str, value: float, label: str, colour: str = GREEN, width: int = 360) -> Markup:
    """A half ring from 0 to 100% filled to `value` (percent points), with `label` as its series."""
    return _gauge(title, round(value, 1), label, colour, width)


@lru_cache(maxsize=CACHE_SIZE)
def _bar_chart(
    title: str,
    rows: tuple[tuple[str, float], ...],
    unit: str,
    max_value: float | None,
    colour: str,
    width: int,
) -> Markup:
    import pygal

    height = 80 + 34 * max(len(rows), 2)
    chart = pygal.HorizontalBar(
        **_config(
            [colour],
            width=width,
            height=height,
            show_legend=False,
            truncate_label=LABEL_CHARS,
            margin_left=_label_margin([label for label, _ in rows]),
            range=(0, max_value) if max_value else None,
            formatter=lambda v: f"{v:g}{unit}" if v is not None else "",
        ),
    )
    chart.title = title
    ordered = list(reversed(rows))  # pygal draws the first value at the bottom
    chart.x_labels = [label for label, _ in ordered]
    chart.add(title, [value for _, value in ordered])
    return _svg(chart, title)


@lru_cache(maxsize=CACHE_SIZE)
def _lights_chart(title: str, rows: tuple[tuple[str, int, int, int], ...], width: int) -> Markup:
    import pygal

    height = 120 + 40 * max(len(rows), 2)
    chart = pygal.HorizontalStackedBar(
        **_config(
            [c for _, c in LIGHT_SERIES],
            width=width,
            height=height,
            truncate_label=LABEL_CHARS,
            margin_left=_label_margin([r[0] for r in rows]),
            formatter=lambda v: f"{v:g}" if v else "",
        ),
    )
    chart.title = title
    ordered = list(reversed(rows))
    chart.x_labels = [r[0] for r in ordered]
    for k, (name, _colour) in enumerate(LIGHT_SERIES):
        chart.add(name, [r[k + 1] for r in ordered])
    return _svg(chart, title)


@lru_cache(maxsize=CACHE_SIZE)
def _lights_pie(title: str, green: int, amber: int, red: int, width: int) -> Markup:
    import pygal

    chart = pygal.Pie(
        **_config(
            [c for _, c in LIGHT_SERIES],
            width=width,
            height=320,
            inner_radius=0.45,
            formatter=lambda v: f"{v:g}" if v else "",
        ),
    )
    chart.title = title
    for (name, _colour), value in zip(LIGHT_SERIES, (green, amber, red), strict=True):
        chart.add(name, value)
    return _svg(chart, title)


@lru_cache(maxsize=CACHE_SIZE)
def _gauge(title: str, value: float, label: str, colour: str, width: int) -> Markup:
    import pygal

    chart = pygal.SolidGauge(
        **_config(
            [colour],
            width=width,
            height=240,
            half_pie=True,
            inner_radius=0.7,
            show_legend=True,
            formatter=lambda v: f"{v:g}%",
        ),
    )
    chart.title = title
    chart.add(label, [{"value": value, "max_value": 100}])
    return _svg(chart, title)
