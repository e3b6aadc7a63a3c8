"""Closing a year (年度归档, services/archive.py) through the API and the plan page: office staff
archive 2024, after which every write to those plans' work is refused with a Chinese reason (409)
and nothing is written, while the plan, search, comparison and the 台账/通报 downloads still work;
other roles may not archive, an administrator may reopen, and the reminder job leaves it alone."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.export.progress_scenario import file_april
from tests.web.conftest import ClientFor
from tests.web.pages.conftest import csrf_of, page_login

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.reports import ProgressReport
from eduplan.samples.loop import World
from eduplan.services.notify.reminders import run_reminders

PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"
ON = "on=2024-05-10"


def _reports(sessions: SessionFactory) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(ProgressReport)) or 0


def test_an_archived_year_is_read_only_but_still_read_and_exported(
    client_for: ClientFor, client: TestClient, world: World, sessions: SessionFactory
) -> None:
    file_april(sessions, world)
    office, jichu = client_for("office", world.password), client_for("jichu", world.password)
    unit, item = world.units["基础教育科"], world.items["3"]
    draft = jichu.put(f"/api/v1/items/{item}/reports/{unit}/4", json={"percent": 10}).json()

    assert jichu.post(f"/api/v1/plans/{world.plan_id}/archive-year").status_code == 403
    done = office.post(f"/api/v1/plans/{world.plan_id}/archive-year")
    assert done.status_code == 201, done.text
    assert (done.json()["year"], done.json()["plans"], done.json()["org_name"]) == (2024, 2, "示例市")
    again = office.post("/api/v1/archives", json={"org_id": world.org_id, "year": 2024})
    assert again.status_code == 409 and "已经归档" in again.json()["detail"]
    assert office.post("/api/v1/archives", json={"org_id": world.org_id, "year": 2019}).status_code == 422
    assert [a["year"] for a in jichu.get("/api/v1/archives").json()] == [2024]

    schedule = office.get(f"/api/v1/plans/{world.plan_id}/schedule").json()
    before = _reports(sessions)
    refused = [
        jichu.put(f"/api/v1/items/{item}/reports/{unit}/5", json={"percent": 20}),
        jichu.post(
            f"/api/v1/reports/{draft['id']}/evidence", files={"file": ("证明.pdf", PDF, "application/pdf")}
        ),
        jichu.post(f"/api/v1/reports/{draft['id']}/submit", json={"version": draft["version"]}),
        office.post(f"/api/v1/items/{item}/urges", json={"note": "请尽快报送", "due_on": "2024-06-30"}),
        office.post(f"/api/v1/items/{item}/comments", json={"body": "请补充佐证"}),
        office.put(
            f"/api/v1/plans/{world.plan_id}/schedule",
            json={"cycle": "monthly", "due_day": 20, "version": schedule["version"]},
        ),
        office.post(
            f"/api/v1/items/{world.district_items['1']}/comments", json={"body": "同一年度的另一计划"}
        ),
    ]
    for answer in refused:
        assert answer.status_code == 409, (answer.request.url, answer.text)
        assert "2024 年度已归档，只能查阅和导出，不能再修改" in answer.json()["detail"]
    assert _reports(sessions) == before
    assert jichu.get(f"/api/v1/reports/{draft['id']}").json()["evidence"] == []

    # still searchable, comparable and exported, as before
    assert office.get(f"/api/v1/plans/{world.plan_id}").status_code == 200
    assert office.get("/api/v1/search", params={"q": "学前"}).json()["total"] >= 1
    assert office.get("/api/v1/compare/matrix").status_code == 200
    assert office.get(f"/api/v1/plans/{world.plan_id}/status").status_code == 200
    for url in (
        f"/plans/{world.plan_id}/ledger.xlsx?{ON}",
        f"/plans/{world.plan_id}/bulletin.docx?cycle=3&{ON}",
    ):
        got = office.get(url)
        assert got.status_code == 200 and got.content[:2] == b"PK", url

    # an administrator reopens the year: writing works again
    assert office.delete(f"/api/v1/archives/{world.org_id}/2024").status_code == 403
    assert client.delete(f"/api/v1/archives/{world.org_id}/2024").status_code == 204
    assert jichu.put(f"/api/v1/items/{item}/reports/{unit}/5", json={"percent": 20}).status_code == 200


def test_the_plan_page_archives_the_year_and_says_so(app: object, world: World) -> None:
    with TestClient(app, follow_redirects=False) as office, TestClient(app, follow_redirects=False) as viewer:  # type: ignore[arg-type]
        page_login(office, "office", world.password)
        page_login(viewer, "viewer", world.password)
        assert "归档本年度" not in viewer.get(f"/plans/{world.plan_id}").text
        page = office.get(f"/plans/{world.plan_id}").text
        assert f'action="/plans/{world.plan_id}/archive-year"' in page and "归档本年度" in page
        sent = office.post(f"/plans/{world.plan_id}/archive-year", data={"csrf_token": csrf_of(page)})
        assert sent.status_code == 303 and sent.headers["location"] == f"/plans/{world.plan_id}"
        shown = office.get(f"/plans/{world.plan_id}").text
        assert "2024年度已于" in shown and "归档（只读）" in shown and "归档本年度" not in shown
        assert office.get(f"/plans/{world.plan_id}.json").json()["archived"].startswith("2024年度已于")
        twice = office.post(f"/plans/{world.plan_id}/archive-year", data={"csrf_token": csrf_of(page)})
        assert twice.status_code == 303  # said on the plan page, nothing else happens


def test_the_reminder_job_leaves_an_archived_year_alone(
    client_for: ClientFor, world: World, sessions: SessionFactory, settings: Settings
) -> None:
    office = client_for("office", world.password)
    assert (
        office.post(
            f"/api/v1/items/{world.items['3']}/urges", json={"note": "请报送", "due_on": "2024-06-01"}
        ).status_code
        == 201
    )
    assert office.post(f"/api/v1/plans/{world.plan_id}/archive-year").status_code == 201
    result = run_reminders(sessions, settings, date(2024, 7, 1))
    assert result.claimed and result.notices == 0 and result.escalated == []  # the urge stays yellow
    assert office.get(f"/api/v1/urges?item_id={world.items['3']}").json()[0]["level"] == "yellow"
