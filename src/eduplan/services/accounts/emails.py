"""The one rule of an e-mail address, for account creation (`users`) and changes (`contact`)."""

from __future__ import annotations

from eduplan.services.errors import Invalid

MAX_EMAIL = 300


def clean_email(email: str | None) -> str | None:
    """The address as stored (None: none); `Invalid` when it cannot be one."""
    value = (email or "").strip()
    if not value:
        return None
    local, at, domain = value.rpartition("@")
    if not at or not local or "." not in domain or len(value) > MAX_EMAIL or any(c.isspace() for c in value):
        raise Invalid("邮箱地址格式不正确（例如 zhangsan@example.gov.cn）", fields={"email": "格式不正确"})
    return value
