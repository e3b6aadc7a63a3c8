"""领导批示 on 任务详情 (/items/{item_id}, issue 14): a leader (or office staff) writes one with an
optional 办理期限; a unit's reporter marks one 已阅/办理.  Each posts and redirects back to the
instruction at the top of the page (Post/Redirect/Get); a refused one re-renders the page with the
message beside its form.  The rules are in `services.loop.instructions`, the same the API calls.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from eduplan.services.errors import Conflict, Invalid, NotFound
from eduplan.services.loop.instructions import acknowledge, write_instruction
from eduplan.services.tracking.instructions import instruction_reaches
from eduplan.web.deps import Id
from eduplan.web.pages.context import FormCtx
from eduplan.web.pages.render import redirect
from eduplan.web.pages.task_forms import Form, refused, text

router = APIRouter(include_in_schema=False)


@router.post("/items/{item_id}/instructions")
def instruct(item_id: Id, ctx: FormCtx, form: Form) -> Response:
    """作出批示: the text and, if given, a 办理期限 (a date or words read from today)."""
    values = {"body": text(form, "body").strip(), "deadline": text(form, "deadline", 100).strip()}
    try:
        made = write_instruction(
            ctx.sessions, ctx.who, item_id, values["body"], values["deadline"], ctx.today
        )
    except (Invalid, Conflict) as exc:
        field = "deadline" if "期限" in str(exc) or "识别" in str(exc) else "body"
        return refused(ctx, item_id, "instruction", exc, values, field)
    return redirect(f"/items/{item_id}#instruction-{made.id}", "批示已发出，责任单位将收到站内消息")


@router.post("/items/{item_id}/instructions/{instruction_id}/ack")
def ack(item_id: Id, instruction_id: Id, ctx: FormCtx, form: Form) -> Response:
    """已阅/办理 of a 批示 by the unit's reporter, with what it did (optional)."""
    values = {"note": text(form, "note").strip()}
    try:
        if not instruction_reaches(ctx.sessions, ctx.who, instruction_id, item_id):  # its own, or 上级批示
            raise NotFound(f"找不到批示 {instruction_id}")
        acknowledge(ctx.sessions, ctx.who, instruction_id, values["note"] or None)
    except (Invalid, Conflict) as exc:
        return refused(ctx, item_id, f"ack-{instruction_id}", exc, values, "note")
    return redirect(f"/items/{item_id}#instruction-{instruction_id}", "已阅批示")
