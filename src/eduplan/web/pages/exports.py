"""导出 pages (placeholder): the 台账 xlsx with current progress and the progress bulletin (通报) docx."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
