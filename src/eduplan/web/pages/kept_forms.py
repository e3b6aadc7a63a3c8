"""The web side of `services.kept_forms`: a report form posted after its session ended is kept and
its writer sent to sign in again, told that the text is safe; back on the form, the text is put back
into its rows, not yet saved, and the page says so.

The posted form reaches the login redirect through the request's scope (``POSTED_FORM``): the form
dependency of the page leaves it there before the session is checked, and the exception handler
(`web.pages.errors`) sees the same scope but not the parsed body.
"""

from __future__ import annotations

from fastapi import Request, Response
from starlette.datastructures import FormData, UploadFile

from eduplan.services.kept_forms import KEPT_PATHS, MAX_AGE, keep, session_owner, take
from eduplan.web.cookies import set_private_cookie
from eduplan.web.deps import SESSION_COOKIE
from eduplan.web.pages.render import redirect

POSTED_FORM = "eduplan.posted_form"
KEPT_COOKIE = "eduplan_kept"
SKIPPED = ("csrf_token", "action")
KEPT_MESSAGE = "登录已过期或已在其他页面退出。您填写的内容已暂存在服务器上，重新登录后会自动填回表单（所选文件需重新选择）。"
RESTORED_MESSAGE = (
    "已填回您登录过期前填写的内容，尚未保存：请核对后点“保存草稿”或“报送”。所选文件需重新选择。"
)


def remember_form(request: Request, form: FormData) -> None:
    """Leave a parsed form where the login redirect can keep it."""
    request.scope[POSTED_FORM] = form


def keep_posted(request: Request, login: str) -> Response | None:
    """The redirect to `login` with the posted form kept (None: nothing to keep here)."""
    form = request.scope.get(POSTED_FORM)
    if request.method != "POST" or request.url.path not in KEPT_PATHS or not isinstance(form, FormData):
        return None
    fields = [(k, v) for k, v in form.multi_items() if isinstance(v, str) and k not in SKIPPED]
    settings, sessions = request.app.state.settings, request.app.state.sessions
    owner = session_owner(sessions, request.cookies.get(SESSION_COOKIE))
    token = keep(settings, owner, request.url.path, fields)
    if token is None:
        return None
    response = redirect(login, KEPT_MESSAGE, "warn")
    set_private_cookie(response, request, settings, KEPT_COOKIE, token, max_age=MAX_AGE)
    return response


def restored_form(request: Request, user_id: int | None) -> FormData | None:
    """The form kept for this page and user, taken (once), as a `FormData` to read rows from."""
    kept = take(request.app.state.settings, request.cookies.get(KEPT_COOKIE), user_id, request.url.path)
    if kept is None:
        return None
    fields: list[tuple[str, str | UploadFile]] = list(kept.fields)
    return FormData(fields)
