"""The session's CSRF token as written into pages: masked afresh for every response.

Pages are gzip-compressed (`web.app`), and a page can hold both the token and text the requester
chose (a search query, a filter): an attacker who sees the sizes of encrypted responses could then
guess the token a character at a time by how well it compresses with their text (BREACH).  Written
as a random pad followed by pad XOR token, the token is different bytes in every response and
compresses with nothing, while `unmask` gives the same session token back.  Forms posting the plain
token (older pages still open, scripts) are accepted as before; only what pages show is masked.
"""

from __future__ import annotations

import secrets


def mask(token: str) -> str:
    """`token` as pad + (pad XOR token), in hex; "" stays "" (nobody signed in)."""
    if not token:
        return ""
    raw = token.encode()
    pad = secrets.token_bytes(len(raw))
    return (pad + bytes(a ^ b for a, b in zip(pad, raw, strict=True))).hex()


def unmask(sent: str) -> str | None:
    """The token a masked value carries, or None when `sent` is not a masked value."""
    try:
        data = bytes.fromhex(sent)
    except ValueError:
        return None
    half = len(data) // 2
    if not data or len(data) % 2:
        return None
    token = bytes(a ^ b for a, b in zip(data[:half], data[half:], strict=True))
    try:
        return token.decode()
    except UnicodeDecodeError:
        return None
