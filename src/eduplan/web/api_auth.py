"""Sign-in and accounts under ``/api/v1/auth`` and ``/api/v1/users``.

``POST /auth/login`` sets the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS, see
`web.cookies`) and returns the CSRF token that cookie-authenticated writes send back in
``X-CSRF-Token``; it is throttled like the login page (429 with Retry-After) and refuses a post whose
``Origin`` is another site.  API tokens for other systems are made under ``/auth/tokens`` and shown
once; all of them are revoked when the password changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from eduplan.services import accounts
from eduplan.services.accounts.contact import set_email as set_user_email
from eduplan.services.errors import Forbidden
from eduplan.web.cookies import same_origin, set_login_cookies
from eduplan.web.deps import SESSION_COOKIE, CurrentUser, Id, SessionsDep, SettingsDep, SignedIn
from eduplan.web.login_gate import password_sign_in, run_sign_in
from eduplan.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["access"], responses={401: PROBLEM_RESPONSES[401]})


class LoginIn(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=100)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class PasswordIn(BaseModel):
    current: str
    new: Annotated[str, Field(max_length=1024)]


class TokenIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    days: Annotated[
        int | None, Field(ge=1, le=3650, description="Valid for this many days; none: until revoked.")
    ] = None


class UserIn(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=100)]
    role: str = Field(description="admin, leader, office, reporter or viewer")
    display_name: str = ""
    org_id: int | None = None
    unit_id: int | None = None
    password: str | None = Field(default=None, description="None: a one-time password is made and returned.")
    email: str | None = Field(default=None, description="Where e-mail notices go.")


class EmailIn(BaseModel):
    email: Annotated[
        str | None, Field(max_length=300, description="Where e-mail notices go; null or empty: none.")
    ]


class ActiveIn(BaseModel):
    active: bool = Field(description="false: deactivate (停用, its sessions end); true: reactivate.")


@dataclass
class SessionOut:
    """Who signed in, the CSRF token for writes, when the session ends."""

    user: accounts.UserView
    csrf_token: str
    expires_at: datetime


@dataclass
class MeOut:
    user_id: int | None
    username: str
    role: str
    role_label: str
    org_id: int | None
    unit_id: int | None
    must_change_password: bool
    csrf_token: str | None


@router.post("/auth/login", responses={403: PROBLEM_RESPONSES[403], 429: PROBLEM_RESPONSES[429]})
async def login(
    body: LoginIn, request: Request, response: Response, sessions: SessionsDep, settings: SettingsDep
) -> SessionOut:
    """Sign in with user name and password: sets the session cookie.  Throttled per client address
    and account (429 with Retry-After); a browser that signed in before keeps its own allowance."""
    if not same_origin(request):
        raise Forbidden("登录请求来自其他网站，已拒绝", "csrf")
    result = await password_sign_in(request, sessions, settings, body.username, body.password)
    set_login_cookies(response, request, settings, result)
    return SessionOut(result.user, result.csrf_token, result.expires_at)


@router.post("/auth/logout", status_code=204)
def logout(request: Request, _who: SignedIn, sessions: SessionsDep) -> Response:
    """End the session of the cookie."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        accounts.logout(sessions, cookie)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/auth/me")
def me(who: SignedIn) -> MeOut:
    """The signed-in user, and the session's CSRF token."""
    return MeOut(
        who.user_id,
        who.username,
        who.role,
        accounts.ROLE_LABELS.get(who.role, who.role),
        who.org_id,
        who.unit_id,
        who.must_change_password,
        who.csrf_token,
    )


@router.post("/auth/password", status_code=204, responses={429: PROBLEM_RESPONSES[429]})
async def change_password(
    body: PasswordIn, request: Request, who: SignedIn, sessions: SessionsDep, settings: SettingsDep
) -> Response:
    """Replace one's password (the one-time password first of all): one's other sessions end and
    one's API tokens are revoked.  Wrong current passwords are throttled like logins."""
    await run_sign_in(
        request, settings, accounts.change_password, sessions, settings, who, body.current, body.new
    )
    return Response(status_code=204)


@router.post("/auth/tokens", status_code=201)
def create_token(body: TokenIn, who: CurrentUser, sessions: SessionsDep) -> accounts.NewToken:
    """A new API token acting as oneself; the secret is in this answer only."""
    return accounts.create_token(sessions, who, body.name, body.days)


@router.get("/auth/tokens")
def list_tokens(who: CurrentUser, sessions: SessionsDep) -> list[accounts.TokenView]:
    """One's API tokens (without secrets)."""
    return accounts.list_tokens(sessions, who)


@router.delete("/auth/tokens/{token_id}", status_code=204)
def revoke_token(token_id: Id, who: CurrentUser, sessions: SessionsDep) -> Response:
    """Revoke an API token."""
    accounts.revoke_token(sessions, who, token_id)
    return Response(status_code=204)


@router.get("/users", responses={403: PROBLEM_RESPONSES[403]})
def list_users(who: CurrentUser, sessions: SessionsDep) -> list[accounts.UserView]:
    """Accounts (administrators: all; office staff: their organisation's)."""
    return accounts.list_users(sessions, who)


@router.post("/users", status_code=201, responses={403: PROBLEM_RESPONSES[403], 409: PROBLEM_RESPONSES[409]})
def create_user(
    body: UserIn, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep
) -> accounts.NewUser:
    """Create an account; without a password, its one-time password is returned once."""
    new = accounts.UserCreate(
        body.username, body.role, body.display_name, body.org_id, body.unit_id, body.password, body.email
    )
    return accounts.create_user(sessions, settings, who, new)


@router.put(
    "/users/{user_id}/active",
    responses={403: PROBLEM_RESPONSES[403], 404: PROBLEM_RESPONSES[404]},
)
def set_active(user_id: Id, body: ActiveIn, who: CurrentUser, sessions: SessionsDep) -> accounts.UserView:
    """Deactivate or reactivate an account (administrators: anyone but themselves; office staff:
    their organisation's, not administrators)."""
    return accounts.set_active(sessions, who, user_id, body.active)


@router.put(
    "/users/{user_id}/email",
    responses={403: PROBLEM_RESPONSES[403], 404: PROBLEM_RESPONSES[404], 422: PROBLEM_RESPONSES[422]},
)
def set_email(user_id: Id, body: EmailIn, who: CurrentUser, sessions: SessionsDep) -> accounts.UserView:
    """Set or clear an account's e-mail address (one's own; administrators and office staff: the
    accounts they manage).  E-mail notices carry a link to the page they are about."""
    return set_user_email(sessions, who, user_id, body.email)
