"""我的账户: one's API tokens — listed, made (the secret shown once, on the page that answers the
form) and revoked — beside the link to change one's password; one's e-mail address and calendar
feed (their forms in `account_notify`).  Plain CSRF-checked forms, no
JavaScript.  Every token of an account is revoked when its password changes (`accounts.revocation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse

from eduplan.services import accounts
from eduplan.services.accounts.contact import email_of
from eduplan.services.errors import Invalid
from eduplan.services.notify.calendar import feed_created
from eduplan.web.deps import Id, SessionsDep
from eduplan.web.pages.access import FormUser, PageUser
from eduplan.web.pages.render import redirect, render

router = APIRouter(include_in_schema=False)
MAX_DAYS = 3650


@dataclass
class AccountPage:
    """What the account page shows; `new_secret` only on the answer to the form that made it."""

    username: str
    role: str
    tokens: list[accounts.TokenView]
    email: str | None = None
    calendar_since: datetime | None = None
    """When the current calendar URL was made (None: no feed)."""
    new_calendar_url: str | None = None
    """A calendar URL just made: shown on this answer only."""
    email_error: str | None = None
    new_name: str | None = None
    new_secret: str | None = None
    error: str | None = None


def _page(
    request: Request, who: accounts.Principal, sessions: SessionsDep, status: int = 200, **extra: object
) -> Response:
    tokens = accounts.list_tokens(sessions, who)
    contact = {"email": email_of(sessions, who.user_id), "calendar_since": feed_created(sessions, who)}
    data = AccountPage(who.username, who.role, tokens, **(contact | extra))  # type: ignore[arg-type]
    return render(request, "auth/account.html", data, status)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, who: PageUser, sessions: SessionsDep) -> Response:
    """One's account: change the password, the API tokens."""
    return _page(request, who, sessions)


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    who: FormUser,
    sessions: SessionsDep,
    name: Annotated[str, Form(max_length=200)] = "",
    days: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Make an API token; its secret is on this answer only."""
    try:
        if not name.strip():
            raise Invalid("请填写令牌名称（例如对接的系统名）")
        valid = int(days) if days.strip() else None
        if valid is not None and not 1 <= valid <= MAX_DAYS:
            raise ValueError
    except ValueError:
        return _page(
            request, who, sessions, 422, error=f"有效天数须为 1 到 {MAX_DAYS} 之间的整数，或留空表示长期有效"
        )
    except Invalid as exc:
        return _page(request, who, sessions, 422, error=str(exc))
    made = accounts.create_token(sessions, who, name, valid)
    return _page(request, who, sessions, 201, new_name=made.token.name, new_secret=made.secret)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: Id, who: FormUser, sessions: SessionsDep) -> Response:
    """Revoke one of one's API tokens."""
    accounts.revoke_token(sessions, who, token_id)
    return redirect("/account#tokens", "令牌已撤销")
