"""No lost work (issue 15): a report typed into 集中填报 survives a session that expired meanwhile, or
a logout in another tab — kept on the server, put back after signing in again, and the page says so."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from tests.web.pages.conftest import PagesFor, page_login
from tests.web.pages.test_mine_pages import ON, post_report, rows_of

from eduplan.db.accounts import LoginSession
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import accounts
from eduplan.services.clock import utcnow
from eduplan.web.deps import SESSION_COOKIE

TYPED = "本月新开工项目2个，另有3个完成招标（登录过期前写下的说明）"


def _typed(world: World, html: str) -> dict[str, str]:
    one = rows_of(html)[str(world.items["1"])]
    return {f"{one}progress": "in_progress", f"{one}percent": "35", f"{one}narrative": TYPED}


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
