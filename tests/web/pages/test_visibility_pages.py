"""One read policy for pages, ``.json`` twins and the API (issue 13, finding 7; `registry.visibility`):
published plans open to every signed-in user for 对标, without the internal facts of their
implementation; original files to the plan's own organisation; lists offer only what then opens.

The world (`samples.loop`) is 示例市 with two plans opened for reporting; 乙区 below it follows
neither (nothing was handed down to it)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import ClientFor
from tests.web.pages.conftest import PagesFor

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import accounts, loop
from eduplan.services.accounts import Principal, UserCreate
from eduplan.services.registry.orgs import ensure_org


@pytest.fixture
def yi(world: World, sessions: SessionFactory, settings: Settings) -> int:
    """乙区 with an office account, a viewer and a unit reporter (password `world.password`)."""
    with sessions.begin() as s:
        org = ensure_org(s, "示例市/乙区").id
    office = Principal(None, "system", "admin", None, None, None)
    unit = loop.add_unit(sessions, office, org, "基础教育股").unit.id
    for name, role, unit_id in (("yi-office", "office", None), ("yi-rep", "reporter", unit)):
        new = UserCreate(name, role, name, org, unit_id, world.password)
        accounts.create_user(sessions, settings, Principal.system(), new)
    return org


def test_a_plan_answers_the_same_on_its_page_its_json_and_the_api(
    world: World, yi: int, pages_for: PagesFor, client_for: ClientFor
) -> None:
    for name in ("yi-office", "yi-rep", "xueqian"):
        page = pages_for(name, world.password)
        api = client_for(name, world.password)
        for plan_id in (world.plan_id, world.district_plan_id):
            answers = {
                "page": page.get(f"/plans/{plan_id}").status_code,
                "json": page.get(f"/plans/{plan_id}.json").status_code,
                "api": api.get(f"/api/v1/plans/{plan_id}").status_code,
                "document": api.get(f"/api/v1/plans/{plan_id}/document").status_code,
            }
            assert set(answers.values()) == {200}, (name, plan_id, answers)


def test_another_organisations_plan_shows_the_document_without_its_implementation(
    world: World, yi: int, pages_for: PagesFor
) -> None:
    yi_office = pages_for("yi-office", world.password)
    data = yi_office.get(f"/plans/{world.plan_id}.json").json()
    assert data["follows"] is False and data["opened"] is False and data["can_manage"] is False
    tasks = [t for ch in data["outline"]["chapters"] for t in ch["tasks"]]
    assert len(tasks) == 11 and all(t["item_id"] is None and t["light"] is None for t in tasks)
    html = yi_office.get(f"/plans/{world.plan_id}").text
    for internal in ("/items/", "/exports", "/schedule", "/assignments", "/source", "已开启报送"):
        assert internal not in html, internal
    own = pages_for("office", world.password).get(f"/plans/{world.plan_id}").text  # the control
    assert "/items/" in own and "/exports" in own and "/source" in own and "已开启报送" in own
    for url in (
        f"/plans/{world.plan_id}/exports",
        f"/items/{world.items['1']}",
    ):
        assert yi_office.get(url).status_code in (403, 404), url


def test_original_files_are_the_plans_own_organisations(
    world: World, yi: int, client_for: ClientFor, client: TestClient
) -> None:
    url = f"/api/v1/plans/{world.plan_id}/versions/1/source"
    assert client.get(url).status_code == 200  # the administrator
    assert client_for("office", world.password).get(url).status_code == 200  # the city's staff
    for name in ("yi-office", "yi-rep", "xueqian"):  # another organisation; a unit reporter
        refused = client_for(name, world.password).get(url)
        assert refused.status_code == 404 and refused.content.find(b"%PDF") < 0, name


def test_lists_offer_only_what_then_opens(world: World, yi: int, pages_for: PagesFor) -> None:
    yi_rep = pages_for("yi-rep", world.password)
    listed = yi_rep.get("/plans.json").json()["items"]
    assert {p["id"] for p in listed} == {world.plan_id, world.district_plan_id}
    assert all(p["opened"] is None and p["completion"] is None for p in listed)  # internal to 示例市
    hits = yi_rep.get("/search.json", params={"q": "学前教育"}).json()["hits"]
    assert hits and all(h["item_url"] is None for h in hits)
    for url in {h["plan_url"].split("#")[0] for h in hits} | {f"/plans/{p['id']}" for p in listed}:
        assert yi_rep.get(url).status_code == 200, url
    compare = yi_rep.get(f"/compare?plan={world.plan_id}&plan={world.district_plan_id}").text
    for url in sorted(set(re.findall(r'href="(/(?:plans|compare)/[^"#?]+)', compare)))[:12]:
        assert yi_rep.get(url).status_code == 200, url
