"""A month of reporting on the sample plan, filed through the loop's services, shared by the tests of
the ledger with progress, the bulletin and the exports pages.

As of 10 May 2024 (cycles 0–3, Jan–Apr, are due; cycle 3 is April, due 25 April):
- task 1 (发展规划科, 基础教育科; 6月底前): both report 70% for April on time; 基础教育科 reports
  3000 of the 3200 places and its report is accepted → 正常 (green).
- task 2 (学前教育科, 基础教育科; 年内): 25% each, 学前教育科 late (28 April) with `<script>` typed
  into its narrative → 滞后 (amber, 10.6 points behind 35.6%).
- task 9 (计划财务科; 6月底前): done → green, completed.
- task 7 (教育技术装备中心, 计划财务科): 计划财务科 reports 受阻 at 5% → 严重滞后 (red).
- every other task: nothing reported → red.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from tests.people import reporter

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.loop import ReportInput

TODAY = date(2024, 5, 10)
APRIL = 3
ON_TIME = datetime(2024, 4, 20, 2, tzinfo=UTC)
LATE = datetime(2024, 4, 28, 2, tzinfo=UTC)
NARRATIVE_1 = "新开工项目5个，新增学位3000个，秋季学期可投入使用。"
SCRIPT = "<script>alert(1)</script>普惠园认定推进中"


def office(world: World) -> Principal:
    return Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)


@dataclass
class Filed:
    target_1: int
    accepted_report: int


def file_april(sessions: SessionFactory, world: World) -> Filed:
    """File the April reports described above (and accept 基础教育科's on task 1)."""
    jichu, guihua = reporter(world, "jichu", "基础教育科"), reporter(world, "guihua", "发展规划科")
    xueqian, caiwu = reporter(world, "xueqian", "学前教育科"), reporter(world, "caiwu", "计划财务科")
    target = tracking.get_item(sessions, Principal.system(), world.items["1"]).targets[0].id

    def file(who: Principal, number: str, data: ReportInput, at: datetime) -> int:
        assert who.unit_id is not None
        made = loop.save_report(sessions, who, world.items[number], who.unit_id, APRIL, data, None, TODAY)
        return loop.submit_report(sessions, who, made.id, made.version, now=at).id

    first = file(jichu, "1", ReportInput("in_progress", 70, NARRATIVE_1, {target: 3000}), ON_TIME)
    file(guihua, "1", ReportInput("in_progress", 70, "完成项目开工审批。"), ON_TIME)
    file(xueqian, "2", ReportInput("in_progress", 25, SCRIPT), LATE)
    file(jichu, "2", ReportInput("in_progress", 25, "指导各区县开展认定。"), ON_TIME)
    file(caiwu, "9", ReportInput("done", 100, "已完成上年度项目绩效评价。"), ON_TIME)
    file(caiwu, "7", ReportInput("blocked", 5, "资金尚未下达。"), ON_TIME)
    report = tracking.get_report(sessions, office(world), first)
    loop.review_report(sessions, office(world), first, "accept", report.version)
    return Filed(target, first)
