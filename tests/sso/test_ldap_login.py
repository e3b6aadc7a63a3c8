"""Sign-in against a real OpenLDAP (`slapd`, started by the tests): bind authentication, group →
role mapping, accounts made and kept in step, wrong passwords refused in Chinese and counted by
the login throttle, local accounts still signing in beside the directory."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from eduplan.config import Settings
from eduplan.db.accounts import LoginThrottle, User
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import Principal, UserCreate, create_user, session_principal, set_active
from eduplan.services.accounts.ldap_login import BAD_LOGIN, password_login
from eduplan.services.errors import Throttled, Unauthenticated
from eduplan.web.app import create_app

from .conftest import GROUPS, PASSWORDS, PEOPLE, SERVICE_DN, SERVICE_PASSWORD, UNIT, Ldap


@pytest.fixture
def ldap_settings(settings: Settings, slapd: Ldap, placed: tuple[int, int]) -> Settings:
    return settings.model_copy(
        update={
            "ldap_url": slapd.url,
            "ldap_bind_dn": SERVICE_DN,
            "ldap_bind_password": SERVICE_PASSWORD,
            "ldap_user_base": PEOPLE,
            "ldap_group_base": GROUPS,
            "ldap_org_attribute": "o",
            "ldap_unit_attribute": "ou",
            "sso_role_map": {"eduplan-office": "office", f"cn=eduplan-reporters,{GROUPS}": "reporter"},
        }
    )


def _user(sessions: SessionFactory, name: str) -> User | None:
    with sessions() as session:
        user = session.scalars(select(User).where(User.username == name)).first()
        if user is not None:
            session.expunge(user)
        return user


def test_first_sign_in_creates_the_account_with_the_groups_role_and_the_second_matches_it(
    sessions: SessionFactory, ldap_settings: Settings, placed: tuple[int, int]
) -> None:
    first = password_login(sessions, ldap_settings, "zhangsan", PASSWORDS["zhangsan"])
    assert first.user.display_name == "张三"  # the person's name, not the login
    assert (first.user.role, first.user.org_id, first.user.email) == (
        "office",
        placed[0],
        "zhangsan@example.test",
    )
    who = session_principal(sessions, ldap_settings, first.token)
    assert who.username == "zhangsan" and who.role == "office"
    second = password_login(sessions, ldap_settings, "ZhangSan", PASSWORDS["zhangsan"])
    assert second.user.id == first.user.id
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1


def test_a_reporter_group_places_the_person_in_the_unit_the_directory_names(
    sessions: SessionFactory, ldap_settings: Settings, placed: tuple[int, int]
) -> None:
    result = password_login(sessions, ldap_settings, "lisi", PASSWORDS["lisi"])
    assert (result.user.role, result.user.unit_id, result.user.unit_name) == ("reporter", placed[1], UNIT)


def test_roles_follow_the_directory_or_stay_as_the_administrator_set_them(
    sessions: SessionFactory, ldap_settings: Settings, placed: tuple[int, int]
) -> None:
    made = password_login(sessions, ldap_settings, "zhangsan", PASSWORDS["zhangsan"])
    with sessions.begin() as session:
        row = session.get(User, made.user.id)
        assert row is not None
        row.role = "leader"  # an administrator's choice
    kept = ldap_settings.model_copy(update={"sso_sync_roles": False})
    assert password_login(sessions, kept, "zhangsan", PASSWORDS["zhangsan"]).user.role == "leader"
    assert password_login(sessions, ldap_settings, "zhangsan", PASSWORDS["zhangsan"]).user.role == "office"


def test_someone_in_no_mapped_group_is_refused_unless_a_default_role_is_set(
    sessions: SessionFactory, ldap_settings: Settings
) -> None:
    with pytest.raises(Unauthenticated, match="不属于任何可使用本系统的用户组"):
        password_login(sessions, ldap_settings, "wangwu", PASSWORDS["wangwu"])
    assert _user(sessions, "wangwu") is None  # nothing half-made
    viewer = ldap_settings.model_copy(update={"sso_default_role": "viewer", "sso_default_org": "示例市"})
    assert password_login(sessions, viewer, "wangwu", PASSWORDS["wangwu"]).user.role == "viewer"


def test_a_wrong_password_is_refused_in_chinese_and_counted_by_the_login_throttle(
    sessions: SessionFactory, ldap_settings: Settings
) -> None:
    for _ in range(ldap_settings.login_max_failures):
        with pytest.raises(Unauthenticated) as refused:
            password_login(sessions, ldap_settings, "zhangsan", "not-the-password", address="203.0.113.7")
        assert str(refused.value) == BAD_LOGIN
    with sessions() as session:
        counted = session.scalars(select(LoginThrottle).where(LoginThrottle.key == "zhangsan")).one()
        assert counted.failures == ldap_settings.login_max_failures
    with pytest.raises(Throttled):  # even the right password, until the window ends
        password_login(sessions, ldap_settings, "zhangsan", PASSWORDS["zhangsan"], address="203.0.113.7")
    assert _user(sessions, "zhangsan") is None


def test_an_empty_password_never_binds_anonymously(sessions: SessionFactory, ldap_settings: Settings) -> None:
    with pytest.raises(Unauthenticated, match="用户名或密码错误"):
        password_login(sessions, ldap_settings, "zhangsan", "")


def test_a_deactivated_account_stays_out_whatever_the_directory_says(
    sessions: SessionFactory, ldap_settings: Settings
) -> None:
    made = password_login(sessions, ldap_settings, "zhangsan", PASSWORDS["zhangsan"])
    set_active(sessions, Principal.system(), made.user.id, False)
    with pytest.raises(Unauthenticated, match="已停用"):
        password_login(sessions, ldap_settings, "zhangsan", PASSWORDS["zhangsan"])


def test_local_accounts_the_directory_does_not_know_still_sign_in(
    sessions: SessionFactory, ldap_settings: Settings
) -> None:
    create_user(
        sessions,
        ldap_settings,
        Principal.system(),
        UserCreate("root", "admin", "管理员", password="Admin-Passw0rd!"),
    )
    assert password_login(sessions, ldap_settings, "root", "Admin-Passw0rd!").user.role == "admin"
    with pytest.raises(Unauthenticated) as refused:
        password_login(sessions, ldap_settings, "root", "wrong-Passw0rd!")
    assert str(refused.value) == BAD_LOGIN  # the same words as for a directory account


def test_a_dn_template_binds_without_a_service_account(
    sessions: SessionFactory, ldap_settings: Settings
) -> None:
    template = ldap_settings.model_copy(
        update={
            "ldap_user_dn_template": f"uid={{username}},{PEOPLE}",
            "ldap_bind_dn": "",
            "ldap_bind_password": "",
        }
    )
    assert password_login(sessions, template, "zhangsan", PASSWORDS["zhangsan"]).user.role == "office"
    with pytest.raises(Unauthenticated):
        password_login(sessions, template, "zhangsan", "not-the-password")


def test_the_login_page_signs_in_with_the_directory_password_and_explains_a_wrong_one(
    engine: object, ldap_settings: Settings
) -> None:
    with TestClient(create_app(ldap_settings, engine=engine)) as browser:  # type: ignore[arg-type]
        form = browser.get("/login")
        token = form.text.split('name="login_csrf" value="')[1].split('"')[0]
        wrong = browser.post("/login", data={"username": "zhangsan", "password": "nope", "login_csrf": token})
        assert wrong.status_code == 401 and "请输入其目录（LDAP/AD）密码" in wrong.text
        right = browser.post(
            "/login",
            data={"username": "zhangsan", "password": PASSWORDS["zhangsan"], "login_csrf": token},
            follow_redirects=False,
        )
        assert right.status_code == 303 and "eduplan_session" in right.cookies
        api = browser.post("/api/v1/auth/login", json={"username": "lisi", "password": PASSWORDS["lisi"]})
        assert api.status_code == 200 and api.json()["user"]["display_name"] == "李四"


def test_a_one_time_password_gives_way_to_the_directory_at_the_first_directory_sign_in(
    sessions: SessionFactory, ldap_settings: Settings, placed: tuple[int, int]
) -> None:
    made = create_user(
        sessions,
        ldap_settings,
        Principal.system(),
        UserCreate("zhangsan", "office", "张三", org_id=placed[0]),
    )
    assert made.one_time_password and made.user.must_change_password
    result = password_login(sessions, ldap_settings, "zhangsan", PASSWORDS["zhangsan"])
    assert result.user.id == made.user.id and not result.user.must_change_password
    no_ldap = ldap_settings.model_copy(update={"ldap_url": ""})
    with pytest.raises(Unauthenticated):  # the one-time password no longer opens the account
        password_login(sessions, no_ldap, "zhangsan", made.one_time_password)
