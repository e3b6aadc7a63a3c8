"""领导批示 on 任务详情 (issue 14): the leader writes one from the task page and it stands at the top
of the task (name, date, text, 办理期限); the unit's reporter finds it in its inbox and 我的待办 with a
link, marks it 已阅/办理 from the page, and it leaves the list; a refused form keeps what was typed;
the page's ``.json`` carries it; roles without the right see no form."""

from __future__ import annotations

import re

from tests.services.test_instructions import handed_down_with_reporters
from tests.web.pages.conftest import PagesFor, follow, post_form

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World


def test_leader_writes_unit_reads_it_in_todo_and_acknowledges(pages_for: PagesFor, world: World) -> None:
    leader, caiwu = pages_for("leader", world.password), pages_for("caiwu", world.password)
    item = world.items["9"]
    url = f"/items/{item}"
    page = leader.get(url).text
    assert f'action="/items/{item}/instructions"' in page
    assert f'action="/items/{item}/instructions"' not in caiwu.get(url).text  # units do not write one
    assert f'action="/items/{item}/instructions"' not in pages_for("viewer", world.password).get(url).text
    empty = post_form(leader, f"{url}/instructions", {"body": " ", "deadline": "下周五"}, page=url)
    assert empty.status_code == 422 and "请填写批示内容" in empty.text and 'value="下周五"' in empty.text
    sent = post_form(
        leader,
        f"{url}/instructions",
        {"body": "经费拨付要加快，按月报进度。", "deadline": "12月15日前"},
        page=url,
    )
    assert sent.headers["location"].startswith(f"{url}#instruction-")
    page = follow(leader, sent)
    assert "批示已发出" in page
    top = page.index('id="instructions"')
    assert top < page.index('id="text"')  # above the task's own text
    block = page[top : page.index('id="text"')]
    assert "经费拨付要加快，按月报进度。" in block and "<strong>leader</strong>" in block
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 批示", block)  # the day, in Chinese
    assert re.search(r"办理期限 \d{4}年12月15日（12月15日前）", block)
    assert "待阅：计划财务科" in block

    [notice] = [n for n in caiwu.get("/api/v1/inbox").json() if n["kind"] == "instruction"]
    assert notice["item_id"] == item and "经费拨付要加快" in notice["title"]
    todo = caiwu.get("/todo").text
    assert "领导批示待阅" in todo and "经费拨付要加快" in todo
    link = re.search(rf'href="(/items/{item}#instruction-(\d+))"', todo)
    assert link, "no link to the instruction"
    instruction = link.group(2)

    page = caiwu.get(url).text
    ack = f"{url}/instructions/{instruction}/ack"
    assert f'action="{ack}"' in page
    done = follow(caiwu, post_form(caiwu, ack, {"note": "已拨付八成"}, page=url))
    assert "已阅批示" in done and "计划财务科 caiwu" in done and "已拨付八成" in done
    assert f'action="{ack}"' not in done and "待阅：" not in done
    again = post_form(caiwu, ack, {"note": ""}, page=url)
    assert again.status_code == 409 and "无需再次签阅" in again.text
    assert "领导批示待阅" not in caiwu.get("/todo").text

    data = leader.get(f"{url}.json").json()["instructions"]
    assert [(n["body"], n["deadline"][5:], n["deadline_text"]) for n in data] == [
        ("经费拨付要加快，按月报进度。", "12-15", "12月15日前")
    ]
    assert [(a["unit_name"], a["acked_by"], a["note"]) for a in data[0]["acks"]] == [
        ("计划财务科", "caiwu", "已拨付八成")
    ]
    audit = leader.get(url).text
    assert "作出批示" in audit and "已阅批示" in audit


def test_a_city_instruction_shows_on_the_district_and_school_pages_as_from_above(
    pages_for: PagesFor, world: World, sessions: SessionFactory, settings: Settings
) -> None:
    """The leader's 批示 on the city's task stands on the district's and the school's task pages as
    上级批示 with the leader's name and 示例市 (no form to write one there); their reporters find it
    in 我的待办 linking to their own task and mark it 已阅 there."""
    down = handed_down_with_reporters(world, sessions, settings)
    leader = pages_for("leader", world.password)
    city = f"/items/{down.task}"
    follow(
        leader, post_form(leader, f"{city}/instructions", {"body": "请各县区督促学校按期完成。"}, page=city)
    )
    assert "上级批示" not in leader.get(city).text  # on its own task it is the task's 批示
    for login, item in (("lin", down.district), ("wang", down.school)):
        reader = pages_for(login, world.password)
        url = f"/items/{item}"
        page = reader.get(url).text
        block = page[page.index('id="instructions"') : page.index('id="text"')]
        assert "上级批示" in block and "示例市" in block and "<strong>leader</strong>" in block
        assert "请各县区督促学校按期完成。" in block and f'action="{url}/instructions"' not in block
        todo = reader.get("/todo").text
        link = re.search(rf'href="{url}#instruction-(\d+)"', todo)
        assert link and "领导批示待阅" in todo
        ack = f"{url}/instructions/{link.group(1)}/ack"
        done = follow(reader, post_form(reader, ack, {"note": "已转各校"}, page=url))
        assert "已阅批示" in done and "已转各校" in done and f'action="{ack}"' not in done
        assert "领导批示待阅" not in reader.get("/todo").text
    city_page = leader.get(city).text  # the city sees who below has read it, with their organisation
    assert "甲区 基础教育科" in city_page and "实验小学 教务处" in city_page and "已转各校" in city_page
    # an instruction is acknowledged only under a task it reaches
    lin = pages_for("lin", world.password)
    stray = post_form(
        lin, f"/items/{down.district}/instructions/999999/ack", {"note": ""}, page=f"/items/{down.district}"
    )
    assert stray.status_code == 404
