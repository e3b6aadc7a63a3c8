"""The forms of the task's life on 任务详情 (/items/{item_id}, issue 14): a unit's reporter signs (签收),
refuses (退回, proposing the right unit), asks for an extension (延期) or to close its part (办结);
office staff decide each request; a unit signs for an urge.  Each posts, then redirects back
(Post/Redirect/Get); a refused one re-renders the page with the message beside its form (409 for
a concurrent transition, with the current version so that the next try is knowing).  The rules
are in `services.loop.life` and `life_requests`, the same the API calls.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from eduplan.services.errors import Conflict, Invalid, NotFound, StaleVersion
from eduplan.services.loop import life, life_requests
from eduplan.services.tracking.life import request_item
from eduplan.web.deps import Id, SessionsDep, SettingsDep, Today
from eduplan.web.pages.access import FormUser
from eduplan.web.pages.render import redirect
from eduplan.web.pages.tasks import Form, _refused, _text, _version

router = APIRouter(include_in_schema=False)
REFUSED = (Invalid, Conflict, StaleVersion)


def _unit(text: str) -> int | None:
    return int(text) if text.isdigit() else None


@router.post("/items/{item_id}/life/sign")
def sign(
    request: Request,
    item_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """签收 the unit's part of the task."""
    try:
        life.sign(sessions, who, item_id, _version(form), settings.sign_working_days)
    except REFUSED as exc:
        deps = (sessions, settings, today)
        return _refused(request, who, item_id, deps, "life", exc, {}, version=_text(form, "version"))
    return redirect(f"/items/{item_id}#life", "已签收")


@router.post("/items/{item_id}/life/refuse")
def refuse(
    request: Request,
    item_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """退回: not this unit's duty, with a reason and perhaps the right unit."""
    values = {
        "refuse_reason": _text(form, "refuse_reason").strip(),
        "proposed_unit": _text(form, "proposed_unit"),
    }
    try:
        life.refuse(
            sessions,
            who,
            item_id,
            values["refuse_reason"],
            _version(form),
            _unit(values["proposed_unit"]),
            settings.sign_working_days,
        )
    except REFUSED as exc:
        deps = (sessions, settings, today)
        return _refused(
            request, who, item_id, deps, "refuse", exc, values, "refuse_reason", _text(form, "version")
        )
    return redirect(f"/items/{item_id}#life", "已退回，等待办公室处理")


@router.post("/items/{item_id}/life/extension")
def extension(
    request: Request,
    item_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """延期申请: a new deadline (a date or words read from today) and a reason."""
    values = {
        "new_deadline": _text(form, "new_deadline", 100).strip(),
        "extension_reason": _text(form, "extension_reason").strip(),
    }
    try:
        if not values["new_deadline"]:
            raise Invalid("请填写延期后的时限")
        life_requests.request_extension(
            sessions,
            who,
            item_id,
            values["new_deadline"],
            values["extension_reason"],
            _version(form),
            today,
            settings.sign_working_days,
        )
    except REFUSED as exc:
        field = "new_deadline" if "时限" in str(exc) else "extension_reason"
        deps = (sessions, settings, today)
        return _refused(request, who, item_id, deps, "extension", exc, values, field, _text(form, "version"))
    return redirect(f"/items/{item_id}#life", "延期申请已提交")


@router.post("/items/{item_id}/life/closing")
def closing(
    request: Request,
    item_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """办结申请 with a closing note."""
    values = {"closing_note": _text(form, "closing_note", 20000).strip()}
    try:
        life_requests.request_closing(
            sessions, who, item_id, values["closing_note"], _version(form), settings.sign_working_days
        )
    except REFUSED as exc:
        deps = (sessions, settings, today)
        return _refused(
            request, who, item_id, deps, "closing", exc, values, "closing_note", _text(form, "version")
        )
    return redirect(f"/items/{item_id}#life", "办结申请已提交")


@router.post("/items/{item_id}/life/requests/{request_id}/decide")
def decide(
    request: Request,
    item_id: Id,
    request_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """The office's decision on a request: 同意/不同意 an extension, 办结/退回 a closing, 转办/维持交办
    a refusal."""
    decision = _text(form, "decision", 20)
    values = {"note": _text(form, f"note-{request_id}").strip(), "unit": _text(form, f"unit-{request_id}")}
    try:
        if request_item(sessions, who, request_id) != item_id:
            raise NotFound(f"找不到申请 {request_id}")
        message = life_requests.decide_request(
            sessions,
            who,
            request_id,
            _version(form),
            decision,
            values["note"] or None,
            _unit(values["unit"]),
            settings.sign_working_days,
        )
    except REFUSED as exc:
        deps = (sessions, settings, today)
        key = f"decide-{request_id}"
        return _refused(request, who, item_id, deps, key, exc, values, "note", _text(form, "version"))
    return redirect(f"/items/{item_id}#life", message)


@router.post("/items/{item_id}/urges/{urge_id}/sign")
def sign_urge(
    request: Request,
    item_id: Id,
    urge_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """签收 of a 督办 by the urged unit."""
    try:
        life.sign_urge(sessions, who, urge_id, _version(form))
    except REFUSED as exc:
        deps = (sessions, settings, today)
        return _refused(request, who, item_id, deps, f"sign-urge-{urge_id}", exc, {})
    return redirect(f"/items/{item_id}#urges", "督办已签收")
