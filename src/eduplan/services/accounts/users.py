"""Use cases on accounts: create users (administrators, staff, reporters), list them, change a
password, deactivate and reactivate them.  There is no default password anywhere: an account made
without one gets a one-time password, shown once to whoever made it, that must be changed at first
sign-in.  A deactivated (停用) account cannot sign in (it is told the same as for a wrong password);
its sessions end, its API tokens are revoked and its known browsers forgotten.  Changing one's
password ends one's other sessions and revokes one's API tokens (`revocation`); guessing the current
password there is throttled like a login (`throttle`, per account).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from eduplan.choices import ROLE_LABELS
from eduplan.config import Settings
from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation, Unit
from eduplan.services.accounts import devices, throttle
from eduplan.services.accounts.emails import clean_email
from eduplan.services.accounts.passwords import (
    check_password,
    hash_password,
    one_time_password,
    password_check,
)
from eduplan.services.accounts.principal import Principal
from eduplan.services.accounts.revocation import end_access
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from eduplan.services.view_rows import from_row

DEFAULT_ADMIN = "admin"


@dataclass(kw_only=True)
class UserView:
    """An account as others see it (never its hash)."""

    id: int
    username: str
    display_name: str
    role: str
    org_id: int | None
    org_name: str | None
    unit_id: int | None
    unit_name: str | None
    active: bool
    must_change_password: bool
    email: str | None = None


@dataclass
class UserCreate:
    """A new account; without `password` a one-time password is made."""

    username: str
    role: str
    display_name: str = ""
    org_id: int | None = None
    unit_id: int | None = None
    password: str | None = None
    email: str | None = None


@dataclass
class NewUser:
    """A created account and, when one was made for it, its one-time password (shown once)."""

    user: UserView
    one_time_password: str | None


def user_view(u: User) -> UserView:
    return from_row(
        UserView,
        u,
        org_name=u.organisation.name if u.organisation else None,
        unit_name=u.unit.name if u.unit else None,
    )


def principal_of(u: User, csrf_token: str | None = None) -> Principal:
    """The principal a signed-in user acts as."""
    path = u.organisation.path if u.organisation else None
    return Principal(u.id, u.username, u.role, u.org_id, path, u.unit_id, u.must_change_password, csrf_token)


def _check_placement(session: Session, actor: Principal, new: UserCreate) -> None:
    if new.role not in ROLE_LABELS:
        raise Invalid(f"未知角色 {new.role}（可选：{'、'.join(ROLE_LABELS)}）")
    if not new.username.strip() or len(new.username) > 100:
        raise Invalid("用户名不能为空，且不超过 100 个字符")
    clean_email(new.email)
    if new.role == "admin":
        if not actor.is_admin:
            raise Forbidden("只有管理员可以创建管理员")
        return
    org = session.get(Organisation, new.org_id) if new.org_id is not None else None
    if org is None:
        raise Invalid("请指定用户所属机构", fields={"org_id": "请选择用户所属机构"})
    if not actor.is_admin and not actor.sees_org(org.path):
        raise Forbidden("只能为本机构及下级机构创建用户")
    if new.role == "reporter":
        unit = session.get(Unit, new.unit_id) if new.unit_id is not None else None
        if unit is None or unit.org_id != org.id:
            raise Invalid("单位填报员须指定本机构的一个单位", fields={"unit_id": "请选择本机构的一个单位"})
    elif new.unit_id is not None:
        raise Invalid("只有单位填报员属于某个单位")


def create_user(sessions: SessionFactory, settings: Settings, actor: Principal, new: UserCreate) -> NewUser:
    """Create an account (administrators anywhere, office staff in their own organisation)."""
    if not actor.is_admin:
        actor.require_manager()
    password = new.password
    if password is not None:
        check_password(password, new.username, settings)
    else:
        password = one_time_password()
    try:
        with sessions.begin() as session:
            _check_placement(session, actor, new)
            user = User(
                username=new.username.strip(),
                display_name=new.display_name.strip() or new.username.strip(),
                email=clean_email(new.email),
                password_hash=hash_password(settings, password),
                role=new.role,
                org_id=None if new.role == "admin" else new.org_id,
                unit_id=new.unit_id if new.role == "reporter" else None,
                active=True,
                must_change_password=new.password is None,
                created_at=utcnow(),
            )
            session.add(user)
            session.flush()
            view = user_view(user)
            after = {
                "username": view.username,
                "role": view.role,
                "org_id": view.org_id,
                "unit_id": view.unit_id,
            }
            record(session, actor, "create", "user", user.id, None, view.org_id, None, after)
    except IntegrityError as exc:
        raise Conflict(f"用户名 {new.username} 已存在") from exc
    return NewUser(view, None if new.password is not None else password)


def create_admin(sessions: SessionFactory, settings: Settings, username: str = DEFAULT_ADMIN) -> NewUser:
    """An administrator with a one-time password (``eduplan admin create``)."""
    return create_user(sessions, settings, Principal.system(), UserCreate(username, "admin", "系统管理员"))


def ensure_admin(sessions: SessionFactory, settings: Settings) -> NewUser | None:
    """The first administrator, when no active one exists yet (first ``eduplan serve``)."""
    with sessions() as session:
        found = session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True))).first()
        taken = session.scalars(select(User.id).where(User.username == DEFAULT_ADMIN)).first()
    if found is not None:
        return None
    name = DEFAULT_ADMIN if taken is None else f"{DEFAULT_ADMIN}-{utcnow():%Y%m%d%H%M%S}"
    return create_admin(sessions, settings, name)


def list_users(sessions: SessionFactory, actor: Principal) -> list[UserView]:
    """Accounts the actor may see: all for administrators, their organisation's for office staff."""
    actor.require_manager()
    with sessions() as session:
        # each account's organisation and unit read with it, not one statement per account
        loaded = (selectinload(User.organisation), selectinload(User.unit))
        users = session.scalars(select(User).options(*loaded).order_by(User.username, User.id)).all()
        return [
            user_view(u)
            for u in users
            if actor.is_admin or (u.organisation is not None and actor.sees_org(u.organisation.path))
        ]


def change_password(
    sessions: SessionFactory, settings: Settings, actor: Principal, current: str | None, new: str
) -> None:
    """Replace the actor's password: its other sessions end and its API tokens are revoked.  Wrong
    current passwords are throttled per account (`Throttled` once `login_max_failures` are used).
    `current` None: the first password of an account that still has its one-time password — the
    session was opened by typing it a moment ago, so it is not asked for again (the new one must
    still differ from it)."""
    if actor.user_id is None:
        raise Forbidden("系统身份没有密码")
    check_password(new, actor.username, settings)
    now = utcnow()
    limits = [throttle.Limit("password", str(actor.user_id), settings.login_max_failures)]
    throttle.check(sessions, settings, limits, now)
    with sessions() as session:
        found = session.execute(
            select(User.password_hash, User.must_change_password).where(User.id == actor.user_id)
        ).first()
    if found is None:
        raise NotFound("找不到用户")
    stored, first_run = found
    if current is None:
        if not first_run:
            raise Unauthenticated("请输入当前密码")
        with password_check(settings) as verify:
            if verify(stored, new):
                raise Invalid("新密码不能与一次性密码相同")
    else:
        with password_check(settings) as verify:
            throttle.reserve(sessions, settings, limits, now)
            matches = verify(stored, current)
        if not matches:
            raise Unauthenticated("当前密码不正确")
        throttle.forgive(sessions, limits, limits)
        if new == current:
            raise Invalid("新密码不能与当前密码相同")
    new_hash = hash_password(settings, new)
    with sessions.begin() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise NotFound("找不到用户")
        user.password_hash = new_hash
        user.must_change_password = False
        ended = end_access(session, user.id, now, keep_session_csrf=actor.csrf_token)
        after = {"sessions_ended": ended.sessions, "tokens_revoked": ended.tokens}
        record(session, actor, "change_password", "user", user.id, None, user.org_id, None, after)


def set_active(sessions: SessionFactory, actor: Principal, user_id: int, active: bool) -> UserView:
    """Deactivate (停用) or reactivate an account: administrators anyone but themselves, office staff
    the accounts of their organisation (and those below it) but not administrators.  Deactivating
    ends the account's sessions, revokes its API tokens and forgets its browsers.  Audited when it
    changes anything."""
    actor.require_manager()
    with sessions.begin() as session:
        user = session.get(User, user_id)
        in_scope = user is not None and (
            actor.is_admin
            or user.role == "admin"
            or (user.organisation is not None and actor.sees_org(user.organisation.path))
        )
        if user is None or not in_scope:
            raise NotFound(f"找不到用户 {user_id}")
        if user.id == actor.user_id:
            raise Forbidden("不能停用或启用自己的账户")
        if user.role == "admin" and not actor.is_admin:
            raise Forbidden("只有管理员可以停用或启用管理员账户")
        if user.active != active:
            user.active = active
            if not active:
                end_access(session, user.id, utcnow())
                devices.forget_all(session, user.id)
            action = "activate" if active else "deactivate"
            record(
                session,
                actor,
                action,
                "user",
                user.id,
                None,
                user.org_id,
                {"active": not active},
                {"active": active},
            )
        session.flush()
        return user_view(user)
