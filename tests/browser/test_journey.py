"""The whole loop in real chromium, at desktop and phone width, as the people who do it would:

1. the administrator uploads a Word plan (built here, fictional, not in the demo registry), corrects
   one target in the import preview and confirms; the plan page shows the corrected value;
2. opens reporting (开启报送) and, in 分工总览, assigns the task whose units were only "局相关科室"
   (待明确) to a unit;
3. office staff see that task 严重滞后 on the plan page;
4. the unit's reporter signs in (keyboard only), reports the task done with an evidence file in 集中填报;
5. office staff see its light turn 正常, issue a 督办 on another, still red, task, and find it on the
   督办 board;
6. they download the 台账 (xlsx) and the 进展通报 (docx) and the test opens both again with openpyxl /
   python-docx: the plan title, the corrected target, the report and the red list are in them.

Both widths share one demo server, so each imports its own plan and uses another reporter; the titles
are unlike the demo's 教育工作要点 of the same year, which a similar title would replace as its next
version; the server is a fresh temporary registry for every test session, so runs do not interfere.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eduplan.services.clock import today

from .conftest import VIEWPORTS, LiveServer, field, sign_in

YEAR = today("Asia/Shanghai").year
FOOTBALL = "推进校园足球特色学校建设"
TEACHERS = "加强体育教师队伍建设"


@dataclass(frozen=True)
class Journey:
    """What differs between the two widths' runs of the journey."""

    title: str
    reporter: str
    unit: str
    corrected: str  # the target value typed in the preview (the document says 30)


JOURNEYS = {
    "desktop": Journey(f"示例市{YEAR}年校园足球和体育师资工作要点", "xueqian", "学前教育科", "36"),
    "phone": Journey(f"示例市{YEAR}年学生体质健康促进工作要点", "jiaoyan", "市教育科学研究院", "35"),
}


def plan_docx(path: Path, title: str) -> Path:
    """A small fictional 工作要点: three tasks, one of them for "局相关科室" (to be specified)."""
    from docx import Document

    doc = Document()
    for line in (
        title,
        "为加强学校体育工作，促进学生身心健康，制定本要点。",
        "一、提升学生体质健康水平",
        f"1.{FOOTBALL}。全年新创建校园足球特色学校30所，12月底前完成评估认定。",
        "责任单位：局相关科室",
        f"2.{TEACHERS}。全年补充体育教师120名，开展体育教师全员培训。",
        "责任单位：教师工作科",
        "二、完善学校体育保障",
        "3.改善学校体育场地设施。新建改建学校运动场40个。",
        "责任单位：发展规划科",
    ):
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


def evidence_png() -> bytes:
    """A small real PNG (a photo of the certificate, say)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def nav_to(page: Any, label: str) -> None:
    """Follow a main-menu link; at phone width the menu (菜单) is folded and opened first."""
    menu = page.locator(".nav-toggle > summary")
    if menu.is_visible() and page.locator(".nav-toggle[open]").count() == 0:
        menu.click()
    with page.expect_navigation():
        page.get_by_role("navigation", name="主导航").get_by_role("link", name=label, exact=True).click()


def task_card(page: Any, title: str) -> Any:
    """The task's card on a plan page or in the import preview."""
    return page.locator("article.task", has=page.get_by_role("heading", name=re.compile(re.escape(title))))


def light_of(page: Any, title: str) -> str:
    return str(task_card(page, title).locator(".light").inner_text()).strip()


def test_import_assign_report_supervise_export(
    page: Any, live_server: LiveServer, shot: Any, browser: Any, tmp_path: Path
) -> None:
    width = "desktop" if page.viewport_size["width"] > 800 else "phone"
    j = JOURNEYS[width]
    document = plan_docx(tmp_path / f"{j.title}.docx", j.title)

    # 1. The administrator imports the plan and corrects one target in the preview.
    sign_in(page, live_server, "admin")
    nav_to(page, "规划")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("导入")).first.click()
    assert page.get_by_role("heading", name="导入规划文件").is_visible()
    field(page, "规划或工作要点文件").set_input_files(str(document))
    shot(page, "01-import")
    with page.expect_navigation():
        page.get_by_role("button", name="上传并解析").click()
    page.get_by_role("heading", name=f"导入预览：{j.title}").wait_for()
    football = task_card(page, FOOTBALL)
    assert "30所" in football.locator(".target-tag").inner_text()
    football.get_by_text("校正此条").click()
    value = football.get_by_label("目标值").first  # the parsed target, not the one to add
    assert value.input_value() in ("30", "30.0")
    value.fill(j.corrected)
    shot(page, "02-preview-correcting")
    with page.expect_navigation():
        football.get_by_role("button", name="保存校正").click()
    assert "已保存第 1 项的校正" in page.locator(".flash").inner_text()
    football = task_card(page, FOOTBALL)
    assert "已校正" in football.inner_text()
    assert f"{j.corrected}所" in football.locator(".target-tag").inner_text()
    org = page.locator("form.confirm-box")
    org.get_by_label("所属机构").fill("示例市")  # the title names the city but not the bureau
    with page.expect_navigation():
        org.get_by_role("button", name="确认导入").click()
    assert page.locator(".flash").count() == 1, page.locator("main .error").all_inner_texts()
    assert f"已导入：《{j.title}》第 1 版，共 3 项任务" in page.locator(".flash").inner_text()
    assert page.get_by_role("heading", name=j.title, exact=True).is_visible()
    plan_url = page.url.split("?")[0].split("#")[0]
    target = task_card(page, FOOTBALL).locator(".target-tag")
    assert f"{j.corrected}所" in target.inner_text()
    shot(page, "03-plan-imported")

    # 2. Opens reporting, then assigns the 待明确 task to the reporter's unit.
    with page.expect_navigation():
        page.get_by_role("link", name="开启报送").click()
    assert page.get_by_role("heading", name="开启报送").is_visible()
    field(page, "报送周期").select_option(label="每月")
    field(page, "报送日").fill("25")
    shot(page, "04-schedule")
    with page.expect_navigation():
        page.get_by_role("button", name="开启报送").click()
    assert "已开启报送" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="分工总览").click()
    assert page.get_by_role("heading", name="分工总览").is_visible()
    row = page.locator("tr", has=page.get_by_role("link", name=FOOTBALL))
    assert "待明确：局相关科室" in row.inner_text()
    row.get_by_role("link", name="指定单位").click()
    form = page.get_by_role("form", name=re.compile("第 1 项的责任单位"))
    form.get_by_label(j.unit, exact=True).select_option(label="牵头")
    form.get_by_label("仍待明确的文字").fill("")
    shot(page, "05-assigning")
    with page.expect_navigation():
        form.get_by_role("button", name="保存分工").click()
    row = page.locator("tr", has=page.get_by_role("link", name=FOOTBALL))
    assert f"牵头 {j.unit}" in row.inner_text() and "待明确" not in row.inner_text()
    shot(page, "06-assigned")
    item_href = row.get_by_role("link", name=FOOTBALL).get_attribute("href")
    assert item_href is not None and item_href.startswith("/items/")

    office = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **VIEWPORTS[width])
    reporter = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **VIEWPORTS[width])
    try:
        # 3. Office staff see the task behind schedule before any report.
        desk = office.new_page()
        sign_in(desk, live_server, "office")
        desk.goto(plan_url)
        assert light_of(desk, FOOTBALL) == "严重滞后"
        shot(desk, "07-office-before")

        # 4. The reporter signs in with the keyboard and reports the task done with evidence.
        me = reporter.new_page()
        me.goto(live_server.url("/login"))
        field(me, "用户名").focus()
        me.keyboard.type(j.reporter)
        me.keyboard.press("Tab")
        me.keyboard.type(live_server.accounts[j.reporter])
        with me.expect_navigation():
            me.keyboard.press("Enter")
        nav_to(me, "我的任务")
        assert me.get_by_role("link", name=re.compile(FOOTBALL)).first.is_visible()
        shot(me, "08-my-tasks")
        me.get_by_role("link", name=re.compile("集中填报")).click()
        slot = me.locator("fieldset.slot", has=me.get_by_role("link", name=re.compile(FOOTBALL))).first
        slot.get_by_label("状态").select_option(label="已完成")
        slot.get_by_label("完成百分比（%）").fill("100")
        slot.get_by_label(re.compile(rf"目标 {j.corrected}所）实际值")).fill(j.corrected)
        narrative = f"已新创建校园足球特色学校{j.corrected}所，完成评估认定（{width}）"
        slot.get_by_label("进展情况").fill(narrative)
        slot.get_by_label(re.compile("佐证材料")).set_input_files(
            {"name": "认定文件.png", "mimeType": "image/png", "buffer": evidence_png()}
        )
        slot.scroll_into_view_if_needed()
        shot(me, "09-report-form")
        with me.expect_navigation():
            me.get_by_role("button", name="报送", exact=True).click()
        assert "已报送" in me.locator(".flash").inner_text()
        me.goto(live_server.url(item_href))
        mine = me.locator("li.report", has_text=narrative)
        assert "已报送" in mine.inner_text()
        assert mine.get_by_role("link", name="认定文件.png").is_visible()
        shot(me, "10-reporter-sees-report")

        # 5. Office staff see the light change and issue a 督办 on the task still behind.
        desk.reload()
        assert light_of(desk, FOOTBALL) == "正常"
        assert light_of(desk, TEACHERS) == "严重滞后"
        shot(desk, "11-office-after")
        with desk.expect_navigation():
            task_card(desk, TEACHERS).get_by_role("link", name=TEACHERS).click()
        assert desk.get_by_role("heading", name=re.compile(TEACHERS)).is_visible()
        urges = desk.locator("#urges")
        urges.get_by_text("发出催办 / 督办").click()
        urges.get_by_label("级别").select_option(label="督办")
        urges.get_by_label("对象").select_option(label="教师工作科")
        field(desk, "答复期限").fill(f"{YEAR}-12-20")
        note = f"体育教师补充进度严重滞后，请说明原因并提出措施（{width}）"
        field(desk, "督办事项").fill(note)
        shot(desk, "12-issuing-urge")
        with desk.expect_navigation():
            urges.get_by_role("button", name="发出").click()
        issued = desk.locator("#urges li", has_text=note)
        assert "督办" in issued.inner_text() and "教师工作科" in issued.inner_text()
        nav_to(desk, "督办")
        assert desk.get_by_role("heading", name="督办台账").is_visible()
        on_board = desk.locator("tr", has_text=note)
        assert on_board.locator(".tag", has_text="督办").is_visible()
        assert TEACHERS in on_board.inner_text() and j.title in on_board.inner_text()
        shot(desk, "13-board")

        # 6. The 台账 and the 进展通报, downloaded and opened again.
        desk.goto(plan_url)
        with desk.expect_navigation():
            desk.get_by_role("link", name="导出台账与通报").click()
        assert desk.get_by_role("heading", name=f"导出：{j.title}").is_visible()
        shot(desk, "14-exports")
        with desk.expect_download() as got:
            desk.get_by_role("link", name="下载工作台账（xlsx）").click()
        ledger = got.value
        assert ledger.suggested_filename.endswith(".xlsx")
        ledger.save_as(tmp_path / ledger.suggested_filename)
        check_ledger(tmp_path / ledger.suggested_filename, j, narrative)
        with desk.expect_download() as got:
            desk.get_by_role("link", name="下载进展通报（docx）").click()
        bulletin = got.value
        assert bulletin.suggested_filename.endswith(".docx")
        bulletin.save_as(tmp_path / bulletin.suggested_filename)
        check_bulletin(tmp_path / bulletin.suggested_filename, j)
    finally:
        reporter.close()
        office.close()


def check_ledger(path: Path, j: Journey, narrative: str) -> None:
    """The 台账: the plan's title, each task with its light, unit, the corrected target's progress
    and the unit's report; the task under 督办 says so."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    rows = [
        ["" if v is None else str(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)
    ]
    book.close()
    assert j.title in rows[0][0]
    header = rows[1]
    tasks = {r[header.index("任务")]: dict(zip(header, r, strict=False)) for r in rows[2:] if any(r)}
    football, teachers = tasks[f"1. {FOOTBALL}"], tasks[f"2. {TEACHERS}"]
    assert "3. 改善学校体育场地设施" in tasks
    assert football["责任单位"] == f"牵头：{j.unit}"
    assert football["灯号"] == "正常" and teachers["灯号"] == "严重滞后"
    assert f"已完成 {j.corrected}所（100.0%）" in football["目标完成情况"]
    assert narrative in football["进展情况"]
    assert "督办中" in teachers["备注"]


def check_bulletin(path: Path, j: Journey) -> None:
    """The 进展通报: the plan's title and its red list (严重滞后), which names the task still behind
    and its 督办, and not the task reported done."""
    from docx import Document

    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"《{j.title}》" in text
    assert "正常1项、滞后0项、严重滞后2项" in text
    red = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["序号", "任务"])
    listed = {r.cells[1].text: r.cells[-1].text for r in red.rows[1:]}
    assert "督办中" in listed[f"2. {TEACHERS}"]
    assert f"1. {FOOTBALL}" not in listed
