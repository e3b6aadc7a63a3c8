"""Down every level and back up in real chromium, at desktop and phone width (issue 14):

1. the city's office hands a task of the annual plan to 甲区 and 乙区 from the task page;
2. 甲区's office names its 基础教育科 to lead its part, whose reporter signs it from 我的待办, and
   hands it on to its two schools, naming each school's unit;
3. 实验小学's 教务处 signs and asks for an extension, 甲区's office approves it;
4. 第二中学's 教导处 refuses it (不属于本单位职责, proposing 总务处), 甲区's office reassigns it (转办) and
   总务处 signs;
5. both schools report in 集中填报; 甲区's task page and the city's show the roll-up and the lights;
6. the city issues a 督办 to 甲区's 基础教育科, which signs and answers it from its 我的待办;
7. the schools ask to close their parts, 甲区's office accepts, 甲区's own part is closed by the city:
   甲区's task is 办结 (its schools with it), the city's is not while 乙区 has not done its part;
8. the evaluation page ranks districts' and schools' units each in their own group.

Both widths share one demo server, so each runs on its own city task (the schools' people are the same:
their rows are picked by the task's title).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from eduplan.db import make_engine, make_session_factory
from eduplan.db.plans import Plan
from eduplan.services.accounts import Principal
from eduplan.services.clock import today
from eduplan.services.tracking import list_items

from .conftest import VIEWPORTS, LiveServer, field, sign_in

TASKS = {"desktop": "5", "phone": "3"}
"""The number of the annual plan's task each width hands down (实施教师能力素质提升工程, 促进义务教育优质均衡发展)."""


def _task(server: LiveServer, number: str) -> tuple[int, int, str]:
    """(item id, plan id, title) of the annual plan's task `number`, read from the demo database."""
    engine = make_engine(f"sqlite:///{server.data_dir / 'eduplan.db'}")
    try:
        with engine.connect() as conn:
            annual = f"示例市教育局{today('Asia/Shanghai').year}年教育工作要点"  # the demo's, not an import's
            plan_id = (
                conn.execute(select(Plan.id).where(Plan.title == annual).order_by(Plan.id)).scalars().first()
            )
        assert plan_id is not None
        items = list_items(make_session_factory(engine), Principal.system(), plan_id)
    finally:
        engine.dispose()
    found = next(i for i in items if i.number == number and i.parent_id is None)
    return found.id, plan_id, found.title


def _flash(page: Any) -> str:
    return str(page.locator(".flash").inner_text())


def _post(page: Any, button: Any) -> None:
    with page.expect_navigation():
        button.click()


def _assign(page: Any, unit: str) -> None:
    """The task page's 调整分工: `unit` as the only lead unit."""
    units = page.locator("#units")
    units.locator("summary", has_text="调整分工").click()
    units.locator("select[name='a0-unit']").select_option(label=unit)
    units.locator("select[name='a0-role']").select_option("lead")
    _post(page, units.get_by_role("button", name="保存分工"))
    assert "责任单位已更新" in _flash(page)


def _from_todo(page: Any, server: LiveServer, kind: str, title: str) -> None:
    """Open the row of `kind` for the task `title` in 我的待办."""
    page.goto(server.url("/todo"))
    row = page.locator(f"tr.todo-{kind}", has_text=title).first
    _post(page, row.get_by_role("link", name="去办理"))


def _request(page: Any, text: str, decision: str) -> None:
    """Decide the pending request that says `text` on the task page."""
    found = page.locator("li[id^=request-]", has_text=text)
    _post(page, found.get_by_role("button", name=decision, exact=True))


def _close(unit_page: Any, office: Any, server: LiveServer, item_id: int, note: str) -> None:
    """The unit asks to close (申请办结) its part of `item_id` saying `note`; the office accepts (办结)."""
    unit_page.goto(server.url(f"/items/{item_id}"))
    unit_page.locator("#life summary", has_text="申请办结").click()
    field(unit_page, "办结说明").fill(note)
    _post(unit_page, unit_page.get_by_role("button", name="提交办结申请"))
    office.goto(server.url(f"/items/{item_id}"))
    _request(office, note, "办结")


def _report(page: Any, server: LiveServer, item_id: int, percent: str, narrative: str) -> None:
    page.goto(server.url("/my/report"))
    slot = page.locator(f"fieldset[id^='slot-{item_id}-']").first
    slot.locator("select[name$='-progress']").select_option("in_progress")
    slot.locator("input[name$='-percent']").fill(percent)
    slot.locator("textarea[name$='-narrative']").fill(narrative)
    _post(page, page.get_by_role("button", name="报送"))
    assert "已报送" in _flash(page)


def _hand_down(page: Any, server: LiveServer, item_id: int, names: tuple[str, ...]) -> None:
    """下发 the task `item_id` from its page to the organisations `names`."""
    page.goto(server.url(f"/items/{item_id}"))
    handdown = page.locator("#handdown")
    for name in names:
        handdown.get_by_label(name, exact=True).check()
    _post(page, handdown.get_by_role("button", name="下发", exact=True))
    assert f"已下发至{'、'.join(names)}" in _flash(page)


def _child(page: Any, name: str) -> int:
    """The id of the task handed down to `name`, from the roll-up table."""
    href = (
        page.locator("#handdown tbody tr", has_text=name).get_by_role("link", name=name).get_attribute("href")
    )
    return int(str(href).rstrip("/").split("/")[-1])


def test_down_to_the_schools_and_back_up(page: Any, live_server: LiveServer, shot: Any, browser: Any) -> None:
    width = "desktop" if page.viewport_size["width"] > 800 else "phone"
    task, plan_id, title = _task(live_server, TASKS[width])
    contexts: list[Any] = []

    def person(username: str) -> Any:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **VIEWPORTS[width])
        context.set_default_timeout(15_000)
        contexts.append(context)
        other = context.new_page()
        sign_in(other, live_server, username)
        return other

    try:
        # 1. the city hands the task to two districts
        city = page
        sign_in(city, live_server, "office")
        _hand_down(city, live_server, task, ("甲区", "乙区"))
        district_item = _child(city, "甲区")
        shot(city, "01-city-handed-down")

        # 2. 甲区's office: its 基础教育科 leads; the unit signs; the task goes on to two schools
        jia = person("jiaban")
        jia.goto(live_server.url(f"/items/{district_item}"))
        _assign(jia, "基础教育科")
        jiaqu = person("jiaqu")
        _from_todo(jiaqu, live_server, "sign", title)
        _post(jiaqu, jiaqu.get_by_role("button", name="签收", exact=True))
        assert "已签收" in _flash(jiaqu)
        _hand_down(jia, live_server, district_item, ("甲区实验小学", "甲区第二中学"))
        primary, middle = _child(jia, "甲区实验小学"), _child(jia, "甲区第二中学")
        for school_item, unit in ((primary, "教务处"), (middle, "教导处")):
            jia.goto(live_server.url(f"/items/{school_item}"))
            _assign(jia, unit)
        jia.goto(live_server.url(f"/items/{district_item}"))
        shot(jia, "02-district-handed-on")

        # 3. 实验小学 signs and asks for more time; 甲区 approves
        reason = f"教室改造工期延长（{width}）"
        primary_unit = person("syjw")
        _from_todo(primary_unit, live_server, "sign", title)
        _post(primary_unit, primary_unit.get_by_role("button", name="签收", exact=True))
        primary_unit.locator("#life summary", has_text="申请延期").click()
        field(primary_unit, "延期至").fill("下月底")
        field(primary_unit, "延期理由").fill(reason)
        _post(primary_unit, primary_unit.get_by_role("button", name="提交延期申请"))
        assert "延期申请已提交" in _flash(primary_unit)
        _from_todo(jia, live_server, "decide_extend", title)
        _request(jia, reason, "同意延期")
        assert "已同意延期" in _flash(jia)
        shot(jia, "03-extension-approved")

        # 4. 第二中学's 教导处 refuses it (转办 to 总务处); 甲区 reassigns; 总务处 signs
        refusal = f"校舍维修属总务处职责（{width}）"
        middle_unit = person("ezjd")
        _from_todo(middle_unit, live_server, "sign", title)
        middle_unit.locator("#life summary", has_text="退回").click()
        field(middle_unit, "退回理由").fill(refusal)
        middle_unit.locator("select[name='proposed_unit']").select_option(label="总务处")
        shot(middle_unit, "04-refusal-form")
        _post(middle_unit, middle_unit.get_by_role("button", name="退回", exact=True))
        jia.goto(live_server.url(f"/items/{middle}"))
        _request(jia, refusal, "转办")
        assert "已转办" in _flash(jia)
        general = person("ezzw")
        _from_todo(general, live_server, "sign", title)
        _post(general, general.get_by_role("button", name="签收", exact=True))
        assert "已签收" in _flash(general)

        # 5. the schools report; the roll-up shows on 甲区's task and on the city's
        _report(primary_unit, live_server, primary, "80", f"已完成培训四期（{width}）")
        _report(general, live_server, middle, "20", f"维修招标中（{width}）")
        jia.goto(live_server.url(f"/items/{district_item}"))
        rollup = jia.locator("#handdown")
        assert "下发至 2 个学校" in rollup.inner_text()
        assert "第 " in rollup.locator("tr", has_text="甲区实验小学").inner_text()
        rollup.scroll_into_view_if_needed()
        shot(jia, "05-district-rollup")
        city.goto(live_server.url(f"/items/{task}"))
        rows = city.locator("#handdown tbody tr")
        assert rows.count() == 2
        assert "已继续下发" in city.locator("#handdown tr", has_text="甲区").inner_text()
        shot(city, "06-city-rollup")

        # 6. the city's 督办 to 甲区's 基础教育科, signed and answered from its to-do list
        note = f"请加快推进并报告进展（{width}）"
        city.goto(live_server.url(f"/items/{district_item}"))
        urges = city.locator("#urges")
        urges.locator("summary", has_text="督办").click()
        urges.locator("#f-urge-level").select_option("red")
        urges.locator("#f-urge-due_on").fill("下周五")
        urges.locator("#f-urge-note").fill(note)
        _post(city, urges.get_by_role("button", name="发出"))
        _from_todo(jiaqu, live_server, "urge_sign", title)
        mine = jiaqu.locator("ul.urges li", has_text=note).first
        _post(jiaqu, mine.get_by_role("button", name="签收督办"))
        jiaqu.locator("ul.urges li", has_text=note).first.locator("textarea").fill("已约谈两校，月底前完成")
        _post(jiaqu, jiaqu.locator("ul.urges li", has_text=note).first.get_by_role("button", name="提交答复"))
        jiaqu.locator("#urges").scroll_into_view_if_needed()
        shot(jiaqu, "07-urge-answered")

        # 7. 办结 up the chain
        for unit_page, item_id, school in (
            (primary_unit, primary, "实验小学"),
            (general, middle, "第二中学"),
        ):
            _close(unit_page, jia, live_server, item_id, f"{school}已完成（{width}）")
            assert "已办结" in _flash(jia)
        _close(jiaqu, city, live_server, district_item, f"两校均已办结（{width}）")
        assert "已办结" in city.locator("#life h2").inner_text()
        shot(city, "08-district-closed")
        city.goto(live_server.url(f"/items/{task}"))
        assert "已办结" not in city.locator("#life h2").inner_text()  # 乙区 has not done its part

        # 8. the ranking: districts' and schools' units each among their own
        city.goto(live_server.url(f"/evaluation?plan={plan_id}"))
        groups = [t.strip() for t in city.locator("tr.tier th").all_inner_texts()]
        assert groups.index("县区（同级排名）") < groups.index("学校（同级排名）")
        ranked = city.locator("tr[data-tier='学校']").all_inner_texts()
        assert any("甲区实验小学教务处" in r for r in ranked)  # a school's unit named with its school
        assert any("甲区基础教育科" in r for r in city.locator("tr[data-tier='县区']").all_inner_texts())
        city.locator("tr.tier", has_text="学校").scroll_into_view_if_needed()
        shot(city, "09-ranking")
    finally:
        for context in contexts:
            context.close()
