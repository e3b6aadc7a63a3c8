"""单位与用户 (/admin), for administrators and office staff: the units (科室, 直属单位) of the
organisations in the user's scope with their other names (add a unit, add an alias), and the
accounts (create one with its role, organisation and unit).

A new account gets a one-time password, shown once on the page that answers the form (never
stored in clear, never put in a cookie or URL; the page is sent with ``Cache-Control: no-store``);
administrators can reset an account to a new one the same way (`accounts.reset`).  An account can
be deactivated (停用: it can no longer sign in, its sessions end) and reactivated, after a
confirmation (``data-confirm``, asked by app.js; without JavaScript the button acts at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from eduplan.db.engine import SessionFactory
from eduplan.services import accounts, loop
from eduplan.services import registry as reg
from eduplan.services.accounts import Principal
from eduplan.services.accounts.reset import reset_password
from eduplan.services.errors import Conflict, Invalid, NotFound
from eduplan.services.registry.views import OrgView, UnitView
from eduplan.web.deps import Id, SessionsDep, SettingsDep
from eduplan.web.pages.access import FormUser, PageUser
from eduplan.web.pages.render import Fields, FormsPage, page, redirect, render, render_refused
from eduplan.web.pages.supervision import as_id

router = APIRouter(include_in_schema=False)
LIST_LIMIT = 1000
ALIAS_SPLIT = str.maketrans({"、": ",", "，": ",", "；": ",", ";": ",", "\n": ","})


@dataclass(kw_only=True)
class OrgUnits:
    org: OrgView
    units: list[UnitView]


@dataclass(kw_only=True)
class AdminPage(FormsPage):
    """Units and users in scope; `form` is unit, alias-{unit_id} or user."""

    orgs: list[OrgUnits]
    users: list[accounts.UserView]
    roles: list[tuple[str, str]]
    is_admin: bool
    me: int | None = None
    """The signed-in user, who cannot deactivate themselves."""


def build(sessions: SessionFactory, who: Principal) -> AdminPage:
    """What the page shows: the organisations in scope with their units, and the accounts."""
    who.require_manager()
    users = accounts.list_users(sessions, who)
    orgs = [
        o for o in reg.list_orgs(sessions, None, LIST_LIMIT, 0).items if who.is_admin or who.sees_org(o.path)
    ]
    units: dict[int, list[UnitView]] = {}
    for u in reg.list_units(sessions, None, LIST_LIMIT, 0).items:
        units.setdefault(u.org_id, []).append(u)
    roles = [(k, v) for k, v in accounts.ROLE_LABELS.items() if who.is_admin or k != "admin"]
    return AdminPage(
        orgs=[OrgUnits(org=o, units=units.get(o.id, [])) for o in orgs],
        users=users,
        roles=roles,
        is_admin=who.is_admin,
        me=who.user_id,
    )


@page(router, "/admin", "admin/index.html")
def admin_page(request: Request, who: PageUser, sessions: SessionsDep) -> AdminPage:
    """Units and users of the organisations in scope."""
    return build(sessions, who)


def _again(
    request: Request, sessions: SessionFactory, who: Principal, form: str, values: Fields, errors: Fields
) -> Response:
    return render_refused(request, "admin/index.html", build(sessions, who), form, values, errors)


def aliases_of(text: str) -> list[str]:
    """Other names typed as a list: separated by 、，; or new lines."""
    return [a.strip() for a in text.translate(ALIAS_SPLIT).split(",") if a.strip()]


@router.post("/admin/units", response_class=HTMLResponse)
def add_unit(
    request: Request,
    who: FormUser,
    sessions: SessionsDep,
    org_id: Annotated[str, Form()] = "",
    name: Annotated[str, Form(max_length=500)] = "",
    aliases: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Add a unit (or, when the name is known, the other names to it)."""
    values = {"org_id": org_id, "name": name, "aliases": aliases}
    if not name.strip():
        return _again(request, sessions, who, "unit", values, {"name": "请填写单位名称"})
    try:
        added = loop.add_unit(sessions, who, as_id(org_id) or 0, name, aliases_of(aliases))
    except NotFound:
        return _again(request, sessions, who, "unit", values, {"org_id": "请选择本机构或下级机构"})
    except Invalid as exc:
        where = "aliases" if "另一单位" in str(exc) else "name"
        return _again(request, sessions, who, "unit", values, {where: str(exc)})
    word = "已添加单位" if added.created else "该单位已在目录中，已补充其他名称："
    return redirect(f"/admin#unit-{added.unit.id}", f"{word}{added.unit.name}")


@router.post("/admin/units/{unit_id}/aliases", response_class=HTMLResponse)
def add_alias(
    request: Request,
    unit_id: Id,
    who: FormUser,
    sessions: SessionsDep,
    alias: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Give a unit another name (简称, 曾用名) the import will recognise."""
    form, values = f"alias-{unit_id}", {"alias": alias}
    unit = reg.get_unit(sessions, unit_id)
    if not alias.strip():
        return _again(request, sessions, who, form, values, {"alias": "请填写其他名称"})
    try:
        loop.add_unit(sessions, who, unit.org_id, unit.name, aliases_of(alias))
    except Invalid as exc:
        return _again(request, sessions, who, form, values, {"alias": str(exc)})
    return redirect(f"/admin#unit-{unit_id}", f"已为“{unit.name}”添加其他名称：{alias.strip()}")


@dataclass(kw_only=True)
class PasswordPage:
    """The page that shows a one-time password, once."""

    username: str
    display_name: str
    role: str
    password: str
    reset: bool


def _show_password(request: Request, user: accounts.UserView, password: str, *, reset: bool) -> Response:
    data = PasswordPage(
        username=user.username, display_name=user.display_name, role=user.role, password=password, reset=reset
    )
    response = render(request, "admin/password.html", data, 201 if not data.reset else 200)
    response.headers["Cache-Control"] = "no-store"
    return response


class UserForm(BaseModel):
    """The new-account form as typed (kept as typed when refused)."""

    username: str = Field("", max_length=200)
    display_name: str = Field("", max_length=200)
    role: str = Field("", max_length=20)
    org_id: str = ""
    unit_id: str = ""
    email: str = Field("", max_length=500)


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(
    request: Request,
    who: FormUser,
    sessions: SessionsDep,
    settings: SettingsDep,
    typed: Annotated[UserForm, Form()],
) -> Response:
    """Create an account with a one-time password, shown on the next page only."""
    values = typed.model_dump()
    email = typed.email.strip() or None
    new = accounts.UserCreate(
        typed.username.strip(),
        typed.role,
        typed.display_name,
        as_id(typed.org_id),
        as_id(typed.unit_id),
        None,
        email,
    )
    try:
        made = accounts.create_user(sessions, settings, who, new)
    except (Invalid, Conflict) as exc:
        return _again(request, sessions, who, "user", values, {_user_field(str(exc)): str(exc)})
    assert made.one_time_password is not None
    return _show_password(request, made.user, made.one_time_password, reset=False)


def _user_field(message: str) -> str:
    for word, name in (
        ("用户名", "username"),
        ("角色", "role"),
        ("邮箱", "email"),
        ("单位", "unit_id"),
        ("机构", "org_id"),
    ):
        if word in message:
            return name
    return "username"


@router.post("/admin/users/{user_id}/reset", response_class=HTMLResponse)
def reset(
    request: Request, user_id: Id, who: FormUser, sessions: SessionsDep, settings: SettingsDep
) -> Response:
    """A new one-time password for an account (administrators)."""
    user = next((u for u in accounts.list_users(sessions, who) if u.id == user_id), None)
    if user is None:
        raise NotFound(f"找不到用户 {user_id}")
    password = reset_password(sessions, settings, who, user.username)
    return _show_password(request, user, password, reset=True)


@router.post("/admin/users/{user_id}/active", response_class=HTMLResponse)
def set_active(
    request: Request,
    user_id: Id,
    who: FormUser,
    sessions: SessionsDep,
    active: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """停用 (active=0) or 启用 (active=1) an account; its sessions end when deactivated."""
    user = accounts.set_active(sessions, who, user_id, active == "1")
    word = "已启用账户" if user.active else "已停用账户"
    return redirect(f"/admin#user-{user.id}", f"{word} {user.username}")
