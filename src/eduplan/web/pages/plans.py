"""规划列表、导入与规划详情 pages (placeholder: the module that owns these routes)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
