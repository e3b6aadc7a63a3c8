"""The inbox through the API: a returned report reaches the unit's reporter, who marks it read; the
server's own scheduler fills it with the day's reminders."""

from __future__ import annotations

import time

from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from eduplan.config import Settings
from eduplan.db import make_session_factory
from eduplan.db.notifications import JobRun
from eduplan.samples.loop import World
from eduplan.services.clock import today
from eduplan.web.app import create_app

from .conftest import ClientFor, sign_in
from .test_api import assert_problem


def test_inbox(client_for: ClientFor, world: World) -> None:
    jichu, office = client_for("jichu", world.password), client_for("office", world.password)
    slot = f"/api/v1/items/{world.items['1']}/reports/{world.units['基础教育科']}/0"
    report = jichu.put(slot, json={"percent": 10}).json()
    sent = jichu.post(f"/api/v1/reports/{report['id']}/submit", json={"version": report["version"]}).json()
    review = {"version": sent["version"], "decision": "return", "note": "请补充开工数据"}
    assert office.post(f"/api/v1/reports/{report['id']}/review", json=review).status_code == 200
    notices = jichu.get("/api/v1/inbox", params={"unread": True}).json()
    assert [(n["kind"], n["item_id"]) for n in notices] == [("returned", world.items["1"])]
    assert "请补充开工数据" in notices[0]["title"]
    assert office.get("/api/v1/inbox").json() == []
    assert_problem(office.post(f"/api/v1/inbox/{notices[0]['id']}/read"), 404)  # not hers
    assert jichu.post(f"/api/v1/inbox/{notices[0]['id']}/read").json() == 1
    assert jichu.get("/api/v1/inbox", params={"unread": True}).json() == []
    assert jichu.post("/api/v1/inbox/read").json() == 0


def test_the_server_runs_the_days_reminders_by_itself(
    engine: Engine, settings: Settings, world: World
) -> None:
    """`eduplan serve` starts the scheduler: with nobody calling `eduplan remind`, the day's job runs."""
    with TestClient(create_app(settings, engine=engine, scheduler=True)) as served:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with make_session_factory(engine)() as s:
                if s.scalars(select(JobRun).where(JobRun.finished_at.is_not(None))).first():
                    break
            time.sleep(0.1)
        else:
            raise AssertionError("the scheduler did not run the reminder job")
        sign_in(served, "office", world.password)  # the 2024 plans' reports are all missing by now
        assert "digest" in {n["kind"] for n in served.get("/api/v1/inbox").json()}
    with make_session_factory(engine)() as s:
        assert [r.run_key for r in s.scalars(select(JobRun))] == [today(settings.timezone).isoformat()]
