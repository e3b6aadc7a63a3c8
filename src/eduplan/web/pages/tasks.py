"""任务详情 (/items/{item_id}) and its forms: office staff change the units (牵头/配合) and the deadline
(with the version read: a 409 re-renders the form saying who changed what, the input kept), hand it
down to the organisations below (下发: districts, or a district's schools), review
submitted reports (通过/退回 with a note), set a target's plausible range (合理范围) and issue urges (催办/督办); a unit answers an urge;
anyone who reads the task but a viewer comments on it (评论).
Evidence files are downloaded at /items/{item_id}/evidence/{evidence_id}.

Every form posts and redirects back to the page (Post/Redirect/Get); a refused one is shown again
with its message next to it.  The page's data is assembled in
`services.pages.task.item_page`; what the forms share is `task_forms`.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from starlette.datastructures import FormData

from eduplan.services import loop, tracking
from eduplan.services.errors import Conflict, Invalid, NotFound
from eduplan.services.loop.comments import add_comment
from eduplan.services.loop.value_flags import set_target_range
from eduplan.services.pages.task import ItemPage, item_page
from eduplan.services.tracking.evidence import download_headers
from eduplan.services.tracking.item_source import evidence_item
from eduplan.web.deps import Id, SessionsDep, SettingsDep
from eduplan.web.pages.access import PageUser
from eduplan.web.pages.context import FormCtx, PageCtx
from eduplan.web.pages.render import page, redirect
from eduplan.web.pages.task_forms import REFUSED, TEMPLATE, Form, failed, read_version, refused, text, unit_id

router = APIRouter(include_in_schema=False)


@page(router, "/items/{item_id}", TEMPLATE)
def item_detail(item_id: int, ctx: PageCtx) -> ItemPage:
    """One task: text and source, units, deadline, light, targets, reports, supervision, audit."""
    return item_page(ctx.sessions, ctx.settings, ctx.who, item_id, ctx.today)


def assignment_rows(form: FormData) -> list[dict[str, str]]:
    """The rows of the assignment form as typed (unit id, role, words to be specified)."""
    try:
        count = min(int(text(form, "rows") or 0), 60)
    except ValueError:
        count = 0
    return [
        {
            "unit": text(form, f"a{k}-unit"),
            "role": text(form, f"a{k}-role"),
            "name": text(form, f"a{k}-name", 200),
        }
        for k in range(count)
    ]


@router.post("/items/{item_id}/assignments")
def change_assignments(item_id: Id, ctx: FormCtx, form: Form) -> Response:
    """Replace the units responsible (office staff)."""
    rows = assignment_rows(form)
    given = []
    for r in rows:
        if r["unit"].isdigit():
            given.append(loop.AssignmentInput(r["role"] or "responsible", int(r["unit"])))
        elif r["name"].strip():
            given.append(loop.AssignmentInput(r["role"] or "responsible", None, r["name"].strip()))
    try:
        loop.set_assignments(ctx.sessions, ctx.who, item_id, given, read_version(form))
    except REFUSED as exc:
        return refused(ctx, item_id, "assign", exc, {"rows": rows}, version=text(form, "version"))
    return redirect(f"/items/{item_id}#units", "责任单位已更新")


@router.post("/items/{item_id}/handdown")
def hand_down(item_id: Id, ctx: FormCtx, form: Form) -> Response:
    """Hand the task down to the organisations chosen or named (office staff, 下发)."""
    from eduplan.services.draft_corrections import split_units

    chosen = [v for v in form.getlist("org") if isinstance(v, str) and v.isdigit() and len(v) < 12][:200]
    names = text(form, "names", 1000)
    back = text(form, "back", 200)
    try:
        orgs = [int(v) for v in chosen]
        made = loop.hand_down(ctx.sessions, ctx.who, item_id, split_units(names), orgs, ctx.today)
    except (Invalid, Conflict) as exc:
        if back.startswith("/plans/"):  # from 分工总览: its own page shows why
            return redirect(back, failed(exc)[0], "error")
        return refused(ctx, item_id, "handdown", exc, {"orgs": chosen, "names": names}, "names")
    done = "、".join([*made.created, *made.existing])
    message = f"已下发至{done}" if made.created else f"{done}已有本任务，未重复下发"
    return redirect(back if back.startswith("/plans/") else f"/items/{item_id}#handdown", message)


@router.post("/items/{item_id}/deadline")
def change_deadline(item_id: Id, ctx: FormCtx, form: Form) -> Response:
    """Set the deadline, a date or words (office staff)."""
    words = text(form, "deadline", 100).strip()
    try:
        if not words:
            raise Invalid("请填写完成时限")
        loop.set_deadline(ctx.sessions, ctx.who, item_id, words, read_version(form))
    except REFUSED as exc:
        version = text(form, "version")
        return refused(ctx, item_id, "deadline", exc, {"deadline": words}, "deadline", version)
    return redirect(f"/items/{item_id}#deadline", "完成时限已更新")


@router.post("/items/{item_id}/targets/{target_id}/range")
def set_range(item_id: Id, target_id: Id, ctx: FormCtx, form: Form) -> Response:
    """Set a target's plausible range (office staff); empty ends are open."""
    typed = {k: text(form, k, 40).strip() for k in ("plausible_min", "plausible_max")}
    try:
        if target_id not in {t.id for t in tracking.get_item(ctx.sessions, ctx.who, item_id).targets}:
            raise NotFound(f"找不到目标 {target_id}")
        low, high = (_bound(typed[k]) for k in ("plausible_min", "plausible_max"))
        set_target_range(ctx.sessions, ctx.who, target_id, low, high)
    except (Invalid, Conflict) as exc:
        return refused(ctx, item_id, f"range-{target_id}", exc, typed, "plausible_max")
    return redirect(f"/items/{item_id}#targets", "合理范围已保存")


def _bound(typed: str) -> float | None:
    if not typed:
        return None
    try:
        return float(typed.replace(",", "").replace("，", ""))
    except ValueError:
        raise Invalid(f"合理范围须为数字（填写的是 {typed}）") from None


@router.post("/items/{item_id}/reports/{report_id}/review")
def review(item_id: Id, report_id: Id, ctx: FormCtx, form: Form) -> Response:
    """通过 or 退回 a submitted report, with a note (office staff)."""
    decision: Literal["accept", "return"] = "return" if text(form, "decision") == "return" else "accept"
    note = text(form, "note").strip()
    try:
        if tracking.get_report(ctx.sessions, ctx.who, report_id).item_id != item_id:
            raise NotFound(f"找不到报告 {report_id}")
        loop.review_report(ctx.sessions, ctx.who, report_id, decision, read_version(form), note or None)
    except REFUSED as exc:
        values = {"note": note, "decision": decision}
        return refused(ctx, item_id, f"review-{report_id}", exc, values, "note")
    word = "已退回修改" if decision == "return" else "已审核通过"
    return redirect(f"/items/{item_id}#reports", f"报告{word}")


@router.post("/items/{item_id}/urges")
def urge(item_id: Id, ctx: FormCtx, form: Form) -> Response:
    """催办 or 督办 the task or one of its units, to be answered by a date (office staff)."""
    values = {
        "level": "red" if text(form, "level") == "red" else "yellow",
        "unit": text(form, "unit"),
        "due_on": text(form, "due_on", 100).strip(),
        "note": text(form, "note").strip(),
    }
    try:
        if not values["due_on"]:
            raise Invalid("请填写答复期限")
        unit = unit_id(values["unit"])
        loop.issue_urge(
            ctx.sessions, ctx.who, item_id, values["note"], values["due_on"], unit, values["level"]
        )
    except (Invalid, Conflict) as exc:
        message = failed(exc)[0]
        field = "due_on" if "期限" in message or "时限" in message else "note"
        return refused(ctx, item_id, "urge", exc, values, field)
    label = "督办" if values["level"] == "red" else "催办"
    return redirect(f"/items/{item_id}#urges", f"已发出{label}")


@router.post("/items/{item_id}/urges/{urge_id}/answer")
def answer(item_id: Id, urge_id: Id, ctx: FormCtx, form: Form) -> Response:
    """The urged unit's answer."""
    response = text(form, "response", 20000).strip()
    try:
        if not response:
            raise Invalid("请填写答复内容")
        loop.answer_urge(ctx.sessions, ctx.who, urge_id, response, read_version(form))
    except REFUSED as exc:
        return refused(ctx, item_id, f"answer-{urge_id}", exc, {"response": response}, "response")
    return redirect(f"/items/{item_id}#urges", "答复已提交")


@router.post("/items/{item_id}/urges/{urge_id}/close")
def close(item_id: Id, urge_id: Id, ctx: FormCtx, form: Form) -> Response:
    """办结 an urge (office staff)."""
    try:
        loop.close_urge(ctx.sessions, ctx.who, urge_id, read_version(form))
    except REFUSED as exc:
        return refused(ctx, item_id, f"close-{urge_id}", exc, {})
    return redirect(f"/items/{item_id}#urges", "督办已办结")


@router.post("/items/{item_id}/comments")
def comment(item_id: Id, ctx: FormCtx, form: Form) -> Response:
    """A comment on the task (everyone who reads it but viewers)."""
    body = text(form, "body", 20000)
    try:
        add_comment(ctx.sessions, ctx.who, item_id, body)
    except Invalid as exc:
        return refused(ctx, item_id, "comment", exc, {"body": body}, "body")
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
