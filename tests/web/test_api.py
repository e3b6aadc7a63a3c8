"""The JSON API: every endpoint's happy path and its error paths (problem+json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from eduplan.plan_json import plan_to_dict
from eduplan.samples.plan_text import sample_lines
from eduplan.services import registry as reg
from eduplan.services.parse import parse_lines
from eduplan.web import api

Upload = Callable[..., httpx.Response]
PROBLEM = "application/problem+json"


@pytest.fixture
def plan_id(upload: Upload, sample_bytes: bytes, revised_bytes: bytes) -> int:
    first = upload(sample_bytes, "示例v1.txt")
    assert first.status_code == 201, first.text
    second = upload(revised_bytes, "示例v2.txt")
    assert second.status_code == 201, second.text
    return int(first.json()["plan_id"])


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"]
    if code:
        assert body["type"].endswith(code)
    return body


def test_import_reports_created_revised_and_duplicate(
    upload: Upload, sample_bytes: bytes, revised_bytes: bytes
) -> None:
    created = upload(sample_bytes, "示例.txt")
    assert created.status_code == 201
    assert created.json()["status"] == "created"
    assert created.headers["location"] == "/api/v1/plans/1/versions/1/document"
    duplicate = upload(sample_bytes, "示例.txt")
    assert duplicate.status_code == 200 and duplicate.json()["status"] == "duplicate"
    revised = upload(revised_bytes, "示例2.txt").json()
    assert revised["status"] == "revised" and revised["version"] == 2
    assert [t["number"] for t in revised["diff"]["changed"]] == ["3"]


def test_import_errors(client: TestClient, upload: Upload) -> None:
    assert_problem(upload("没有编号的文字\n".encode(), "x.txt"), 422, "unparsable")
    assert_problem(upload(b"7z\xbc\xaf\x27\x1c" + bytes(range(256)) * 4, "x.7z"), 415)
    # a page image is read by OCR now: a broken one is unreadable, not an unsupported format
    assert_problem(upload(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "x.png"), 422)
    assert_problem(upload(b"a" * 300_000, "big.txt"), 413, "too-large")
    assert_problem(client.post("/api/v1/imports", json={"file": "x"}), 415)
    assert_problem(client.post("/api/v1/imports", files={"other": ("a.txt", b"x")}), 400)
    assert client.get("/api/v1/plans").json()["total"] == 0


def test_import_conflict_is_409(upload: Upload, sample_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    def conflict(*_args: object, **_kwargs: object) -> None:
        raise reg.Conflict("另一导入同时修改了同一计划，请重试")

    monkeypatch.setattr(api.reg, "import_document", conflict)
    assert_problem(upload(sample_bytes), 409, "conflict")


def test_plan_document_with_etag(client: TestClient, plan_id: int, revised_plan_lines: list[str]) -> None:
    url = f"/api/v1/plans/{plan_id}/versions/1/document"
    response = client.get(url)
    assert response.status_code == 200
    assert response.json() == plan_to_dict(parse_lines(sample_lines()))
    etag = response.headers["etag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    latest = client.get(f"/api/v1/plans/{plan_id}/document")
    assert latest.json() == plan_to_dict(parse_lines(revised_plan_lines))
    assert latest.headers["etag"] != etag
    assert_problem(client.get(f"/api/v1/plans/{plan_id}/versions/9/document"), 404, "not-found")
    assert_problem(client.get("/api/v1/plans/999/document"), 404)


def test_plans_versions_diff_and_source(client: TestClient, plan_id: int, sample_bytes: bytes) -> None:
    plans = client.get("/api/v1/plans").json()
    assert plans["total"] == 1 and plans["items"][0]["latest_version"] == 2
    plan = client.get(f"/api/v1/plans/{plan_id}").json()
    assert [v["filename"] for v in plan["versions"]] == ["示例v1.txt", "示例v2.txt"]
    diff = client.get(f"/api/v1/plans/{plan_id}/versions/2/diff").json()
    assert (len(diff["added"]), len(diff["removed"]), len(diff["changed"])) == (1, 1, 1)
    assert client.get(f"/api/v1/plans/{plan_id}/versions/1/diff").json()["from_version"] is None
    source = client.get(f"/api/v1/plans/{plan_id}/versions/1/source")
    assert source.status_code == 200 and source.content == sample_bytes
    assert "filename*=UTF-8''" in source.headers["content-disposition"]
    assert_problem(client.get("/api/v1/plans/abc"), 400, "invalid-parameters")


def test_orgs_and_units(client: TestClient, plan_id: int) -> None:
    orgs = client.get("/api/v1/orgs").json()
    assert [o["name"] for o in orgs["items"]] == ["示例市"]
    org_id = orgs["items"][0]["id"]
    assert client.get(f"/api/v1/orgs/{org_id}").json()["path"] == "示例市"
    units = client.get("/api/v1/units", params={"org_id": org_id, "limit": 200}).json()
    assert "基础教育科" in [u["name"] for u in units["items"]]
    unit = units["items"][0]
    assert client.get(f"/api/v1/units/{unit['id']}").json() == unit
    assert_problem(client.get("/api/v1/orgs/999"), 404)
    assert_problem(client.get("/api/v1/units/999"), 404)


def test_tasks_filters_and_pagination(client: TestClient, plan_id: int) -> None:
    page = client.get("/api/v1/tasks", params={"chapter": "二", "unit": "人事科"}).json()
    assert [t["number"] for t in page["items"]] == ["4", "6"]
    one = client.get("/api/v1/tasks", params={"limit": 1, "offset": 1}).json()
    assert one["total"] == 11 and one["items"][0]["number"] == "2"
    task = client.get(f"/api/v1/tasks/{one['items'][0]['id']}").json()
    assert task["title"] == one["items"][0]["title"]
    v1 = client.get("/api/v1/tasks", params={"plan_id": plan_id, "version": 1, "has_target": "false"}).json()
    assert all(not t["targets"] for t in v1["items"])
    assert_problem(client.get("/api/v1/tasks", params={"version": 1}), 400)
    assert_problem(client.get("/api/v1/tasks", params={"limit": 0}), 400)
    assert_problem(client.get("/api/v1/tasks", params={"deadline_from": "soon"}), 400)
    assert_problem(client.get("/api/v1/tasks", params={"sort": "random"}), 400)
    assert_problem(client.get("/api/v1/tasks/99999"), 404)


def test_targets_indicators_projects(client: TestClient, plan_id: int) -> None:
    targets = client.get("/api/v1/targets", params={"plan_id": plan_id}).json()
    assert targets["items"][0]["value"] == 3200
    tables = client.get("/api/v1/indicators", params={"plan_id": plan_id}).json()
    assert tables["items"][0]["rows"][1]["values"] == {"2023": 82, "2024": 85}
    assert client.get("/api/v1/projects").json()["total"] == 0
    assert_problem(client.get("/api/v1/indicators", params={"version": 2}), 400)


def test_search(client: TestClient, plan_id: int) -> None:
    hits = client.get("/api/v1/search", params={"q": "学前"}).json()
    assert hits["total"] == 1
    assert "<mark>学前</mark>" in hits["items"][0]["fragment"]["html"]
    assert client.get("/api/v1/search", params={"q": "双减"}).json()["total"] == 0
    assert_problem(client.get("/api/v1/search"), 400)
    assert_problem(client.get("/api/v1/search", params={"q": "  "}), 400)


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/tasks" in spec["paths"] and "/api/v1/imports" in spec["paths"]
    assert "multipart/form-data" in spec["paths"]["/api/v1/imports"]["post"]["requestBody"]["content"]
    assert client.get("/api/docs").status_code == 200
    assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert_problem(client.delete("/api/v1/plans"), 405)
