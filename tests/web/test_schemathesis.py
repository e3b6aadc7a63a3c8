"""Schemathesis against the API's own OpenAPI, signed in as an administrator of the sample world:
no request, however odd (NUL bytes, ids past 2^63, huge pages), is answered with a 5xx (issue 13).

Bounded: a few examples per operation (`EXAMPLES`), positive and negative data, no deadline; on
SQLite and PostgreSQL (``EDUPLAN_TEST_POSTGRES_URL``).  Operations that would sign the
administrator out (logout, password change, revoking tokens, deactivating users) are left out, so
that every example is tried as a signed-in user.  All server errors are collected and listed.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import GenerationMode

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services.accounts import Principal, UserCreate, create_token, create_user

EXAMPLES = int(os.environ.get("EDUPLAN_SCHEMATHESIS_EXAMPLES", "6"))
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
SKIPPED = {
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/password"),
    ("DELETE", "/api/v1/auth/tokens/{token_id}"),
    ("PUT", "/api/v1/users/{user_id}/active"),
}


@pytest.fixture
def token(sessions: SessionFactory, settings: Settings, world: World) -> str:
    made = create_user(
        sessions,
        settings,
        Principal.system(),
        UserCreate("fuzzer", "admin", "管理员", password="Xv9#tLq2-mRw8@pZ"),
    )
    admin = Principal(made.user.id, "fuzzer", "admin", None, None, None)
    return create_token(sessions, admin, "schemathesis").secret


def known_ids(world: World) -> dict[str, int]:
    """Ids that exist in the sample world, so that half the examples reach past the 404."""
    return {
        "plan_id": world.plan_id,
        "item_id": world.items["1"],
        "task_id": 1,
        "project_id": 1,
        "unit_id": world.units["基础教育科"],
        "org_id": world.org_id,
        "version": 1,
        "cycle": 0,
        "user_id": world.users["jichu"],
        "report_id": 1,
        "urge_id": 1,
        "rect_id": 1,
    }


def strategy(operation: Any, ids: dict[str, int]) -> Any:
    """Positive and negative examples, and positive ones on existing ids."""
    names = {p.name for p in operation.path_parameters}
    known = {name: ids[name] for name in names if name in ids}
    modes = [operation.as_strategy(mode) for mode in MODES]
    if known:
        modes.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known))
    return st.one_of(*modes)


def test_no_operation_answers_with_a_server_error(app: FastAPI, token: str, world: World) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    ids = known_ids(world)
    headers = {"Authorization": f"Bearer {token}"}
    errors: list[str] = []
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @given(case=strategy(operation, ids))
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            try:
                status = case.call(headers=headers).status_code
            except Exception as exc:  # the test client re-raises what the app did not handle
                status, why = 500, f"{type(exc).__name__}: {str(exc)[:120]}"
            else:
                why = ""
            statuses[status] += 1
            if status >= 500:
                errors.append(f"{status} {why} {case.as_curl_command()[:240]}")

        run()
    tried = sum(statuses.values())
    print(f"\nschemathesis: {tried} requests, by status {dict(sorted(statuses.items()))}")
    assert tried > 100
    assert not errors, f"{len(errors)} server errors of {tried} requests:\n" + "\n".join(errors[:40])
