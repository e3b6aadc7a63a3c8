"""Accounts: argon2 hashes, password rules, one-time passwords, throttled logins, expiring sessions,
hashed API tokens, and who may create whom."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from eduplan.config import Settings
from eduplan.db.accounts import ApiToken, LoginSession, User
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import accounts as acc
from eduplan.services.accounts.passwords import password_problems
from eduplan.services.clock import utcnow
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound, Throttled, Unauthenticated


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Ab1", "至少 10 个字符"),
        ("abcdefghijkl", "两类字符"),
        ("Password123", "常见"),
        ("Yangtze-River9", ""),
        ("zhangsan-Secret9", "用户名"),
        ("Passw0rd", "至少"),
        ("p@ssw0rd", "常见"),
        ("教育督导工作密码二零二四年", "两类字符"),
        ("教育督导工作2024年", ""),
        ("Password1!", "太容易被猜到"),  # a common password with the usual decorations
        ("P@ssw0rd2024", "常见密码过于相似"),
        ("Qwerty123!", "太容易被猜到"),
        ("Zhangsan2024!", "用户名"),
        ("Yellow-Mountain-Tea7", ""),
    ],
)
def test_password_rules(password: str, problem: str) -> None:
    problems = "；".join(password_problems(password, "zhangsan", 10))
    assert (problem in problems) if problem else not problems, problems


def test_admin_gets_a_one_time_password_that_must_be_changed(
    sessions: SessionFactory, settings: Settings
) -> None:
    new = acc.create_admin(sessions, settings)
    assert new.user.role == "admin" and new.user.must_change_password
    assert new.one_time_password and not password_problems(new.one_time_password, "admin", 10)
    with sessions() as s:
        stored = s.scalars(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$") and new.one_time_password not in stored
    session = acc.login(sessions, settings, "admin", new.one_time_password)
    principal = acc.session_principal(sessions, settings, session.token)
    assert principal.must_change_password
    acc.change_password(sessions, settings, principal, new.one_time_password, "新的Passw0rd!")
    assert not acc.session_principal(sessions, settings, session.token).must_change_password
    with pytest.raises(Unauthenticated):
        acc.login(sessions, settings, "admin", new.one_time_password)
    with pytest.raises(Conflict):
        acc.create_admin(sessions, settings)


def test_first_serve_makes_an_admin_only_once(sessions: SessionFactory, settings: Settings) -> None:
    first = acc.ensure_admin(sessions, settings)
    assert first is not None and first.one_time_password
    assert acc.ensure_admin(sessions, settings) is None


def test_login_is_throttled_after_repeated_failures(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    now = utcnow()
    for _ in range(settings.login_max_failures):
        with pytest.raises(Unauthenticated):
            acc.login(sessions, settings, "office", "wrong password", now=now)
    with pytest.raises(Throttled) as blocked:
        acc.login(sessions, settings, "office", world.password, now=now)  # even the right password
    assert 0 < blocked.value.retry_after <= settings.login_lockout_minutes * 60 + 1
    with pytest.raises(Throttled):  # unknown names are throttled alike: nothing tells them apart
        for _ in range(settings.login_max_failures + 1):
            with contextlib.suppress(Unauthenticated):
                acc.login(sessions, settings, "nobody", "x", now=now)
    later = now + timedelta(minutes=settings.login_lockout_minutes, seconds=1)
    assert acc.login(sessions, settings, "office", world.password, now=later).user.username == "office"


def test_sessions_expire_when_idle_and_after_their_maximum(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    t0 = utcnow()
    login = acc.login(sessions, settings, "leader", world.password, now=t0)
    assert login.csrf_token and login.token not in login.csrf_token
    idle = timedelta(minutes=settings.session_idle_minutes)
    assert acc.session_principal(sessions, settings, login.token, now=t0 + idle / 2).role == "leader"
    # used half-way, it lives another idle period from then
    assert acc.session_principal(sessions, settings, login.token, now=t0 + idle * 1.4).role == "leader"
    with pytest.raises(Unauthenticated):
        acc.session_principal(sessions, settings, login.token, now=t0 + idle * 3)
    with sessions() as s:
        stored = s.scalars(select(LoginSession.token_hash)).all()
    assert login.token not in stored
    steady = acc.login(sessions, settings, "leader", world.password, now=t0)
    moment = t0
    with pytest.raises(Unauthenticated):  # kept busy, it still ends after session_max_hours
        while True:
            moment += idle / 2
            acc.session_principal(sessions, settings, steady.token, now=moment)
    assert moment - t0 <= timedelta(hours=settings.session_max_hours) + idle
    acc.logout(sessions, steady.token)


def test_logout_and_deactivated_users(world: World, sessions: SessionFactory, settings: Settings) -> None:
    login = acc.login(sessions, settings, "viewer", world.password)
    acc.logout(sessions, login.token)
    with pytest.raises(Unauthenticated):
        acc.session_principal(sessions, settings, login.token)
    with sessions.begin() as s:
        s.execute(update(User).where(User.username == "viewer").values(active=False))
    with pytest.raises(Unauthenticated):
        acc.login(sessions, settings, "viewer", world.password)


def test_api_tokens_are_hashed_expire_and_can_be_revoked(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    office = acc.session_principal(
        sessions, settings, acc.login(sessions, settings, "office", world.password).token
    )
    new = acc.create_token(sessions, office, "统计系统", days=30)
    assert new.secret.startswith("ep_")
    with sessions() as s:
        assert new.secret not in s.scalars(select(ApiToken.token_hash)).all()
    assert acc.token_principal(sessions, new.secret).username == "office"
    with pytest.raises(Unauthenticated):
        acc.token_principal(sessions, new.secret, now=utcnow() + timedelta(days=31))
    acc.revoke_token(sessions, office, new.token.id)
    with pytest.raises(Unauthenticated):
        acc.token_principal(sessions, new.secret)
    assert [t.revoked for t in acc.list_tokens(sessions, office)] == [True]


def test_who_may_create_whom(world: World, sessions: SessionFactory, settings: Settings) -> None:
    office = acc.token_principal(
        sessions, acc.create_token(sessions, _principal(sessions, settings, world, "office"), "t").secret
    )
    made = acc.create_user(
        sessions,
        settings,
        office,
        acc.UserCreate("zhang", "reporter", "张三", world.org_id, world.units["基础教育科"]),
    )
    assert made.one_time_password and made.user.unit_name == "基础教育科"
    with pytest.raises(Forbidden):
        acc.create_user(sessions, settings, office, acc.UserCreate("boss", "admin"))
    with pytest.raises(Invalid):  # a reporter needs a unit of the organisation
        acc.create_user(sessions, settings, office, acc.UserCreate("li", "reporter", "", world.org_id))
    with pytest.raises(Invalid):
        acc.create_user(
            sessions, settings, office, acc.UserCreate("wang", "leader", "", world.org_id, password="short")
        )
    with pytest.raises(Conflict):
        acc.create_user(sessions, settings, office, acc.UserCreate("zhang", "viewer", "", world.org_id))
    reporter = _principal(sessions, settings, world, "jichu")
    with pytest.raises(Forbidden):
        acc.create_user(sessions, settings, reporter, acc.UserCreate("zhao", "viewer", "", world.org_id))
    assert "zhang" in [u.username for u in acc.list_users(sessions, office)]


def _principal(
    sessions: SessionFactory, settings: Settings, world: World, name: str, password: str | None = None
) -> acc.Principal:
    return acc.session_principal(
        sessions, settings, acc.login(sessions, settings, name, password or world.password).token
    )


def test_a_deactivated_account_cannot_sign_in_and_its_sessions_end(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    admin = acc.create_user(
        sessions, settings, acc.Principal.system(), acc.UserCreate("root", "admin", password="Yangtze-River9")
    ).user
    root = _principal(sessions, settings, world, "root", "Yangtze-River9")
    jichu = acc.login(sessions, settings, "jichu", world.password)
    token = acc.create_token(sessions, acc.session_principal(sessions, settings, jichu.token), "对接").secret
    done = acc.set_active(sessions, root, world.users["jichu"], False)
    assert not done.active and done.username == "jichu"
    with pytest.raises(Unauthenticated, match="用户名或密码错误"):  # told as for a wrong password
        acc.login(sessions, settings, "jichu", world.password)
    with pytest.raises(Unauthenticated):
        acc.session_principal(sessions, settings, jichu.token)
    with pytest.raises(Unauthenticated):  # the token is revoked …
        acc.token_principal(sessions, token)
    with sessions() as s:
        assert s.scalars(select(LoginSession).where(LoginSession.user_id == world.users["jichu"])).all() == []
        assert s.scalars(select(ApiToken.revoked_at)).one() is not None
    back = acc.set_active(sessions, root, world.users["jichu"], True)
    assert back.active
    with pytest.raises(Unauthenticated):  # … and stays revoked when the account comes back
        acc.token_principal(sessions, token)
    again = acc.login(sessions, settings, "jichu", world.password)
    with pytest.raises(Unauthenticated):  # the old session stays ended
        acc.session_principal(sessions, settings, jichu.token)
    assert acc.session_principal(sessions, settings, again.token).username == "jichu"
    trail = acc.set_active(sessions, root, world.users["jichu"], True)  # already active: no change
    assert trail.active
    from eduplan.db.audit import AuditEntry

    with sessions() as s:
        entries = s.execute(
            select(AuditEntry.action, AuditEntry.username, AuditEntry.before, AuditEntry.after)
            .where(AuditEntry.entity == "user", AuditEntry.entity_id == world.users["jichu"])
            .order_by(AuditEntry.id)
        ).all()
    assert [tuple(e) for e in entries if e.action.endswith("activate")] == [
        ("deactivate", "root", {"active": True}, {"active": False}),
        ("activate", "root", {"active": False}, {"active": True}),
    ]
    with pytest.raises(Forbidden, match="自己"):
        acc.set_active(sessions, root, admin.id, False)


def test_who_may_deactivate_whom(world: World, sessions: SessionFactory, settings: Settings) -> None:
    from eduplan.db.accounts import User
    from eduplan.services.registry.orgs import ensure_org

    with sessions.begin() as s:
        other_org = ensure_org(s, "另一市").id
    system = acc.Principal.system()
    stranger = acc.create_user(
        sessions, settings, system, acc.UserCreate("stranger", "viewer", "", other_org)
    ).user
    admin = acc.create_user(sessions, settings, system, acc.UserCreate("boss", "admin")).user
    office = _principal(sessions, settings, world, "office")
    assert not acc.set_active(sessions, office, world.users["leader"], False).active  # own organisation
    assert acc.set_active(sessions, office, world.users["leader"], True).active
    with pytest.raises(NotFound):  # another organisation's account is not even seen
        acc.set_active(sessions, office, stranger.id, False)
    with pytest.raises(Forbidden, match="管理员"):
        acc.set_active(sessions, office, admin.id, False)
    with pytest.raises(Forbidden, match="自己"):
        acc.set_active(sessions, office, world.users["office"], False)
    for name in ("leader", "viewer", "jichu"):
        with pytest.raises(Forbidden):
            acc.set_active(sessions, _principal(sessions, settings, world, name), world.users["caiwu"], False)
    with pytest.raises(NotFound):
        acc.set_active(sessions, office, 999_999, False)
    with sessions() as s:
        assert all(s.scalars(select(User.active)).all())  # nothing was changed by the refusals


def test_the_first_password_needs_no_second_typing_of_the_one_time_one(
    sessions: SessionFactory, settings: Settings
) -> None:
    made = acc.create_user(
        sessions, settings, acc.Principal.system(), acc.UserCreate("first", "admin", "初次")
    )
    me = acc.session_principal(
        sessions, settings, acc.login(sessions, settings, "first", made.one_time_password).token
    )
    with pytest.raises(Invalid):
        acc.change_password(sessions, settings, me, None, made.one_time_password)  # not the same again
    acc.change_password(sessions, settings, me, None, "自己的Passw0rd!")
    assert acc.login(sessions, settings, "first", "自己的Passw0rd!").user.must_change_password is False
    with pytest.raises(Unauthenticated):  # once set, changing it asks for the current one
        acc.change_password(sessions, settings, me, None, "又一个Passw0rd!")
