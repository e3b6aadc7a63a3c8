"""The import preview's correction forms (校正), posted without JavaScript; each saves through
`drafts.update_corrections` and goes back to the preview (`plans_import`):

- ``POST /plans/import/{draft}/tasks/{index}``: one task's correction (title, units, group words,
  deadline, targets: edit, add, delete; ``reset`` restores the parse); a rejected field is shown
  again beside itself with what was typed (422).
- ``POST …/tasks/{index}/split`` (after sentence ``at``) and ``…/tasks/{index}/merge`` (with the next
  task of its chapter) change the structure; ``POST …/structure/undo`` takes the latest back.

Every form carries the revision it was made from (`draft_corrections.correction_revision`): a draft
changed meanwhile (another window, another plan of the file chosen) is not overwritten; the
preview says so (409).  The rules are the services' (`draft_corrections`, `draft_structure`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from eduplan.plan_json import plan_from_dict
from eduplan.services import draft_structure, drafts
from eduplan.services.draft_corrections import read_task_form, structured_plan
from eduplan.services.errors import Invalid
from eduplan.services.registry import Conflict
from eduplan.web.deps import Id, SessionsDep, SettingsDep
from eduplan.web.pages.access import FormUser
from eduplan.web.pages.plans_import import _draft_page
from eduplan.web.pages.render import redirect, render

router = APIRouter(include_in_schema=False)


@router.post("/plans/import/{draft_id}/tasks/{index}", response_class=HTMLResponse)
async def correct_task(
    request: Request, draft_id: str, index: Id, who: FormUser, sessions: SessionsDep, settings: SettingsDep
) -> Response:
    """Save one task's correction; a rejected field is shown again with what was typed."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_correct, request, draft_id, index, who, sessions, settings, form)


def _again(
    request: Request, sessions: Any, settings: Any, who: Any, draft_id: str, message: str, status: int
) -> Response:
    """The preview again, with what could not be done."""
    ctx = _draft_page(sessions, settings, who, draft_id)
    ctx.message = message
    return render(request, "plans/draft.html", ctx, status)


def _correct(
    request: Request, draft_id: str, index: int, who: Any, sessions: Any, settings: Any, form: dict[str, str]
) -> Response:
    who.require_manager()
    draft = drafts.get_draft(settings, who, draft_id)
    if draft.plan is None:
        return redirect(f"/plans/import/{draft_id}", "文件尚未解析完成", "warn")
    plan = structured_plan(plan_from_dict(draft.plan), draft.corrections)
    tasks = plan.tasks()
    if not 0 <= index < len(tasks):
        raise Invalid(f"第 {index} 项任务不存在")
    fix: dict[str, Any] = {}
    if not form.get("reset"):
        before = draft.corrections.get(str(index)) or {}
        fix, errors = read_task_form(tasks[index][1], form, plan.year, before)
        if errors:
            ctx = _draft_page(sessions, settings, who, draft_id)
            shown = ctx.forms[index]
            shown.values |= {k: form.get(k, "") for k in shown.values if not k.endswith("-delete")}
            shown.values |= {k: v for k, v in form.items() if k.startswith("new-") or k.endswith("-delete")}
            shown.errors, shown.open = errors, True
            return render(request, "plans/draft.html", ctx, 422)

    def change(_plan: Any, now: dict[str, Any]) -> dict[str, Any]:
        if fix:
            now[str(index)] = fix
        else:
            now.pop(str(index), None)
        return now

    try:
        drafts.update_corrections(settings, who, draft_id, change, form.get("rev") or None, index)
    except Conflict as exc:
        return _again(request, sessions, settings, who, draft_id, str(exc), 409)
    number = tasks[index][1].number
    return redirect(
        f"/plans/import/{draft_id}#task-{index}", f"已保存第 {number} 项的校正" if fix else "已恢复为解析结果"
    )


@router.post("/plans/import/{draft_id}/tasks/{index}/{op}", response_class=HTMLResponse)
def restructure(
    request: Request,
    draft_id: str,
    index: Id,
    op: str,
    who: FormUser,
    sessions: SessionsDep,
    settings: SettingsDep,
    rev: Annotated[str, Form(max_length=64)] = "",
    at: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Split a task after the chosen sentence, or merge it with the next one of its chapter."""
    who.require_manager()
    if op not in ("split", "merge"):
        raise Invalid("只能拆分或合并")
    edit: dict[str, Any] = {"op": op, "task": index}
    if op == "split":
        if not at.isdigit():
            return _again(request, sessions, settings, who, draft_id, "请选择在哪一句之后拆分", 422)
        edit["at"] = int(at)
    try:
        drafts.update_corrections(
            settings, who, draft_id, lambda plan, now: draft_structure.add_edit(plan, now, edit), rev or None
        )
    except Conflict as exc:
        return _again(request, sessions, settings, who, draft_id, str(exc), 409)
    except Invalid as exc:
        return _again(request, sessions, settings, who, draft_id, str(exc), 422)
    said = "已拆分为两项" if op == "split" else "已与下一项合并"
    return redirect(f"/plans/import/{draft_id}#task-{index}", said)


@router.post("/plans/import/{draft_id}/structure/undo", response_class=HTMLResponse)
def undo_structure(
    request: Request,
    draft_id: str,
    who: FormUser,
    sessions: SessionsDep,
    settings: SettingsDep,
    rev: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Take back the latest split or merge."""
    who.require_manager()
    try:
        drafts.update_corrections(settings, who, draft_id, draft_structure.undo_edit, rev or None)
    except Conflict as exc:
        return _again(request, sessions, settings, who, draft_id, str(exc), 409)
    except Invalid as exc:
        return _again(request, sessions, settings, who, draft_id, str(exc), 422)
    return redirect(f"/plans/import/{draft_id}", "已撤销最近一次拆分或合并")
