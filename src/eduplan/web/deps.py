"""Typed FastAPI dependencies: the session factory and settings kept on the app's state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory


def get_sessions(request: Request) -> SessionFactory:
    sessions: SessionFactory = request.app.state.sessions
    return sessions


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionsDep = Annotated[SessionFactory, Depends(get_sessions)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Limit = Annotated[int, Query(ge=1, le=200, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip (stable order).")]
