"""统一身份认证登录 (OIDC): ``/login/oidc`` sends the browser to the provider, and
``/login/oidc/callback`` signs it in when it comes back (`services.accounts.oidc`).

The state, nonce and PKCE verifier wait in the ``eduplan_oidc`` cookie (HttpOnly, SameSite=Lax so
that the provider's redirect back carries it, ten minutes, path ``/login/oidc``), not in server
memory: any server process can take the callback.  A refusal shows the login page with the reason.
"""

from __future__ import annotations

import base64
import binascii
import json

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from eduplan.services.accounts import oidc
from eduplan.services.errors import Throttled, Unauthenticated
from eduplan.web.cookies import DEVICE_COOKIE, set_login_cookies, set_private_cookie
from eduplan.web.deps import SessionsDep, SettingsDep
from eduplan.web.login_gate import run_sign_in
from eduplan.web.pages.access import safe_next
from eduplan.web.pages.auth import _login_form
from eduplan.web.pages.render import redirect

router = APIRouter(include_in_schema=False)
OIDC_COOKIE = "eduplan_oidc"
OIDC_PATH = "/login/oidc"
COOKIE_SECONDS = 600


def _callback_url(request: Request, settings: SettingsDep) -> str:
    return settings.oidc_redirect_url or str(request.url_for("oidc_callback"))


def _pending(request: Request) -> tuple[oidc.OidcStart | None, str]:
    """What `begin` gave this browser, and where it wanted to go (a broken cookie is none)."""
    raw = request.cookies.get(OIDC_COOKIE, "")
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode()))
        return oidc.OidcStart("", data["s"], data["n"], data["v"]), safe_next(data.get("next", "/"))
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None, "/"


@router.get(OIDC_PATH)
def oidc_start(request: Request, settings: SettingsDep, next: str = "/") -> Response:
    """Go to the identity provider's sign-in page."""
    try:
        start = oidc.begin(settings, _callback_url(request, settings))
    except Unauthenticated as exc:
        data: dict[str, object] = {"next": safe_next(next), "username": "", "error": str(exc), "field": None}
        return _login_form(request, settings, data, 503)
    response = redirect(start.url)
    value = json.dumps({"s": start.state, "n": start.nonce, "v": start.verifier, "next": safe_next(next)})
    state = base64.urlsafe_b64encode(value.encode()).decode()
    set_private_cookie(
        response, request, settings, OIDC_COOKIE, state, max_age=COOKIE_SECONDS, path=OIDC_PATH
    )
    return response


@router.get(OIDC_PATH + "/callback", name="oidc_callback", response_class=HTMLResponse)
async def oidc_callback(request: Request, sessions: SessionsDep, settings: SettingsDep) -> Response:
    """Back from the provider: sign in, then on to where the person was going.  The calls to the
    provider run on the sign-in threads (`login_gate`), not on those serving pages."""
    expected, target = _pending(request)
    params = {k: v[:2000] for k, v in request.query_params.items()}
    try:
        result = await run_sign_in(
            request,
            settings,
            oidc.finish,
            sessions,
            settings,
            _callback_url(request, settings),
            params,
            expected,
            device=request.cookies.get(DEVICE_COOKIE),
        )
    except (Unauthenticated, Throttled) as exc:  # Throttled: too many sign-ins waiting at once
        data: dict[str, object] = {"next": target, "username": "", "error": str(exc), "field": None}
        response = _login_form(request, settings, data, 429 if isinstance(exc, Throttled) else 401)
    else:
        response = redirect(target)
        set_login_cookies(response, request, settings, result)
    response.delete_cookie(OIDC_COOKIE, path=OIDC_PATH)  # a state is good for one callback only
    return response
