"""HTML pages from a bureau's website: the article text without the site around it."""

from __future__ import annotations

from pathlib import Path

from eduplan.readers import read_bytes, read_path
from eduplan.samples.plan_text import table_lines


def test_page_text_without_nav_scripts_or_footer(sample_dir: Path, expected_lines: list[str]) -> None:
    lines = read_path(sample_dir / "plan.html")
    assert lines[-len(expected_lines) :] == expected_lines
    text = "\n".join(lines)
    for junk in ("政务服务", "_hmt", "document.write", "备案号", "font-family", "门户网站"):
        assert junk not in text


def test_declared_gb2312_page_reads_the_same(sample_dir: Path) -> None:
    assert read_path(sample_dir / "plan-gb.html") == read_path(sample_dir / "plan.html")


def test_table_rows_are_tab_separated(sample_dir: Path) -> None:
    lines = read_path(sample_dir / "plan.html")
    assert [line for line in lines if "\t" in line] == table_lines()


def test_blocks_breaks_hidden_elements_and_source_wrapping() -> None:
    page = """<html><body><div class="TRS_Editor">
    <p>一、扩大优质教育
    资源供给</p><div>1.加快建设。<br>责任单位：基础教育科</div>
    <div style="display: none">分享到微信</div>
    <ul><li>2.推进普惠。</li><li>3.促进均衡。</li></ul>
    <p>Smart
    Campus 项目</p><!-- 注释 --></div></body></html>"""
    assert read_bytes(page.encode(), "page.html") == [
        "一、扩大优质教育资源供给",
        "1.加快建设。",
        "责任单位：基础教育科",
        "2.推进普惠。",
        "3.促进均衡。",
        "Smart Campus 项目",
    ]


def test_html_fragment_is_recognised_by_its_name() -> None:
    assert read_bytes("<p>一、总体要求</p><p>二、主要任务</p>".encode(), "a.htm") == [
        "一、总体要求",
        "二、主要任务",
    ]
