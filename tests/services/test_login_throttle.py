"""Login floods and lockouts (issue 13, finding 4): limits per client address and per account kept in
the database, exactly the limit checked under concurrency, a known browser not locked out by
strangers, and a bounded number of argon2 checks at once (refusals need none)."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import accounts as acc
from eduplan.services.accounts.passwords import check_slot
from eduplan.services.clock import utcnow
from eduplan.services.errors import Throttled, Unauthenticated

BUSY = "服务器正忙"
LOCKED = "登录失败次数过多"


def _attempt(sessions: SessionFactory, settings: Settings, name: str, password: str, **kw: object) -> str:
    """'ok', 'wrong', or the throttling message."""
    try:
        acc.login(sessions, settings, name, password, **kw)  # type: ignore[arg-type]
    except Unauthenticated:
        return "wrong"
    except Throttled as exc:
        return str(exc)
    return "ok"


@contextlib.contextmanager
def _all_checks_taken(settings: Settings):
    """Hold every argon2 slot of the process, as a flood of checks would."""
    with contextlib.ExitStack() as stack:
        for _ in range(settings.login_concurrent_checks):
            stack.enter_context(check_slot(settings))
        yield


def test_one_address_cannot_try_many_names(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    outcomes = [
        _attempt(sessions, settings, f"guess{i}", "Wrong-Passw0rd", address="203.0.113.7") for i in range(40)
    ]
    assert outcomes.count("wrong") == settings.login_address_max_failures
    assert all(LOCKED in o for o in outcomes[settings.login_address_max_failures :])
    # the right password from that address is refused too; another address is not affected
    assert LOCKED in _attempt(sessions, settings, "office", world.password, address="203.0.113.7")
    assert _attempt(sessions, settings, "office", world.password, address="198.51.100.2") == "ok"
    # one host of IPv6 holds a whole /64: its addresses share one allowance
    v6 = [_attempt(sessions, settings, f"v6-{i}", "x", address=f"2001:db8:1:2::{i:x}") for i in range(1, 13)]
    assert v6.count("wrong") == settings.login_address_max_failures


@pytest.mark.parametrize("concurrent", [24])
def test_concurrent_wrong_passwords_get_exactly_the_limit(
    world: World, sessions: SessionFactory, settings: Settings, concurrent: int
) -> None:
    roomy = settings.model_copy(update={"login_concurrent_checks": concurrent, "login_check_wait_ms": 30_000})
    start = threading.Barrier(concurrent)

    def one(i: int) -> str:
        start.wait()
        return _attempt(sessions, roomy, "office", f"Wrong-{i}", address=f"198.51.100.{i}")

    with ThreadPoolExecutor(concurrent) as pool:
        outcomes = list(pool.map(one, range(concurrent)))
    assert outcomes.count("wrong") == settings.login_max_failures, outcomes
    assert all(LOCKED in o for o in outcomes if o != "wrong")


def test_strangers_cannot_lock_out_a_known_browser(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    first = acc.login(sessions, settings, "office", world.password, address="10.0.0.5")
    browser = first.device_token
    assert browser  # a browser that signed in is known from now on
    for i in range(settings.login_max_failures + 3):
        _attempt(sessions, settings, "office", "Wrong-Passw0rd", address=f"192.0.2.{i}")
    assert LOCKED in _attempt(sessions, settings, "office", world.password, address="192.0.2.200")
    again = acc.login(sessions, settings, "office", world.password, address="192.0.2.201", device=browser)
    assert again.user.username == "office" and again.device_token is None  # its cookie stays
    # a known browser is known to its own account only, and fails on its own allowance
    assert LOCKED in _attempt(sessions, settings, "OFFICE ", world.password, device="not-a-known-cookie")
    for _ in range(settings.login_max_failures):
        assert _attempt(sessions, settings, "office", "Wrong-Passw0rd", device=browser) == "wrong"
    assert LOCKED in _attempt(sessions, settings, "office", world.password, device=browser)
    later = utcnow() + timedelta(minutes=settings.login_lockout_minutes, seconds=2)
    assert _attempt(sessions, settings, "office", world.password, now=later, device=browser) == "ok"


def test_refusals_need_no_password_check_and_unknown_names_cost_one(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    for _ in range(settings.login_max_failures):
        _attempt(sessions, settings, "leader", "Wrong-Passw0rd")
    fast = settings.model_copy(update={"login_check_wait_ms": 0})
    with _all_checks_taken(fast):
        # no argon2 slot is free, yet the throttled account is refused as throttled: it needed none
        assert LOCKED in _attempt(sessions, fast, "leader", world.password)
        # known and unknown names within their allowance both need a check: nothing tells them apart
        assert BUSY in _attempt(sessions, fast, "viewer", "Wrong-Passw0rd")
        assert BUSY in _attempt(sessions, fast, "nobody-at-all", "Wrong-Passw0rd")
    # a busy answer was not counted as a failure: the full allowance is still there
    outcomes = [
        _attempt(sessions, settings, "viewer", "Wrong-Passw0rd") for _ in range(settings.login_max_failures)
    ]
    assert outcomes == ["wrong"] * settings.login_max_failures
    assert _attempt(sessions, settings, "nobody-at-all", "x") == "wrong"


def test_a_success_forgives_the_account_but_not_the_address(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    here = "203.0.113.99"
    for _ in range(settings.login_max_failures - 1):
        _attempt(sessions, settings, "office", "Wrong-Passw0rd", address=here)
    assert _attempt(sessions, settings, "office", world.password, address=here) == "ok"
    # the account's count starts again; the address keeps its failures
    left = settings.login_address_max_failures - (settings.login_max_failures - 1)
    outcomes = [_attempt(sessions, settings, f"n{i}", "x", address=here) for i in range(left + 1)]
    assert outcomes[:left] == ["wrong"] * left and LOCKED in outcomes[left]


def test_password_checks_run_at_a_lower_priority() -> None:
    import os
    import sys
    import threading

    if not sys.platform.startswith("linux"):
        pytest.skip("per-thread priorities are a Linux feature")
    from eduplan.services.accounts.passwords import LOWER_PRIORITY, hash_password

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())  # a runner may itself run niced
    hash_password(
        Settings(database_url="sqlite://", argon2_memory_kib=64, argon2_time_cost=1), "Yellow-Mountain-Tea7"
    )
    workers = [t for t in threading.enumerate() if t.name.startswith("argon2")]
    assert workers and all(os.getpriority(os.PRIO_PROCESS, t.native_id) >= LOWER_PRIORITY for t in workers)  # type: ignore[arg-type]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before  # the caller's is untouched


def test_the_limits_hold_across_server_processes(world: World, engine, settings: Settings) -> None:
    """Two servers on one database (two engines, as two processes have) share one allowance."""
    from eduplan.db import make_engine, make_session_factory

    second = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        servers = [make_session_factory(engine), make_session_factory(second)]
        outcomes = [
            _attempt(servers[i % 2], settings, "office", "Wrong-Passw0rd", address="192.0.2.9")
            for i in range(8)
        ]
    finally:
        second.dispose()
    assert outcomes.count("wrong") == settings.login_max_failures


def test_a_known_browser_gets_a_check_while_strangers_hold_them_all(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    browser = acc.login(sessions, settings, "office", world.password).device_token
    fast = settings.model_copy(update={"login_check_wait_ms": 0})
    with _all_checks_taken(fast):
        assert BUSY in _attempt(sessions, fast, "office", world.password)  # from an unknown browser
        assert _attempt(sessions, fast, "office", world.password, device=browser) == "ok"
