"""The forms of the task's life on 任务详情 (/items/{item_id}, issue 14): a unit's reporter signs (签收),
refuses (退回, proposing the right unit), asks for an extension (延期) or to close its part (办结);
office staff decide each request; a unit signs for an urge.  Each posts, then redirects back
(Post/Redirect/Get); a refused one re-renders the page with the message beside its form (409 for
a concurrent transition, with the current version so that the next try is knowing).  The rules
are in `services.loop.life` and `life_requests`, the same the API calls.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from eduplan.services.errors import Invalid, NotFound
from eduplan.services.loop import life, life_requests
from eduplan.services.tracking.life import request_item
from eduplan.web.deps import Id
from eduplan.web.pages.context import FormCtx
from eduplan.web.pages.render import redirect
from eduplan.web.pages.task_forms import REFUSED, Form, read_version, refused, text, unit_id

router = APIRouter(include_in_schema=False)


@router.post("/items/{item_id}/life/sign")
def sign(item_id: Id, ctx: FormCtx, form: Form) -> Response:
    """签收 the unit's part of the task."""
    try:
        life.sign(ctx.sessions, ctx.who, item_id, read_version(form), ctx.settings.sign_working_days)
    except REFUSED as exc:
        return refused(ctx, item_id, "life", exc, {}, version=text(form, "version"))
    return redirect(f"/items/{item_id}#life", "已签收")


@router.post("/items/{item_id}/life/refuse")
def refuse(item_id: Id, ctx: FormCtx, form: Form) -> Response:
    """退回: not this unit's duty, with a reason and perhaps the right unit."""
    values = {
        "refuse_reason": text(form, "refuse_reason").strip(),
        "proposed_unit": text(form, "proposed_unit"),
    }
    try:
        life.refuse(
            ctx.sessions,
            ctx.who,
            item_id,
            values["refuse_reason"],
            read_version(form),
            unit_id(values["proposed_unit"]),
            ctx.settings.sign_working_days,
        )
    except REFUSED as exc:
        return refused(ctx, item_id, "refuse", exc, values, "refuse_reason", text(form, "version"))
    return redirect(f"/items/{item_id}#life", "已退回，等待办公室处理")


@router.post("/items/{item_id}/life/extension")
def extension(item_id: Id, ctx: FormCtx, form: Form) -> Response:
    """延期申请: a new deadline (a date or words read from today) and a reason."""
    values = {
        "new_deadline": text(form, "new_deadline", 100).strip(),
        "extension_reason": text(form, "extension_reason").strip(),
    }
    try:
        if not values["new_deadline"]:
            raise Invalid("请填写延期后的时限")
        life_requests.request_extension(
            ctx.sessions,
            ctx.who,
            item_id,
            values["new_deadline"],
            values["extension_reason"],
            read_version(form),
            ctx.today,
            ctx.settings.sign_working_days,
        )
    except REFUSED as exc:
        field = "new_deadline" if "时限" in str(exc) else "extension_reason"
        return refused(ctx, item_id, "extension", exc, values, field, text(form, "version"))
    return redirect(f"/items/{item_id}#life", "延期申请已提交")


@router.post("/items/{item_id}/life/closing")
def closing(item_id: Id, ctx: FormCtx, form: Form) -> Response:
    """办结申请 with a closing note."""
    values = {"closing_note": text(form, "closing_note", 20000).strip()}
    try:
        life_requests.request_closing(
            ctx.sessions,
            ctx.who,
            item_id,
            values["closing_note"],
            read_version(form),
            ctx.settings.sign_working_days,
        )
    except REFUSED as exc:
        return refused(ctx, item_id, "closing", exc, values, "closing_note", text(form, "version"))
    return redirect(f"/items/{item_id}#life", "办结申请已提交")


@router.post("/items/{item_id}/life/requests/{request_id}/decide")
def decide(item_id: Id, request_id: Id, ctx: FormCtx, form: Form) -> Response:
    """The office's decision on a request: 同意/不同意 an extension, 办结/退回 a closing, 转办/维持交办
    a refusal."""
    decision = text(form, "decision", 20)
    values = {"note": text(form, f"note-{request_id}").strip(), "unit": text(form, f"unit-{request_id}")}
    try:
        if request_item(ctx.sessions, ctx.who, request_id) != item_id:
            raise NotFound(f"找不到申请 {request_id}")
        message = life_requests.decide_request(
            ctx.sessions,
            ctx.who,
            request_id,
            read_version(form),
            decision,
            values["note"] or None,
            unit_id(values["unit"]),
            ctx.settings.sign_working_days,
        )
    except REFUSED as exc:
        return refused(ctx, item_id, f"decide-{request_id}", exc, values, "note", text(form, "version"))
    return redirect(f"/items/{item_id}#life", message)


@router.post("/items/{item_id}/urges/{urge_id}/sign")
def sign_urge(item_id: Id, urge_id: Id, ctx: FormCtx, form: Form) -> Response:
    """签收 of a 督办 by the urged unit."""
    try:
        life.sign_urge(ctx.sessions, ctx.who, urge_id, read_version(form))
    except REFUSED as exc:
        return refused(ctx, item_id, f"sign-urge-{urge_id}", exc, {})
    return redirect(f"/items/{item_id}#urges", "督办已签收")
