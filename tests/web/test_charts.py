"""The chart helpers others reuse: inline SVG with a Chinese accessible name, the lights' colours,
labels escaped, nothing that runs or loads from outside."""

from __future__ import annotations

import re

import pytest

from eduplan.web import charts

CHARTS = {
    "bar": lambda: charts.bar_chart("单位报送完成率", [("基础教育科", 80.0), ("<b>学前</b>教育科", 55.5)]),
    "lights": lambda: charts.lights_chart("各计划任务状态", [("示例市2024年教育工作要点", 5, 3, 3)]),
    "pie": lambda: charts.lights_pie("任务红黄绿灯", 10, 3, 2),
    "gauge": lambda: charts.gauge("任务完成率", 37.5, "已完成"),
}


@pytest.mark.parametrize("kind", list(CHARTS))
def test_a_chart_is_self_contained_svg(kind: str) -> None:
    svg = str(CHARTS[kind]())
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert re.match(r'<svg role="img" aria-label="[\u4e00-\u9fff]+"', svg)
    assert "<script" not in svg and "<!--" not in svg and "<?xml" not in svg
    assert not re.search(r'(?:href|src)="', svg)
    assert "WenQuanYi Micro Hei" in svg


def test_labels_are_escaped_and_values_shown() -> None:
    svg = str(CHARTS["bar"]())
    assert "<b>学前" not in svg and "&lt;b&gt;学前" in svg
    assert "80%" in svg and "55.5%" in svg


def test_the_lights_use_the_page_colours() -> None:
    svg = str(CHARTS["pie"]())
    for colour in ("#16733a", "#8a5c00", "#b42318"):  # app.css --green, --amber, --red
        assert colour in svg
    assert "正常" in svg and "滞后" in svg and "严重滞后" in svg
