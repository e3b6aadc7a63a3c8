"""统一身份认证 by LDAP / Active Directory: bind authentication and group → role mapping (ldap3).

`password_login` is the sign-in of the login form and ``POST /api/v1/auth/login``.  Without
`ldap_url` it is the local password login of `auth`.  With it, the person is looked up in the
directory — by a search as the service account (`ldap_bind_dn`, `ldap_user_filter` under
`ldap_user_base`) or by a DN template — and the password is checked by binding as that DN; the
groups (``memberOf`` and a group search) give the role through `sso_role_map`, the name comes from
displayName/cn, and the local account is made or updated (`external`).  A name the directory does
not know falls back to the local accounts (small bureaus, the first administrator), so an outage of
the directory leaves local accounts working.

Failures count against the same login throttle as local passwords (`throttle`, in the database):
the failure is reserved before the bind, forgiven on success.  The refusal says the same for a
wrong password and an unknown name, so it tells nobody which names exist.  An empty password is
refused before any bind (an LDAP bind with an empty password is an anonymous bind that succeeds).
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Unpack

from ldap3 import BASE, NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn
from sqlalchemy import func, select

from eduplan.config import Settings
from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import devices, throttle
from eduplan.services.accounts.auth import Client, LoginResult, login, login_limits, start_session
from eduplan.services.accounts.external import ExternalProfile, provision
from eduplan.services.clock import utcnow
from eduplan.services.errors import Unauthenticated

BAD_LOGIN = "用户名或密码错误：单位统一身份认证账户请输入其目录（LDAP/AD）密码，本系统账户请输入本系统密码"
_DOWN = "暂时无法连接单位统一身份认证目录（LDAP），请稍后再试；本系统账户不受影响"


@dataclass(kw_only=True)
class DirectoryEntry:
    """A person found in the directory: the DN to bind as, and what it says of them."""

    dn: str
    attributes: dict[str, list[str]]


def _server(settings: Settings) -> Server:
    tls = None
    if settings.ldap_start_tls or settings.ldap_url.startswith("ldaps"):  # ldap3 checks nothing by default
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings.ldap_ca_file or None)
    return Server(settings.ldap_url, get_info=NONE, connect_timeout=settings.ldap_timeout_seconds, tls=tls)


def _connection(settings: Settings, dn: str | None, password: str | None) -> Connection:
    conn = Connection(
        _server(settings),
        user=dn,
        password=password,
        receive_timeout=max(1, round(settings.ldap_timeout_seconds)),
        raise_exceptions=False,
        read_only=True,
    )
    conn.open()
    if settings.ldap_start_tls:
        conn.start_tls()
    return conn


def _wanted(settings: Settings) -> list[str]:
    names = [*settings.ldap_name_attributes, settings.ldap_email_attribute, "memberOf"]
    names += [a for a in (settings.ldap_org_attribute, settings.ldap_unit_attribute) if a]
    return names


def _values(conn: Connection) -> list[DirectoryEntry]:
    found = []
    for item in conn.response or []:
        if item.get("type") == "searchResEntry":
            attrs = {
                k.lower(): [str(v) for v in (vs if isinstance(vs, list) else [vs])]
                for k, vs in item["attributes"].items()
            }
            found.append(DirectoryEntry(dn=item["dn"], attributes=attrs))
    return found


def find_user(settings: Settings, username: str) -> DirectoryEntry | None:
    """The directory entry of a login name (None: unknown there); `LDAPException` when unreachable."""
    if settings.ldap_user_dn_template:
        return DirectoryEntry(
            dn=settings.ldap_user_dn_template.format(username=escape_rdn(username)), attributes={}
        )
    conn = _connection(settings, settings.ldap_bind_dn or None, settings.ldap_bind_password or None)
    try:
        if settings.ldap_bind_dn and not conn.bind():
            raise LDAPException(f"service account bind refused: {conn.result.get('description')}")
        query = settings.ldap_user_filter.format(username=escape_filter_chars(username))
        conn.search(settings.ldap_user_base, query, SUBTREE, attributes=_wanted(settings), size_limit=2)
        entries = _values(conn)
    finally:
        conn.unbind()
    return entries[0] if len(entries) == 1 else None  # two people under one name: neither


def authenticate(
    settings: Settings, entry: DirectoryEntry, username: str, password: str
) -> ExternalProfile | None:
    """Bind as the person; their profile on success, None for a wrong password."""
    if not password:
        return None
    conn = _connection(settings, entry.dn, password)
    try:
        if not conn.bind():
            return None
        attrs = entry.attributes
        if not attrs:  # found by template: read the entry as the person themself
            conn.search(entry.dn, "(objectClass=*)", BASE, attributes=_wanted(settings))
            attrs = next(iter(_values(conn)), DirectoryEntry(dn=entry.dn, attributes={})).attributes
        groups = list(attrs.get("memberof", []))
        if settings.ldap_group_base:
            query = settings.ldap_group_filter.format(
                dn=escape_filter_chars(entry.dn), username=escape_filter_chars(username)
            )
            conn.search(settings.ldap_group_base, query, SUBTREE, attributes=["cn"])
            groups += [found.dn for found in _values(conn)]
    finally:
        conn.unbind()

    def first(*names: str) -> str | None:
        for name in names:
            values = attrs.get(name.lower()) if name else None
            if values and values[0].strip():
                return values[0].strip()
        return None

    return ExternalProfile(
        "ldap",
        username,
        first(*settings.ldap_name_attributes) or username,
        first(settings.ldap_email_attribute),
        groups,
        first(settings.ldap_org_attribute),
        first(settings.ldap_unit_attribute),
    )


def password_login(
    sessions: SessionFactory, settings: Settings, username: str, password: str, **client: Unpack[Client]
) -> LoginResult:
    """Sign in with a user name and password: the directory's when LDAP is configured and knows the
    name, else the local account's (`auth.login`).  Throttled alike (`Throttled`)."""
    if not settings.ldap_url:
        return login(sessions, settings, username, password, **client)
    now = client["now"] = client.get("now") or utcnow()
    address, device = client.get("address"), client.get("device")
    name = username.strip()
    with sessions() as session:
        user_id = session.scalars(select(User.id).where(func.lower(User.username) == name.lower())).first()
        known = user_id is not None and devices.known(session, settings, device, user_id, now)
    limits, clear = login_limits(settings, name.lower(), address, device if known else None)
    throttle.check(sessions, settings, limits, now)
    throttle.reserve(sessions, settings, limits, now)
    try:
        entry = find_user(settings, name)
        profile = authenticate(settings, entry, name, password) if entry is not None else None
    except LDAPException:
        entry, profile, down = None, None, True
    else:
        down = False
    if profile is None and settings.ldap_user_dn_template:
        entry = None  # a template cannot tell an unknown name from a wrong password: local may know it
    if entry is None:  # not in the directory (or it is down): the local accounts decide
        throttle.forgive(sessions, limits, [])
        try:
            return login(sessions, settings, username, password, **client)
        except Unauthenticated as exc:
            raise Unauthenticated(_DOWN if down else BAD_LOGIN) from exc
    if profile is None:
        raise Unauthenticated(BAD_LOGIN)
    throttle.forgive(sessions, limits, clear)
    return start_session(sessions, settings, provision(sessions, settings, profile), now, device)
