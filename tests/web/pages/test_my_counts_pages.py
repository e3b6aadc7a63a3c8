"""我的任务's figures agree with its rows, and a missed period has its own 补报 link (issue 15):
"本期待报 6" beside one accepted and one submitted report, and "已逾期 0" beside "往期缺报 3 次",
contradicted the rows below them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from tests.web.pages.conftest import PagesFor

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.loop import ReportInput

ON = "2024-05-20"  # May (cycle index 4) is current; January–April were due and never filed


def test_the_counts_agree_with_the_rows_and_missed_periods_can_be_caught_up(
    world: World, sessions: SessionFactory, pages_for: PagesFor
) -> None:
    jichu = Principal(
        world.users["jichu"], "jichu", "reporter", world.org_id, "示例市", world.units["基础教育科"]
    )
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    unit = jichu.unit_id or 0
    first, second = world.items["1"], world.items["2"]
    for item in (first, second):
        made = loop.save_report(
            sessions, jichu, item, unit, 4, ReportInput("in_progress", 40), None, date(2024, 5, 20)
        )
        loop.submit_report(sessions, jichu, made.id, made.version, now=datetime(2024, 5, 20, tzinfo=UTC))
    report = next(r for r in tracking.list_reports(sessions, office, item_id=first) if r.cycle == 4)
    loop.review_report(sessions, office, report.id, "accept", report.version)

    page = pages_for("jichu", world.password)
    data = page.get(f"/my.json?on={ON}").json()
    slots, counts = data["slots"], data["counts"]
    waiting = [s for s in slots if s["state"] in ("missing", "draft", "returned")]
    assert counts["done"] == 2 and counts["to_report"] == len(waiting) == len(slots) - 2
    missed = sum(s["missed_before"] for s in slots)
    assert missed > 0 and counts["missed"] == missed and counts["overdue"] >= missed

    html = page.get(f"/my?on={ON}").text
    stat = re.search(r'<div class="stat">(\d+)</div>本期待报', html)
    assert stat and int(stat.group(1)) == len(waiting)
    assert f'<div class="stat">{counts["overdue"]}</div>已逾期' in html and f"含往期缺报 {missed} 次" in html
    links = re.findall(r'href="(/my/report\?on=[^"]+)">补报第(\d+)期', html)
    assert (f"/my/report?on=2024-01-01#slot-{first}-0", "1") in links
    # the link opens the form on that period, with the task's slot to fill
    january = page.get("/my/report?on=2024-01-01").text
    assert f'id="slot-{first}-0"' in january
