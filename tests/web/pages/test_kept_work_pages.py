"""No lost work (issue 15): a report typed into 集中填报 survives a session that expired meanwhile, or
a logout in another tab — kept on the server, put back after signing in again, and the page says so."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from tests.sample_files import pdf_bytes
from tests.web.pages.conftest import PagesFor, page_login
from tests.web.pages.test_mine_pages import ON, in_progress, post_report, report_form, rows_of

from eduplan.db.accounts import LoginSession
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import accounts
from eduplan.services.clock import utcnow
from eduplan.web.deps import SESSION_COOKIE

TYPED = "本月新开工项目2个，另有3个完成招标（登录过期前写下的说明）"


def _typed(world: World, html: str) -> dict[str, str]:
    one = rows_of(html)[str(world.items["1"])]
    return in_progress(one, "35", TYPED)


def test_a_report_typed_into_an_expired_session_is_kept_and_put_back(
    world: World, sessions: SessionFactory, pages_for: PagesFor
) -> None:
    jichu = pages_for("jichu", world.password)
    html = jichu.get(f"/my/report?on={ON}").text
    with sessions.begin() as s:  # the session runs out while the form is being filled in
        s.execute(update(LoginSession).values(expires_at=utcnow() - timedelta(minutes=1)))
    sent = post_report(jichu, html, _typed(world, html), action="submit")
    assert sent.status_code == 303 and sent.headers["location"].startswith("/login")
    login = jichu.get(sent.headers["location"]).text
    assert "已暂存" in login and "重新登录后会自动填回" in login
    page_login(jichu, "jichu", world.password)
    back = jichu.get("/my/report")
    assert back.status_code == 200 and TYPED in back.text and "已填回您登录过期前填写的内容" in back.text
    assert 'value="35"' in back.text
    assert jichu.get(f"/my.json?on={ON}").json()["counts"]["done"] == 0  # put back, not saved behind her
    assert TYPED not in jichu.get("/my/report").text  # handed back once


def test_a_logout_in_another_tab_keeps_the_form_for_that_browser_only(
    world: World, sessions: SessionFactory, pages_for: PagesFor
) -> None:
    jichu = pages_for("jichu", world.password)
    html = jichu.get(f"/my/report?on={ON}").text
    accounts.logout(sessions, jichu.cookies[SESSION_COOKIE])  # the other tab
    sent = post_report(jichu, html, _typed(world, html))
    assert sent.status_code == 303 and sent.headers["location"].startswith("/login")
    other = pages_for("guihua", world.password)  # another browser: nothing of hers
    assert TYPED not in other.get("/my/report").text
    page_login(jichu, "jichu", world.password)
    assert TYPED in jichu.get("/my/report").text


def test_one_bad_slot_does_not_block_the_others_nor_drop_its_files(world: World, pages_for: PagesFor) -> None:
    """Issue 15: one wrong percent threw away every row and every chosen file."""
    jichu, html, (bad, good) = report_form(pages_for, world, "1", "3")
    data = in_progress(bad, "四十", "附开工证明") | in_progress(good, "20", "已部署")
    files = [(f"{bad}files", ("开工证明.pdf", pdf_bytes(), "application/pdf"))]
    sent = post_report(jichu, html, data, files, action="submit")
    assert sent.status_code == 422
    assert "已报送 1 项；1 项未能保存" in sent.text and "转到第一处错误" in sent.text
    wrong = f'id="slot-{world.items["1"]}-4"'
    assert f'{wrong} tabindex="-1" autofocus' in sent.text  # the page opens on the first error
    assert "请填写数字" in sent.text and "已暂存的文件" in sent.text and "开工证明.pdf" in sent.text
    slots = {s["item_id"]: s for s in jichu.get(f"/my.json?on={ON}").json()["slots"]}
    assert slots[world.items["3"]]["state"] == "submitted" and slots[world.items["1"]]["report"] is None
    # corrected, without choosing the file again: the held file is attached
    again = in_progress(bad, "40", "附开工证明")
    fixed = post_report(jichu, sent.text, again, action="submit")
    assert fixed.status_code == 303, fixed.text
    report = jichu.get(f"/my.json?on={ON}").json()["slots"]
    one = next(s for s in report if s["item_id"] == world.items["1"])
    assert one["state"] == "submitted" and [e["filename"] for e in one["report"]["evidence"]] == [
        "开工证明.pdf"
    ]
