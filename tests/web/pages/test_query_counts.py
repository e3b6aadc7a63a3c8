"""Pages read once (issue 18): the number of SQL statements each main page and API list issues, at
the demo's size, pinned in `query_counts.json` (netbox's `tests/query_counts.json`).  A page that
reads more than its pinned count fails; none may read more than `CEILING`.  After making a page read
less, lower its number in the file (the failure message prints the new counts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.statements import counting
from tests.web.pages.conftest import page_login

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.demo_world import DemoWorld, build_demo_world
from eduplan.samples.loop import SAMPLE_PASSWORD
from eduplan.services.clock import today as clock_today

PINNED = Path(__file__).with_name("query_counts.json")
CEILING = 25
ABOVE_CEILING = {
    # The task page computes its light from the plan's facts (~10 statements) beside its own record;
    # the exports page builds the bulletin and the 台账 rows from them.  Both read in one session.
    # Issue 14: every HTML page +1 (the 我的待办 badge, one statement); the task page +2 (its life:
    # the units' parts and the requests), a reporter's +1 more (the units a refusal may propose).
    # The people named on it (姓名, not logins): +1.  Office staff's page lists the organisations below
    # for its 下发 form (+1; a task already handed down reads its children's reports, urges and
    # rectifications: one statement per kind).  领导批示 at the top of the task: +1 (the instructions
    # with their units' acknowledgements, one joined statement).
    "office /items/{item}": 42,
    "office /items/{item}.json": 41,
    "reporter /items/{item}": 40,
    "office /plans/{plan}/exports": 33,
}


PAGES = {
    "office": [
        "/",
        "/plans",
        "/plans/{plan}",
        "/items/{item}",
        "/supervision",
        "/rectifications",
        "/evaluation",
        "/plans/{plan}/exports",
        "/plans/{plan}/schedule",
        "/plans/{plan}/assignments",
        "/my",
        "/admin",
        "/plans/{plan}.json",
        "/items/{item}.json",
        "/api/v1/plans",
        "/api/v1/plans/{plan}/status",
        "/api/v1/items?plan_id={plan}",
        "/api/v1/inbox",
    ],
    "reporter": ["/", "/my", "/my/report", "/items/{item}", "/supervision", "/rectifications"],
}


@pytest.fixture
def demo(sessions: SessionFactory, settings: Settings) -> DemoWorld:
    return build_demo_world(sessions, settings, clock_today(settings.timezone), SAMPLE_PASSWORD)


def test_main_pages_read_a_pinned_number_of_statements(
    app: FastAPI, engine: Engine, sessions: SessionFactory, demo: DemoWorld
) -> None:
    from eduplan.services.tracking import list_items

    office = next(a for a in demo.accounts if a.role == "office")
    reporter = next(a for a in demo.accounts if a.role == "reporter")
    counts: dict[str, int] = {}
    for role, account in (("office", office), ("reporter", reporter)):
        items = list_items(sessions, demo.principals[account.username], demo.plan_id)
        item_id = max(items, key=lambda i: len(i.assignments)).id  # the busiest task the role sees
        with TestClient(app, follow_redirects=False) as client:
            page_login(client, account.username, SAMPLE_PASSWORD)
            for page in PAGES[role]:
                url = page.format(plan=demo.plan_id, item=item_id)
                client.get(url)  # warm: first-request caches are not what a page costs
                with counting(engine) as seen:
                    response = client.get(url)
                assert response.status_code == 200, (role, url, response.status_code)
                counts[f"{role} {page}"] = len(seen)
    pinned = json.loads(PINNED.read_text(encoding="utf-8")) if PINNED.exists() else {}
    grown = {k: (pinned.get(k), n) for k, n in counts.items() if k not in pinned or n > pinned[k]}
    over = {k: n for k, n in counts.items() if n > ABOVE_CEILING.get(k, CEILING)}
    assert not grown and not over, json.dumps(counts, ensure_ascii=False, indent=1)
