"""我的任务与集中填报 pages (placeholder: the module that owns these routes)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
