"""The group-robot protocol (群机器人) of DingTalk and WeCom: how a message is signed, sent and judged.

DingTalk 加签 (open.dingtalk.com, “自定义机器人安全设置”): the string ``timestamp + "\\n" + secret``
is HMAC-SHA256'd with the secret as key, base64-encoded, URL-encoded and sent as the ``sign`` query
parameter beside ``timestamp`` (milliseconds; DingTalk refuses one more than an hour off).  WeCom
robots are authenticated by the key in their URL and are not signed.  Both answer HTTP 200 with a
JSON body whose ``errcode`` is 0 on success — a non-zero ``errcode`` (wrong signature, throttled:
DingTalk allows 20 messages a minute) is a failure to retry, never a message sent.

Standard library only, with a timeout; failures raise `DeliveryFailed` (HTTP and network errors
included) for the sender to count and retry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT = 10
KINDS = {"dingtalk": "钉钉群机器人", "wecom": "企业微信群机器人"}
MAX_TEXT = 4000
"""Both robots refuse longer text messages (WeCom: 2048 bytes of markdown, 4096 of text)."""


class DeliveryFailed(Exception):
    """A delivery did not arrive: the reason, in words for the delivery log."""


def guess_kind(url: str) -> str:
    """The robot kind of a webhook URL of the global list (by its host)."""
    host = urllib.parse.urlsplit(url).hostname or ""
    return "wecom" if host.endswith("qyapi.weixin.qq.com") else "dingtalk"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The base64 HMAC-SHA256 of ``timestamp\\nsecret`` keyed by the secret (not yet URL-encoded)."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_url(url: str, secret: str | None, timestamp_ms: int | None = None) -> str:
    """`url` with DingTalk's ``timestamp`` and ``sign`` parameters (unchanged without a secret)."""
    if not secret:
        return url
    stamp = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    query = urllib.parse.urlencode({"timestamp": stamp, "sign": dingtalk_sign(secret, stamp)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def text_message(text: str, link: str | None = None) -> dict[str, Any]:
    """The text message both robots accept, the page's address on its last line."""
    content = text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
    if link:
        content += f"\n查看：{link}"
    return {"msgtype": "text", "text": {"content": content}}


def post_json(
    url: str, body: bytes, headers: dict[str, str] | None = None, timeout: float = TIMEOUT
) -> tuple[int, bytes]:
    """POST a JSON body; the status and the answer.  `DeliveryFailed` on an HTTP or network error."""
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code} {exc.reason}") from None
    except (OSError, ValueError) as exc:  # refused, timed out, unknown host, bad URL
        raise DeliveryFailed(f"无法连接：{exc}") from None


def send(kind: str, url: str, secret: str | None, text: str, link: str | None = None) -> None:
    """Send one message to a robot; `DeliveryFailed` unless it answered errcode 0."""
    body = json.dumps(text_message(text, link), ensure_ascii=False).encode("utf-8")
    target = signed_url(url, secret) if kind == "dingtalk" else url
    _status, answer = post_json(target, body)
    try:
        reply = json.loads(answer or b"{}")
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        raise DeliveryFailed(f"机器人的答复不是 JSON：{answer[:200]!r}")
    code = reply.get("errcode", 0)
    if code != 0:
        raise DeliveryFailed(f"机器人返回 errcode {code}：{reply.get('errmsg', '')}")
