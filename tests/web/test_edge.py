"""Odd input is a 400 problem, never a 500, on both databases (web/edge.py, deps.Id; issue 13):
ids past 2^31 and 2^63 in paths and queries, NUL in paths, queries, JSON and form bodies, and
integers too large for the database inside a body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.web.test_api import assert_problem

from eduplan.samples.loop import World

HUGE = [2**31, 2**63, 10**30]


@pytest.mark.parametrize("number", HUGE)
def test_ids_past_the_database_integer_are_400(client: TestClient, number: int) -> None:
    for url in (
        f"/api/v1/plans/{number}",
        f"/api/v1/items/{number}/comments",
        f"/api/v1/plans/1/versions/{number}/document",
        f"/api/v1/tasks?offset={number}",
    ):
        body = assert_problem(client.get(url), 400, "invalid-parameters")
        assert body["errors"], url


def test_nul_in_path_query_and_bodies_is_400(client: TestClient, world: World) -> None:
    assert_problem(client.get("/api/v1/search?q=%E5%AD%A6%00%E5%89%8D"), 400, "invalid-parameters")
    assert_problem(client.get("/api/v1/orgs/1%00"), 400, "invalid-parameters")
    comment = client.post(f"/api/v1/items/{world.items['1']}/comments", json={"body": "已阅\u0000"})
    assert_problem(comment, 400)
    assert "NUL" in comment.json()["detail"]
    form = client.post(
        "/api/v1/auth/login",
        content=b"username=a%00&password=b",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert_problem(form, 400)
    # an escaped backslash before u0000 is text, not a NUL
    fine = client.post(
        f"/api/v1/items/{world.items['1']}/comments", json={"body": "路径 C:\\u0000 不是空字符"}
    )
    assert fine.status_code in (200, 201), fine.text


def test_a_huge_integer_inside_a_body_is_400_not_500(client: TestClient, world: World) -> None:
    url = f"/api/v1/items/{world.items['1']}"
    version = client.get(url).json()["version"]
    body = {"version": version, "assignments": [{"role": "lead", "unit_id": 2**63 + 5}]}
    assert_problem(client.put(f"{url}/assignments", json=body), 400, "invalid-parameters")
