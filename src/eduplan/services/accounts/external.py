"""Accounts of people who sign in through 统一身份认证 (an OIDC provider or an LDAP/AD directory).

An `ExternalProfile` is what the directory says about a person: the user name (the configured claim
or the login), the person's name, e-mail, the groups or roles, the organisation and unit.  `provision`
matches it to a local account by user name (case-insensitive) or, with `sso_create_accounts`, makes
one; with `sso_sync_roles` the role, organisation and unit follow the directory at every sign-in,
otherwise they are set at creation and then kept as an administrator sets them.  The name and e-mail
always follow the directory.

Limits: an account is matched by name only — the directory is trusted to own the names it gives out
(a provider that lets people choose their ``preferred_username`` should be matched by ``email`` or a
staff number instead).  Accounts made here have no usable local password (the stored hash is not an
argon2 hash, so every local check fails); an account still holding its one-time password loses it
at its first external sign-in (no one-time password outlives the directory's word); a deactivated
(停用) account stays refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eduplan.choices import ROLE_LABELS
from eduplan.config import Settings
from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation, Unit, UnitAlias
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Unauthenticated
from eduplan.services.registry.orgs import find_org

NO_LOCAL_PASSWORD = "!external"
"""Stored instead of a password hash: no password ever matches it."""
PRECEDENCE = ("admin", "office", "leader", "reporter", "viewer")
"""Of several mapped roles, the first in this order wins."""


@dataclass
class ExternalProfile:
    """A person as the directory describes them (`source`: ``oidc`` or ``ldap``)."""

    source: str
    username: str
    display_name: str = ""
    email: str | None = None
    groups: list[str] = field(default_factory=list)
    org_name: str | None = None
    unit_name: str | None = None


def mapped_role(settings: Settings, groups: Iterable[str]) -> str | None:
    """The eduplan role of a person's groups or roles by `sso_role_map` (keys compared
    case-insensitively; an LDAP group matches by its DN or by its cn)."""
    mapping = {key.strip().lower(): role for key, role in settings.sso_role_map.items()}
    found: set[str] = set()
    for group in groups:
        key = group.strip().lower()
        names = {key}
        if "=" in key:  # cn=eduplan-office,ou=groups,… also matches "eduplan-office"
            names.add(key.split(",", 1)[0].split("=", 1)[1].strip())
        found.update(mapping[name] for name in names if name in mapping)
    return next((role for role in PRECEDENCE if role in found), None)


def _organisation(session: Session, name: str | None) -> Organisation | None:
    return find_org(session, name) if name and name.strip() else None


def _unit(session: Session, org: Organisation | None, name: str | None) -> Unit | None:
    if org is None or not name:
        return None
    name = name.strip()
    unit = session.scalars(select(Unit).where(Unit.org_id == org.id, Unit.name == name)).first()
    if unit is None:  # units are often known by a short name (别名)
        alias = session.scalars(
            select(UnitAlias).where(UnitAlias.org_id == org.id, UnitAlias.name == name)
        ).first()
        unit = alias.unit if alias is not None else None
    return unit


def _placement(
    session: Session, settings: Settings, profile: ExternalProfile
) -> tuple[str, int | None, int | None]:
    """Role, organisation and unit from the directory; `Unauthenticated` saying what is missing."""
    role = mapped_role(settings, profile.groups) or settings.sso_default_role
    if role not in ROLE_LABELS:
        raise Unauthenticated("统一身份认证中您的账户不属于任何可使用本系统的用户组，请联系管理员分配角色")
    if role == "admin":
        return role, None, None
    org_name = profile.org_name or settings.sso_default_org
    org = _organisation(session, org_name)
    if org is None:
        what = f"机构“{org_name}”在本系统中不存在" if org_name else "没有提供所属机构"
        raise Unauthenticated(f"统一身份认证{what}，无法登录，请联系管理员")
    if role != "reporter":
        return role, org.id, None
    unit = _unit(session, org, profile.unit_name)
    if unit is None:
        what = f"单位“{profile.unit_name}”在{org.name}中不存在" if profile.unit_name else "没有提供所属单位"
        raise Unauthenticated(f"统一身份认证{what}，无法作为单位填报员登录，请联系管理员")
    return role, org.id, unit.id


def provision(sessions: SessionFactory, settings: Settings, profile: ExternalProfile) -> int:
    """The id of the local account of a person the directory has just vouched for, made or
    updated as the settings say; `Unauthenticated` for a deactivated or unplaceable account."""
    name = profile.username.strip()
    if not name or len(name) > 100:
        raise Unauthenticated("统一身份认证没有提供可用的用户名，请联系管理员")
    try:
        return _provision(sessions, settings, profile, name)
    except IntegrityError:  # the same person's first sign-in in another window made it meanwhile
        return _provision(sessions, settings, profile, name)


def _provision(sessions: SessionFactory, settings: Settings, profile: ExternalProfile, name: str) -> int:
    system = Principal(None, profile.source, "admin", None, None, None)
    with sessions.begin() as session:
        user = session.scalars(select(User).where(func.lower(User.username) == name.lower())).first()
        if user is None:
            if not settings.sso_create_accounts:
                raise Unauthenticated(f"本系统没有账户“{name}”，请联系管理员开通")
            role, org_id, unit_id = _placement(session, settings, profile)
            user = User(
                username=name,
                display_name=profile.display_name.strip() or name,
                email=profile.email,
                password_hash=NO_LOCAL_PASSWORD,
                role=role,
                org_id=org_id,
                unit_id=unit_id,
                active=True,
                must_change_password=False,
                created_at=utcnow(),
            )
            session.add(user)
            session.flush()
            after = {"username": name, "role": role, "org_id": org_id, "unit_id": unit_id}
            record(
                session,
                system,
                "create",
                "user",
                user.id,
                None,
                org_id,
                None,
                after | {"source": profile.source},
            )
            return user.id
        if not user.active:
            raise Unauthenticated("该账户已停用，不能登录；如需恢复请联系管理员")
        before = {"role": user.role, "org_id": user.org_id, "unit_id": user.unit_id}
        if settings.sso_sync_roles:
            user.role, user.org_id, user.unit_id = _placement(session, settings, profile)
        after = {"role": user.role, "org_id": user.org_id, "unit_id": user.unit_id}
        if after != before:
            record(session, system, "update", "user", user.id, None, user.org_id, before, after)
        if user.must_change_password:  # a one-time password is a bootstrap the directory replaces
            user.password_hash, user.must_change_password = NO_LOCAL_PASSWORD, False
            record(
                session, system, "disable_one_time_password", "user", user.id, None, user.org_id, None, None
            )
        user.display_name = profile.display_name.strip() or user.display_name
        user.email = profile.email or user.email
        return user.id
