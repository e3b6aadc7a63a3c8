"""统一身份认证 by OpenID Connect: the authorization code flow with PKCE, state and nonce.

`begin` makes the provider's authorization URL and the browser's secrets (state, nonce, PKCE
verifier), which the web keeps in a short-lived HttpOnly cookie — nothing lives in one server's
memory, so the callback may reach another server process.  `finish` checks the returned state
against that cookie, exchanges the code (with the verifier) at the token endpoint, verifies the ID
token's signature against the provider's JWKS and its issuer, audience, expiry and nonce, adds the
userinfo claims (same ``sub`` only), and signs the person in through the account rules of `external`
and the session code of `auth`.

Authlib (with httpx) speaks the protocol, joserfc verifies the token.  The provider's metadata and
keys are cached per process for `METADATA_SECONDS` (public data; a key id not in the cache makes one
fresh fetch, so key rotation needs no restart).  Limits: one provider; no front- or back-channel
logout (signing out of eduplan does not sign out of the provider).
"""

from __future__ import annotations

import hmac
import secrets
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc6749 import OAuth2Error
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts.auth import LoginResult, start_session
from eduplan.services.accounts.external import ExternalProfile, provision
from eduplan.services.clock import utcnow
from eduplan.services.errors import Unauthenticated

METADATA_SECONDS = 3600
_STALE = "统一身份认证登录已过期或不是从本页面发起的，请重新点击“统一身份认证登录”"
_UNREACHABLE = "暂时无法连接统一身份认证平台，请稍后再试，或用本系统账户登录"
_BAD_TOKEN = "统一身份认证平台返回的身份凭证无法验证，请重新登录；多次出现请联系管理员"


@dataclass(frozen=True)
class OidcStart:
    """Where to send the browser, and the secrets its cookie keeps until the callback."""

    url: str
    state: str
    nonce: str
    verifier: str


def enabled(settings: Settings) -> bool:
    """Whether an OIDC provider is configured (the login page shows its button)."""
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def _verify(settings: Settings) -> ssl.SSLContext | bool:
    """Certificates of the provider: the usual CAs, or the bundle of `oidc_ca_file` (政务内网 CAs)."""
    return ssl.create_default_context(cafile=settings.oidc_ca_file) if settings.oidc_ca_file else True


class _Metadata:
    """The provider's discovery document and keys, fetched on first use and kept a while."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._docs: dict[str, tuple[float, dict[str, Any]]] = {}
        self._keys: dict[str, tuple[float, dict[str, Any]]] = {}

    def _get(
        self, cache: dict[str, tuple[float, dict[str, Any]]], url: str, settings: Settings, fresh: bool
    ) -> Any:
        with self._lock:
            hit = cache.get(url)
        if hit is not None and not fresh and time.monotonic() - hit[0] < METADATA_SECONDS:
            return hit[1]
        response = httpx.get(
            url, timeout=settings.oidc_timeout_seconds, verify=_verify(settings), follow_redirects=False
        )
        response.raise_for_status()
        value = response.json()
        with self._lock:
            cache[url] = (time.monotonic(), value)
        return value

    def document(self, settings: Settings) -> dict[str, Any]:
        issuer = settings.oidc_issuer.rstrip("/")
        doc: dict[str, Any] = self._get(
            self._docs, issuer + "/.well-known/openid-configuration", settings, False
        )
        if doc.get("issuer", "").rstrip("/") != issuer:  # OIDC Discovery §4.3
            raise Unauthenticated(
                "统一身份认证平台的配置与设置的地址（EDUPLAN_OIDC_ISSUER）不符，请联系管理员"
            )
        return doc

    def keys(self, settings: Settings, fresh: bool = False) -> Any:
        """The provider's JWKS (a JSON object with ``keys``)."""
        return self._get(self._keys, self.document(settings)["jwks_uri"], settings, fresh)


_METADATA = _Metadata()


def _client(settings: Settings, redirect_uri: str) -> OAuth2Client:
    doc = _METADATA.document(settings)
    methods = doc.get("token_endpoint_auth_methods_supported", ["client_secret_basic"])
    method = "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
    return OAuth2Client(
        settings.oidc_client_id,
        settings.oidc_client_secret,
        token_endpoint_auth_method=method,
        scope=settings.oidc_scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=settings.oidc_timeout_seconds,
        verify=_verify(settings),
    )


def begin(settings: Settings, redirect_uri: str) -> OidcStart:
    """The provider's authorization URL with fresh state, nonce and PKCE challenge."""
    if not enabled(settings):
        raise Unauthenticated("本系统未配置统一身份认证，请用本系统账户登录")
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    try:
        with _client(settings, redirect_uri) as client:
            endpoint = _METADATA.document(settings)["authorization_endpoint"]
            url, _ = client.create_authorization_url(
                endpoint, state=state, code_verifier=verifier, nonce=nonce
            )
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise Unauthenticated(_UNREACHABLE) from exc
    return OidcStart(url, state, nonce, verifier)


def verified_claims(settings: Settings, id_token: str, nonce: str) -> dict[str, Any]:
    """The claims of an ID token whose signature (provider's JWKS), issuer, audience, times and nonce hold."""
    doc = _METADATA.document(settings)
    algorithms = [a for a in doc.get("id_token_signing_alg_values_supported", ["RS256"]) if a != "none"]
    if not id_token:
        raise Unauthenticated(_BAD_TOKEN)
    try:
        decoded = jwt.decode(id_token, KeySet.import_key_set(_METADATA.keys(settings)), algorithms=algorithms)
    except JoseError:  # perhaps a rotated key: fetch the set once more
        try:
            decoded = jwt.decode(
                id_token, KeySet.import_key_set(_METADATA.keys(settings, fresh=True)), algorithms=algorithms
            )
        except (JoseError, ValueError) as exc:
            raise Unauthenticated(_BAD_TOKEN) from exc
    claims = decoded.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=60,
        iss={"essential": True, "value": doc["issuer"]},
        aud={"essential": True, "value": settings.oidc_client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise Unauthenticated(_BAD_TOKEN) from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != settings.oidc_client_id:  # OIDC Core §3.1.3.7
        raise Unauthenticated(_BAD_TOKEN)
    if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
        raise Unauthenticated(_BAD_TOKEN)  # a replayed or foreign ID token
    return dict(claims)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def profile_of(settings: Settings, claims: dict[str, Any]) -> ExternalProfile:
    """A person from the claims, by the configured claim names."""

    def text(name: str) -> str | None:
        value = claims.get(name) if name else None
        return str(value).strip() if value not in (None, "") else None

    username = text(settings.oidc_username_claim)
    if username is None:
        raise Unauthenticated(f"统一身份认证没有提供用户名（{settings.oidc_username_claim}），请联系管理员")
    return ExternalProfile(
        "oidc",
        username,
        text(settings.oidc_name_claim) or username,
        text("email"),
        _as_list(claims.get(settings.oidc_roles_claim)),
        text(settings.oidc_org_claim),
        text(settings.oidc_unit_claim),
    )


def finish(
    sessions: SessionFactory,
    settings: Settings,
    redirect_uri: str,
    params: dict[str, str],
    expected: OidcStart | None,
    device: str | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Sign in from the provider's callback (`params`: its query); `expected` is what `begin` gave
    this browser (None: its cookie is gone).  `Unauthenticated` with the reason otherwise."""
    sent = params.get("state", "")
    if expected is None or not hmac.compare_digest(sent.encode(), expected.state.encode()):
        raise Unauthenticated(_STALE)
    issuer = params.get("iss")  # RFC 9207: an answer of another provider (mix-up) is refused
    if issuer is not None and issuer != _METADATA.document(settings)["issuer"]:
        raise Unauthenticated(_STALE)
    if "error" in params:
        reason = params.get("error_description") or params["error"]
        raise Unauthenticated(f"统一身份认证平台未完成登录（{reason[:200]}），请重试或联系管理员")
    if not params.get("code"):
        raise Unauthenticated(_STALE)
    try:
        with _client(settings, redirect_uri) as client:
            token = client.fetch_token(
                _METADATA.document(settings)["token_endpoint"],
                code=params["code"],
                code_verifier=expected.verifier,
                grant_type="authorization_code",
            )
            claims = verified_claims(settings, str(token.get("id_token", "")), expected.nonce)
            userinfo = _METADATA.document(settings).get("userinfo_endpoint")
            if userinfo:
                extra = client.get(userinfo).raise_for_status().json()
                if extra.get("sub") == claims["sub"]:  # OIDC Core §5.3.2: else ignored
                    claims = extra | claims
    except (OAuthError, OAuth2Error) as exc:  # the provider's error answer (invalid_grant …)
        raise Unauthenticated(f"统一身份认证平台拒绝了本次登录（{exc.error}），请重新登录") from exc
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise Unauthenticated(_UNREACHABLE) from exc
    user_id = provision(sessions, settings, profile_of(settings, claims))
    return start_session(sessions, settings, user_id, now or utcnow(), device)
