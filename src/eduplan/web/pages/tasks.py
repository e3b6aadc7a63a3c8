"""任务详情 (/items/{item_id}) and its forms: office staff change the units (牵头/配合) and the deadline
(with the version read: a 409 re-renders the form saying who changed what, the input kept), hand it
down to the organisations below (下发: districts, or a district's schools), review
submitted reports (通过/退回 with a note), set a target's plausible range (合理范围) and issue urges (催办/督办); a unit answers an urge;
anyone who reads the task but a viewer comments on it (评论).
Evidence files are downloaded at /items/{item_id}/evidence/{evidence_id}.

Every form posts and redirects back to the page (Post/Redirect/Get); a refused one is shown again
with its message next to it.  The page's data is assembled in `task_view`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Conflict, Invalid, NotFound, StaleVersion
from eduplan.services.loop.comments import add_comment
from eduplan.services.loop.value_flags import set_target_range
from eduplan.services.pages.task import FormState, ItemPage, item_page, stale_message
from eduplan.services.tracking.evidence import download_headers
from eduplan.services.tracking.item_source import evidence_item
from eduplan.web.deps import Id, SessionsDep, SettingsDep, Today
from eduplan.web.pages.access import FormUser, PageUser
from eduplan.web.pages.render import page, redirect, render

router = APIRouter(include_in_schema=False)
TEMPLATE = "tasks/detail.html"


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


def _text(form: FormData, name: str, limit: int = 5000) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def _version(form: FormData) -> int:
    try:
        return int(_text(form, "version"))
    except ValueError:
        raise Invalid("表单缺少版本号，请刷新页面") from None


@page(router, "/items/{item_id}", TEMPLATE)
def item_detail(
    request: Request, item_id: int, who: PageUser, sessions: SessionsDep, settings: SettingsDep, today: Today
) -> ItemPage:
    """One task: text and source, units, deadline, light, targets, reports, supervision, audit."""
    return item_page(sessions, settings, who, item_id, today)


def _refused(
    request: Request,
    who: Principal,
    item_id: int,
    deps: tuple[Any, Any, Any],
    form_key: str,
    exc: Exception,
    values: dict[str, Any],
    field: str | None = None,
    version: str | None = None,
) -> Response:
    """The page again with form `form_key` as typed (`values`) and why it was refused beside `field`.

    A form that carries the `version` it was read at keeps it, except after a stale write (409): then
    it holds the current version, so that saving the kept input again overwrites knowingly."""
    message, status = _failed(exc)
    if isinstance(exc, StaleVersion) and version is not None:
        version = str(exc.details.current_version)
    if version is not None:
        values = values | {"version": version}
    sessions, settings, today = deps
    data = item_page(sessions, settings, who, item_id, today)
    data.forms[form_key] = FormState(values=values, error=message, field=field)
    return render(request, TEMPLATE, data, status)


def _failed(exc: Exception) -> tuple[str, int]:
    if isinstance(exc, StaleVersion):
        return stale_message(exc), 409
    if isinstance(exc, Conflict):
        return str(exc), 409
    if isinstance(exc, Invalid):
        return "；".join(exc.reasons) if exc.reasons else str(exc), 422
    raise exc


def assignment_rows(form: FormData) -> list[dict[str, str]]:
    """The rows of the assignment form as typed (unit id, role, words to be specified)."""
    try:
        count = min(int(_text(form, "rows") or 0), 60)
    except ValueError:
        count = 0
    return [
        {
            "unit": _text(form, f"a{k}-unit"),
            "role": _text(form, f"a{k}-role"),
            "name": _text(form, f"a{k}-name", 200),
        }
        for k in range(count)
    ]


@router.post("/items/{item_id}/assignments")
def change_assignments(
    request: Request,
    item_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """Replace the units responsible (office staff)."""
    rows = assignment_rows(form)
    given = []
    for r in rows:
        if r["unit"].isdigit():
            given.append(loop.AssignmentInput(r["role"] or "responsible", int(r["unit"])))
        elif r["name"].strip():
            given.append(loop.AssignmentInput(r["role"] or "responsible", None, r["name"].strip()))
    try:
        loop.set_assignments(sessions, who, item_id, given, _version(form))
    except (Invalid, Conflict, StaleVersion) as exc:
        deps = (sessions, settings, today)
        return _refused(
            request, who, item_id, deps, "assign", exc, {"rows": rows}, version=_text(form, "version")
        )
    return redirect(f"/items/{item_id}#units", "责任单位已更新")


@router.post("/items/{item_id}/handdown")
def hand_down(
    request: Request,
    item_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """Hand the task down to the organisations chosen or named (office staff, 下发)."""
    from eduplan.services.draft_corrections import split_units

    chosen = [v for v in form.getlist("org") if isinstance(v, str) and v.isdigit() and len(v) < 12][:200]
    names = _text(form, "names", 1000)
    back = _text(form, "back", 200)
    try:
        made = loop.hand_down(sessions, who, item_id, split_units(names), [int(v) for v in chosen], today)
    except (Invalid, Conflict) as exc:
        if back.startswith("/plans/"):  # from 分工总览: its own page shows why
            return redirect(back, _failed(exc)[0], "error")
        values = {"orgs": chosen, "names": names}
        return _refused(request, who, item_id, (sessions, settings, today), "handdown", exc, values, "names")
    done = "、".join([*made.created, *made.existing])
    message = f"已下发至{done}" if made.created else f"{done}已有本任务，未重复下发"
    return redirect(back if back.startswith("/plans/") else f"/items/{item_id}#handdown", message)


@router.post("/items/{item_id}/deadline")
def change_deadline(
    request: Request,
    item_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """Set the deadline, a date or words (office staff)."""
    words = _text(form, "deadline", 100).strip()
    try:
        if not words:
            raise Invalid("请填写完成时限")
        loop.set_deadline(sessions, who, item_id, words, _version(form))
    except (Invalid, Conflict, StaleVersion) as exc:
        values, version = {"deadline": words}, _text(form, "version")
        return _refused(
            request, who, item_id, (sessions, settings, today), "deadline", exc, values, "deadline", version
        )
    return redirect(f"/items/{item_id}#deadline", "完成时限已更新")


@router.post("/items/{item_id}/targets/{target_id}/range")
def set_range(
    request: Request,
    item_id: Id,
    target_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """Set a target's plausible range (office staff); empty ends are open."""
    typed = {k: _text(form, k, 40).strip() for k in ("plausible_min", "plausible_max")}
    try:
        if target_id not in {t.id for t in tracking.get_item(sessions, who, item_id).targets}:
            raise NotFound(f"找不到目标 {target_id}")
        low, high = (_bound(typed[k]) for k in ("plausible_min", "plausible_max"))
        set_target_range(sessions, who, target_id, low, high)
    except (Invalid, Conflict) as exc:
        deps = (sessions, settings, today)
        return _refused(request, who, item_id, deps, f"range-{target_id}", exc, typed, "plausible_max")
    return redirect(f"/items/{item_id}#targets", "合理范围已保存")


def _bound(text: str) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", "").replace("，", ""))
    except ValueError:
        raise Invalid(f"合理范围须为数字（填写的是 {text}）") from None


@router.post("/items/{item_id}/reports/{report_id}/review")
def review(
    request: Request,
    item_id: Id,
    report_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """通过 or 退回 a submitted report, with a note (office staff)."""
    decision: Literal["accept", "return"] = "return" if _text(form, "decision") == "return" else "accept"
    note = _text(form, "note").strip()
    try:
        if tracking.get_report(sessions, who, report_id).item_id != item_id:
            raise NotFound(f"找不到报告 {report_id}")
        loop.review_report(sessions, who, report_id, decision, _version(form), note or None)
    except (Invalid, Conflict, StaleVersion) as exc:
        values = {"note": note, "decision": decision}
        return _refused(
            request, who, item_id, (sessions, settings, today), f"review-{report_id}", exc, values, "note"
        )
    word = "已退回修改" if decision == "return" else "已审核通过"
    return redirect(f"/items/{item_id}#reports", f"报告{word}")


@router.post("/items/{item_id}/urges")
def urge(
    request: Request,
    item_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """催办 or 督办 the task or one of its units, to be answered by a date (office staff)."""
    values = {
        "level": "red" if _text(form, "level") == "red" else "yellow",
        "unit": _text(form, "unit"),
        "due_on": _text(form, "due_on", 100).strip(),
        "note": _text(form, "note").strip(),
    }
    try:
        if not values["due_on"]:
            raise Invalid("请填写答复期限")
        unit_id = int(values["unit"]) if values["unit"].isdigit() else None
        loop.issue_urge(sessions, who, item_id, values["note"], values["due_on"], unit_id, values["level"])
    except (Invalid, Conflict) as exc:
        message = _failed(exc)[0]
        field = "due_on" if "期限" in message or "时限" in message else "note"
        return _refused(request, who, item_id, (sessions, settings, today), "urge", exc, values, field)
    label = "督办" if values["level"] == "red" else "催办"
    return redirect(f"/items/{item_id}#urges", f"已发出{label}")


@router.post("/items/{item_id}/urges/{urge_id}/answer")
def answer(
    request: Request,
    item_id: Id,
    urge_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """The urged unit's answer."""
    response = _text(form, "response", 20000).strip()
    try:
        if not response:
            raise Invalid("请填写答复内容")
        loop.answer_urge(sessions, who, urge_id, response, _version(form))
    except (Invalid, Conflict, StaleVersion) as exc:
        values = {"response": response}
        return _refused(
            request, who, item_id, (sessions, settings, today), f"answer-{urge_id}", exc, values, "response"
        )
    return redirect(f"/items/{item_id}#urges", "答复已提交")


@router.post("/items/{item_id}/urges/{urge_id}/close")
def close(
    request: Request,
    item_id: Id,
    urge_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """办结 an urge (office staff)."""
    try:
        loop.close_urge(sessions, who, urge_id, _version(form))
    except (Invalid, Conflict, StaleVersion) as exc:
        return _refused(request, who, item_id, (sessions, settings, today), f"close-{urge_id}", exc, {})
    return redirect(f"/items/{item_id}#urges", "督办已办结")


@router.post("/items/{item_id}/comments")
def comment(
    request: Request,
    item_id: Id,
    who: FormUser,
    form: Form,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> Response:
    """A comment on the task (everyone who reads it but viewers)."""
    body = _text(form, "body", 20000)
    try:
        add_comment(sessions, who, item_id, body)
    except Invalid as exc:
        return _refused(
            request, who, item_id, (sessions, settings, today), "comment", exc, {"body": body}, "body"
        )
    return redirect(f"/items/{item_id}#comments", "评论已发表")


@router.get("/items/{item_id}/evidence/{evidence_id}")
def download(
    item_id: Id, evidence_id: Id, who: PageUser, sessions: SessionsDep, settings: SettingsDep
) -> Response:
    """An evidence file of this task, as uploaded (only to those who may read its report)."""
    found = loop.open_evidence(sessions, settings, who, evidence_id)
    if evidence_item(sessions, evidence_id) != item_id:
        raise NotFound(f"找不到佐证材料 {evidence_id}")
    return Response(found.data, media_type=found.view.media_type, headers=download_headers(found.view))
