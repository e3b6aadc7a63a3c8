"""What ends when a password changes or an account is reset or deactivated — the one home of that
rule: every browser session of the account (but the one that changed its own password) and every
API token it still has (revoked, kept in the list as revoked).  A token made by someone who once
had the password must not outlive the owner's new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from eduplan.db.accounts import ApiToken, LoginSession


@dataclass
class Ended:
    """How many sessions ended and tokens were revoked (for the audit log)."""

    sessions: int
    tokens: int


def end_access(session: Session, user_id: int, now: datetime, keep_session_csrf: str | None = None) -> Ended:
    """End the account's sessions (except the one whose CSRF token is `keep_session_csrf`) and
    revoke its API tokens, in the caller's transaction."""
    sessions_query = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep_session_csrf:
        sessions_query = sessions_query.where(LoginSession.csrf_token != keep_session_csrf)
    ended = session.execute(sessions_query.execution_options(synchronize_session=False))
    revoked = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return Ended(ended.rowcount or 0, revoked.rowcount or 0)  # type: ignore[attr-defined]
