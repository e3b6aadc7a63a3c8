"""What a page's route works with, as one dependency: the request, who asks, the database, the
settings and today (`PageContext`): `PageCtx` for a page or a download (its user a `PageUser`),
`FormCtx` for a form post that may render its page again when refused (a `FormUser`, CSRF checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import Principal
from eduplan.web.deps import SessionsDep, SettingsDep, Today
from eduplan.web.pages.access import FormUser, PageUser


@dataclass(frozen=True)
class PageContext:
    """The request and what every page of it is built from."""

    request: Request
    who: Principal
    sessions: SessionFactory
    settings: Settings
    today: date


def _page_context(
    request: Request, who: PageUser, sessions: SessionsDep, settings: SettingsDep, today: Today
) -> PageContext:
    return PageContext(request, who, sessions, settings, today)


def _form_context(
    request: Request, who: FormUser, sessions: SessionsDep, settings: SettingsDep, today: Today
) -> PageContext:
    return PageContext(request, who, sessions, settings, today)


PageCtx = Annotated[PageContext, Depends(_page_context)]
FormCtx = Annotated[PageContext, Depends(_form_context)]
