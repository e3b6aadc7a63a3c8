"""The OpenAPI description of an upload: a required multipart/form-data body with a binary `file`
and the other form fields an upload route reads (FastAPI cannot see them, since the routes read the
form themselves to stream and cap the file).
"""

from __future__ import annotations

from typing import Any


def multipart_body(file_description: str | None = None, **fields: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` for a route taking ``file`` (described, when given) and `fields` (name →
    JSON schema) as multipart/form-data."""
    file: dict[str, Any] = {"type": "string", "format": "binary"}
    if file_description:
        file["description"] = file_description
    schema = {"type": "object", "required": ["file"], "properties": {"file": file, **fields}}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}
