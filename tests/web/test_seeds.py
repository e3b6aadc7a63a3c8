"""The five real plans of ../shared/corpus/seeds, imported through the API and read back equal to
what the parser makes of them (`eduplan parse --format json`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from eduplan.plan_json import plan_to_dict
from eduplan.readers import read_path
from eduplan.services.parse import parse_lines

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"


def test_seeds_round_trip_through_the_api(client: TestClient, upload: Callable[..., httpx.Response]) -> None:
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip(f"no seed documents in {SEEDS}")
    for path in seeds:
        response = upload(path.read_bytes(), path.name)
        assert response.status_code == 201, (path.name, response.text)
        result = response.json()
        document = client.get(f"/api/v1/plans/{result['plan_id']}/versions/{result['version']}/document")
        assert document.json() == plan_to_dict(parse_lines(read_path(path))), path.name
    assert client.get("/api/v1/plans").json()["total"] == len(seeds)
    assert client.get("/api/v1/search", params={"q": "学前"}).json()["total"] > 0
    assert client.get("/api/v1/projects").json()["total"] > 0
