"""年终考核 (/evaluation?plan=…): a plan's rubric (weights of completion, timeliness, target
achievement; supervision penalties) — editable by office staff —, the units' self-assessment
(自评, by each unit's reporter), the reviewer's score (复核, office staff, reason required) and the
ranking, where every score lists its arithmetic (`services.loop.evaluation.evaluate`).

A rejected form is shown again with the message beside its field and every typed value kept; a
rubric changed by someone else meanwhile (409) says who changed it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from eduplan.choices import RUBRIC_LABELS
from eduplan.services import loop
from eduplan.services.errors import Invalid, NotFound, StaleVersion
from eduplan.services.loop.evaluation import RUBRIC_FIELDS
from eduplan.services.pages import board
from eduplan.web.deps import Id
from eduplan.web.pages.context import FormCtx, PageContext, PageCtx
from eduplan.web.pages.render import Fields, FormsPage, page, redirect, render_refused
from eduplan.web.pages.supervision import as_id, plan_choices

router = APIRouter(include_in_schema=False)
TEMPLATE = "evaluation/index.html"


@dataclass(kw_only=True)
class EvaluationPage(FormsPage):
    """The plan's rubric, assessments and ranking; `form` is rubric, self or review-{unit_id}."""

    plans: list[board.Choice]
    plan_id: int | None
    evaluation: loop.Evaluation | None
    problem: str | None
    can_manage: bool
    is_reporter: bool
    rubric_labels: Mapping[str, str]


def build(ctx: PageContext, plan_id: int | None) -> EvaluationPage:
    sessions, who = ctx.sessions, ctx.who
    plans = plan_choices(sessions, who)
    chosen = plan_id if plan_id is not None else (plans[0].value if plans else None)
    data = EvaluationPage(
        plans=plans,
        plan_id=chosen,
        evaluation=None,
        problem=None,
        can_manage=who.manages,
        is_reporter=who.role == "reporter",
        rubric_labels=RUBRIC_LABELS,
    )
    if chosen is not None:
        try:
            data.evaluation = loop.evaluate(sessions, ctx.settings, who, chosen, ctx.today)
        except (Invalid, NotFound) as exc:
            data.problem = str(exc)
    return data


@page(router, "/evaluation", TEMPLATE)
def evaluation_page(ctx: PageCtx, plan: str = "") -> EvaluationPage:
    """The plan's rubric, assessments and ranking."""
    return build(ctx, as_id(plan))


def _number(text: str) -> float | None:
    """The typed number (None: not a finite number); its bounds are the service's rule."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _version(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@router.post("/evaluation/{plan_id}/rubric", response_class=HTMLResponse)
async def set_rubric(plan_id: Id, ctx: FormCtx) -> Response:
    """Save the weights and penalties (office staff)."""
    form = await ctx.request.form()
    values = {f: str(form.get(f, "")) for f in (*RUBRIC_FIELDS, "version")}
    # the page only reads the numbers; their bounds are the service's rule (`rubric_problems`)
    errors = {f: "请输入 0 到 100 之间的数字" for f in RUBRIC_FIELDS if _number(values[f]) is None}
    if not errors:
        n = {f: _number(values[f]) or 0.0 for f in RUBRIC_FIELDS}
        given = loop.Rubric(
            n["completion_weight"],
            n["timeliness_weight"],
            n["target_weight"],
            n["urge_penalty"],
            n["rectification_penalty"],
            n["max_penalty"],
        )
        try:
            loop.set_rubric(ctx.sessions, ctx.who, plan_id, given, _version(values["version"]))
        except StaleVersion as exc:
            return _refused(
                ctx, plan_id, "rubric", values, {"completion_weight": f"{exc}，请核对后再保存"}, 409
            )
        except Invalid as exc:
            errors.update(exc.fields or {"completion_weight": str(exc)})
        else:
            return redirect(f"/evaluation?plan={plan_id}", "考核细则已保存，排名已按新细则重算")
    return _refused(ctx, plan_id, "rubric", values, errors)


def _refused(
    ctx: PageContext, plan_id: int, form: str, values: Fields, errors: Fields, status: int = 422
) -> Response:
    """The plan's page again with `form` as typed and the messages beside its fields."""
    data = build(ctx, plan_id)
    return render_refused(ctx.request, TEMPLATE, data, form, values, errors, status)


class ScoreForm(BaseModel):
    """A score form as typed: the self-assessment's and the reviewer's alike."""

    score: str = Field("", max_length=20)
    note: str = Field("", max_length=5000)
    version: str = Field("", max_length=20)


def _score_form(
    ctx: PageContext,
    plan_id: int,
    form: str,
    typed: ScoreForm,
    save: Callable[[float, str, int | None], None],
) -> Response:
    values = typed.model_dump()
    value = _number(typed.score)
    errors: dict[str, str] = {}
    status = 422
    if value is None:
        errors["score"] = "请输入 0 到 100 之间的分数"
    else:
        try:
            save(value, typed.note, _version(typed.version))
        except StaleVersion as exc:
            errors["score"], status = f"{exc}，请核对后再保存", 409
        except Invalid as exc:
            errors["note" if "理由" in str(exc) else "score"] = str(exc)
        else:
            message = "自评已保存" if form == "self" else "复核评分已保存"
            return redirect(f"/evaluation?plan={plan_id}#{form}", message)
    return _refused(ctx, plan_id, form, values, errors, status)


@router.post("/evaluation/{plan_id}/self", response_class=HTMLResponse)
def self_assess(plan_id: Id, ctx: FormCtx, typed: Annotated[ScoreForm, Form()]) -> Response:
    """The reporter's unit assesses itself."""

    def save(value: float, text: str, v: int | None) -> None:
        loop.self_assess(ctx.sessions, ctx.who, plan_id, value, text, v)

    return _score_form(ctx, plan_id, "self", typed, save)


@router.post("/evaluation/{plan_id}/units/{unit_id}/review", response_class=HTMLResponse)
def review(plan_id: Id, unit_id: Id, ctx: FormCtx, typed: Annotated[ScoreForm, Form()]) -> Response:
    """The reviewer's score for a unit, with its reason (office staff)."""

    def save(value: float, text: str, v: int | None) -> None:
        loop.review(ctx.sessions, ctx.who, plan_id, unit_id, value, text, v)

    return _score_form(ctx, plan_id, f"review-{unit_id}", typed, save)
