"""Secrets given to their holder once and stored as sha256: session cookies, API tokens, browsers."""

from __future__ import annotations

import hashlib


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
